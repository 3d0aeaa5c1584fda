"""The console's storage on both backends: relay claims, topics, reply mode, waiting customers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from storage import ingest, outbound, relay, unanswered
from storage.db import session_scope

T0 = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


def customer_message(
    session: Session, telegram_id: int, text: str, at: datetime
) -> tuple[int, int]:
    recorded = ingest.record_inbound(
        session=session,
        telegram_id=telegram_id,
        chat_id=telegram_id,
        first_name=f"C{telegram_id}",
        last_name=None,
        username=None,
        language="id",
        kind="text",
        text=text,
        telegram_message_id=int(at.timestamp()) % 100_000,
        callback_id=None,
        sent_at=at,
        sentiment=None,
    )
    assert recorded.message_id is not None
    return recorded.customer.id, recorded.message_id


def shop_message(session: Session, chat_id: int, at: datetime, sent_by: int | None) -> None:
    row = outbound.begin(
        session=session,
        chat_id=chat_id,
        kind="text",
        text="x",
        update_id=None,
        now=at,
        sent_by=sent_by,
    )
    assert row is not None
    outbound.finish(
        session=session,
        row_id=row,
        telegram_message_id=row + 1000,
        sent_at=at,
        kind="text",
        text="x",
    )


def test_a_relay_is_planned_once_per_owner_chat_and_sent_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        customer_id, message_id = customer_message(session, 501, "halo", T0)

        def plan(chats: list[int]) -> int:
            return relay.plan(
                session=session,
                customer_id=customer_id,
                message_id=message_id,
                owner_chat_ids=chats,
                now=T0,
            )

        assert plan([99, 98]) == 2
        assert plan([99, 98, 97]) == 1  # only the new chat
        assert sorted(relay.chats_with_planned(session=session)) == [97, 98, 99]
        [job] = relay.planned(session=session, owner_chat_id=99, limit=10)
        assert (job.customer_id, job.message_id, job.kind, job.text) == (
            customer_id,
            message_id,
            "text",
            "halo",
        )
        assert relay.start(session=session, relay_id=job.relay_id)
        assert not relay.start(session=session, relay_id=job.relay_id)  # taken once
        assert relay.planned(session=session, owner_chat_id=99, limit=10) == []
        relay.confirm(session=session, relay_id=job.relay_id, owner_message_id=7)
        found = relay.customer_of_relay(session=session, owner_chat_id=99, owner_message_id=7)
        assert found == customer_id
        assert (
            relay.customer_of_relay(session=session, owner_chat_id=98, owner_message_id=7) is None
        )
        [other] = relay.planned(session=session, owner_chat_id=98, limit=10)
        relay.fail(session=session, relay_id=other.relay_id)
        assert relay.planned(session=session, owner_chat_id=98, limit=10) == []
        assert relay.chats_with_planned(session=session) == [97]


def test_topics_and_reply_mode(engine: Engine) -> None:
    with session_scope(engine) as session:
        customer_id, _ = customer_message(session, 501, "halo", T0)
        relay.set_topic(session=session, customer_id=customer_id, chat_id=-100, thread_id=5, now=T0)
        relay.set_topic(session=session, customer_id=customer_id, chat_id=-100, thread_id=9, now=T0)
        assert relay.topic_of(session=session, customer_id=customer_id, chat_id=-100) == 9
        assert relay.customer_of_topic(session=session, chat_id=-100, thread_id=9) == customer_id
        assert relay.customer_of_topic(session=session, chat_id=-100, thread_id=5) is None
        relay.set_reply_mode(
            session=session, owner_id=99, chat_id=99, customer_id=customer_id, now=T0
        )
        since = T0 - timedelta(minutes=1)
        assert relay.take_reply_mode(session=session, owner_id=99, chat_id=98, since=since) is None
        assert relay.take_reply_mode(session=session, owner_id=99, chat_id=99, since=since) == (
            customer_id
        )
        assert relay.take_reply_mode(session=session, owner_id=99, chat_id=99, since=since) is None


def test_waiting_counts_only_owner_answers(engine: Engine) -> None:
    with session_scope(engine) as session:
        a, first_a = customer_message(session, 501, "ukuran L ada?", T0)
        customer_message(session, 501, "warna hitam", T0 + timedelta(minutes=1))
        shop_message(session, 501, T0 + timedelta(minutes=2), sent_by=None)  # the bot's ack
        b, _ = customer_message(session, 502, "ongkir?", T0 + timedelta(minutes=3))
        shop_message(session, 502, T0 + timedelta(minutes=4), sent_by=99)  # an owner answered
        c, _ = customer_message(session, 503, "halo", T0 - timedelta(days=30))  # too old
        found = unanswered.waiting(
            session=session,
            asked_after=T0 - timedelta(days=14),
            asked_before=T0 + timedelta(hours=1),
        )
    assert [(w.customer_id, w.message_id, w.text, w.count) for w in found] == [
        (a, first_a, "ukuran L ada?", 2)
    ]
    assert found[0].since == T0
