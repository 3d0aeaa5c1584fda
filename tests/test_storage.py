"""Storage queries on a real database: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage import customers, feedback, ingest, messages, prompts
from storage.db import session_scope
from storage.messages import SentimentFields
from storage.models import Customer, Feedback, Message

NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def add_customer(session: Session, telegram_id: int, username: str | None = None) -> Customer:
    customer = Customer(
        telegram_id=telegram_id,
        chat_id=telegram_id,
        first_name="Sari",
        username=username,
        first_seen=NOW,
        last_seen=NOW,
        referral_code=customers.new_referral_code(),
    )
    session.add(customer)
    session.flush()
    return customer


def inbound(
    session: Session,
    telegram_id: int,
    message_id: int | None,
    *,
    at: datetime = NOW,
    callback_id: str | None = None,
    **profile: object,
) -> ingest.Recorded:
    fields: dict = {
        "chat_id": telegram_id,
        "first_name": "Sari",
        "last_name": None,
        "username": "sari",
        "language": "id",
        **profile,
    }
    return ingest.record_inbound(
        session=session,
        telegram_id=telegram_id,
        kind="text",
        text="halo",
        telegram_message_id=message_id,
        callback_id=callback_id,
        sent_at=at,
        sentiment=SentimentFields(0.5, "positive", "id", 2),
        **fields,
    )


def test_sqlite_pragmas_are_set(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        values = [
            connection.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        ]
    assert values == ["wal", 1, 1, 5000]


def test_record_inbound_creates_then_refreshes_the_sender(engine: Engine) -> None:
    later = NOW + timedelta(hours=1)
    with session_scope(engine) as session:
        first = inbound(session, 10, 1)
    with session_scope(engine) as session:
        second = inbound(
            session, 10, 2, at=later, first_name="Sari W", username="sariw", language="en"
        )
    assert first.previous_seen is None
    assert (second.customer.id, second.previous_seen) == (first.customer.id, NOW)
    with Session(engine) as session:
        stored = customers.get_customer(session=session, telegram_id=10)
    assert stored is not None
    assert (stored.first_name, stored.username, stored.language, stored.last_seen) == (
        "Sari W",
        "sariw",
        "id",
        later,
    )  # the language stays as first seen
    assert len(stored.referral_code) == 8


def test_record_inbound_refuses_duplicates(engine: Engine) -> None:
    with session_scope(engine) as session:
        results = [
            inbound(session, 11, 1),
            inbound(session, 11, 1),
            inbound(session, 11, None, callback_id="cb1"),
            inbound(session, 11, None, callback_id="cb1"),
        ]
    assert [r.message_id is None for r in results] == [False, True, False, True]
    with Session(engine) as session:
        stored = list(session.exec(select(Message)))
    assert [(m.sentiment_label, m.sentiment_version) for m in stored] == [("positive", 2)] * 2


def test_record_inbound_unblocks_a_returning_customer(engine: Engine) -> None:
    with session_scope(engine) as session:
        inbound(session, 12, 1)
        customers.mark_blocked(session=session, chat_id=12)
    with session_scope(engine) as session:
        inbound(session, 12, 2)
    with Session(engine) as session:
        stored = customers.get_customer(session=session, telegram_id=12)
    assert stored is not None
    assert stored.blocked is False


def test_timestamps_come_back_aware_utc(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_customer(session, 11)
    with Session(engine) as session:
        stored = customers.get_customer(session=session, telegram_id=11)
    assert stored is not None
    assert stored.first_seen == NOW
    assert stored.first_seen.tzinfo == UTC


def test_username_lookup_ignores_case_and_at(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_customer(session, 12, username="Budi_Shop")
    with Session(engine) as session:
        found = customers.get_customer_by_username(session=session, username="@budi_shop")
    assert found is not None
    assert found.telegram_id == 12


def test_message_recorded_once_per_chat_and_id(engine: Engine) -> None:
    with session_scope(engine) as session:
        customer = add_customer(session, 13)
        first = messages.record_message(
            session=session,
            customer=customer,
            direction="in",
            kind="text",
            text="halo",
            chat_id=13,
            telegram_message_id=1,
            sent_at=NOW,
            sentiment=SentimentFields(0.5, "positive", "id", 2),
        )
        again = messages.record_message(
            session=session,
            customer=customer,
            direction="in",
            kind="text",
            text="halo",
            chat_id=13,
            telegram_message_id=1,
            sent_at=NOW,
        )
        callback = messages.record_message(
            session=session,
            customer=customer,
            direction="in",
            kind="callback",
            text="v1:csat:5",
            chat_id=13,
            telegram_message_id=None,
            callback_id="cb1",
            sent_at=NOW,
        )
        callback_again = messages.record_message(
            session=session,
            customer=customer,
            direction="in",
            kind="callback",
            text="v1:csat:5",
            chat_id=13,
            telegram_message_id=None,
            callback_id="cb1",
            sent_at=NOW,
        )
    assert first is not None
    assert callback is not None
    assert (again, callback_again) == (None, None)
    with Session(engine) as session:
        stored = list(session.exec(select(Message)))
    assert [(m.kind, m.sentiment_label, m.sentiment_version) for m in stored] == [
        ("text", "positive", 2),
        ("callback", None, None),
    ]


def test_unique_constraint_backs_up_the_check(engine: Engine) -> None:
    with session_scope(engine) as session:
        customer = add_customer(session, 14)
        customer_id = customer.id
    duplicate = {
        "customer_id": customer_id,
        "direction": "in",
        "kind": "text",
        "text": "x",
        "chat_id": 14,
        "telegram_message_id": 7,
        "sent_at": NOW,
    }
    with session_scope(engine) as session:
        session.add(Message(**duplicate))
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Message(**duplicate))


def test_edit_keeps_newest_text(engine: Engine) -> None:
    with session_scope(engine) as session:
        customer = add_customer(session, 15)
        messages.record_message(
            session=session,
            customer=customer,
            direction="in",
            kind="text",
            text="v1",
            chat_id=15,
            telegram_message_id=3,
            sent_at=NOW,
        )
    with session_scope(engine) as session:
        messages.record_edit(
            session=session,
            chat_id=15,
            telegram_message_id=3,
            text="v3",
            edited_at=NOW + timedelta(minutes=2),
        )
        messages.record_edit(
            session=session,
            chat_id=15,
            telegram_message_id=3,
            text="v2",
            edited_at=NOW + timedelta(minutes=1),
        )
        missing = messages.record_edit(
            session=session, chat_id=15, telegram_message_id=99, text="?", edited_at=NOW
        )
    assert missing is None
    with Session(engine) as session:
        row = messages.find_message(session=session, chat_id=15, telegram_message_id=3)
    assert row is not None
    assert (row.text, row.edited_at) == ("v3", NOW + timedelta(minutes=2))


def test_rating_is_one_per_prompt_and_changeable(engine: Engine) -> None:
    with session_scope(engine) as session:
        customer = add_customer(session, 16)
        _, first = feedback.set_rating(
            session=session, customer=customer, kind="csat", score=2, prompt_message_id=5, now=NOW
        )
        _, second = feedback.set_rating(
            session=session, customer=customer, kind="csat", score=5, prompt_message_id=5, now=NOW
        )
        feedback.set_rating(
            session=session, customer=customer, kind="nps", score=9, prompt_message_id=5, now=NOW
        )
    assert (first, second) == (None, 2)
    with Session(engine) as session:
        answers = feedback.feedback_for(session=session, customer_id=customer.id or 0)
    assert sorted((f.kind, f.score) for f in answers) == [("csat", 5), ("nps", 9)]


def test_referral_only_once_and_not_self(engine: Engine) -> None:
    with session_scope(engine) as session:
        alice, bob, carol = (add_customer(session, n) for n in (20, 21, 22))
        assert (
            customers.set_referrer(session=session, customer=alice, code=alice.referral_code)
            is None
        )
        assert (
            customers.set_referrer(session=session, customer=alice, code=bob.referral_code) == bob
        )
        assert (
            customers.set_referrer(session=session, customer=alice, code=carol.referral_code)
            is None
        )
        assert customers.set_referrer(session=session, customer=carol, code="nope") is None
        assert customers.count_referrals(session=session, customer_id=bob.id or 0) == 1


def test_erase_removes_personal_data_and_conversation_only(engine: Engine) -> None:
    with session_scope(engine) as session:
        alice, bob = add_customer(session, 30, username="alice"), add_customer(session, 31)
        customers.set_referrer(session=session, customer=alice, code=bob.referral_code)
        for who in (alice, bob):
            message = messages.record_message(
                session=session,
                customer=who,
                direction="in",
                kind="text",
                text="hi",
                chat_id=who.chat_id or 0,
                telegram_message_id=1,
                sent_at=NOW,
            )
            feedback.add_text_feedback(
                session=session,
                customer_id=who.id,
                comment="ok",
                message_id=message.id if message else None,
                now=NOW,
            )
        alice.birthday_day, alice.birthday_month = 1, 2
    with session_scope(engine) as session:
        target = session.get(Customer, alice.id)
        assert target is not None
        customers.erase_customer(session=session, customer=target, now=NOW)
    with Session(engine) as session:
        erased = session.get(Customer, alice.id)
        assert erased is not None
        assert (
            erased.telegram_id,
            erased.chat_id,
            erased.first_name,
            erased.username,
            erased.birthday_day,
            erased.erased_at,
        ) == (None, None, None, None, None, NOW)
        assert erased.referred_by_id == bob.id  # bob keeps the credit for inviting someone
        left = {(m.customer_id) for m in session.exec(select(Message))}
        kept_feedback = {f.customer_id for f in session.exec(select(Feedback))}
    assert left == {bob.id}
    assert kept_feedback == {bob.id}


def test_mark_blocked(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_customer(session, 40)
    with session_scope(engine) as session:
        customers.mark_blocked(session=session, chat_id=40)
    with Session(engine) as session:
        stored = customers.get_customer(session=session, telegram_id=40)
    assert stored is not None
    assert stored.blocked is True


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(
            Message(
                customer_id=424242,
                direction="in",
                kind="text",
                chat_id=1,
                telegram_message_id=1,
                sent_at=NOW,
            )
        )


def test_a_prompt_is_asked_once_and_taken_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        customer_id = add_customer(session, 4242).id
        assert customer_id is not None
        other_id = add_customer(session, 4343).id
        assert other_id is not None
    with session_scope(engine) as session:
        prompts.ask(session=session, customer_id=customer_id, kind="feedback", now=NOW)
        prompts.ask(session=session, customer_id=customer_id, kind="feedback", now=NOW)  # once
        prompts.ask(session=session, customer_id=other_id, kind="feedback", now=NOW)
    with session_scope(engine) as session:
        assert prompts.pending(session=session, customer_id=customer_id, kind="feedback")
        assert not prompts.pending(session=session, customer_id=customer_id, kind="other")
        assert prompts.take(session=session, customer_id=customer_id, kind="feedback")
        assert not prompts.take(session=session, customer_id=customer_id, kind="feedback")
        assert not prompts.pending(session=session, customer_id=customer_id, kind="feedback")
        assert prompts.pending(session=session, customer_id=other_id, kind="feedback")
