"""The rules that moved from SQL into Python so SQLite plans on the right index (see
tests/test_query_plans.py) keep their meaning, on both backends: what `recent_sends` counts,
which rows `track_responses` marks, which button presses `sent_to` accepts, and the best CES
of an at-risk customer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import Session

from storage import messages, outreach, outreach_admin, planning_chats
from storage._sql import table_of
from storage.db import session_scope
from storage.models import Customer, Message, Outreach, Score
from tests.outreach_support import add_customer, plan, row

NOW = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)
OUTREACH = table_of(Outreach)
KEYS = count()


def outbox(engine: Engine, customer_id: int, kind: str = "holiday", **values: Any) -> int:
    """One outreach row of the customer with these column values; its id."""
    row_id = plan(engine, customer_id, kind, due=NOW - timedelta(days=1), key=f"k{next(KEYS)}")
    with session_scope(engine) as session:
        session.connection().execute(
            update(OUTREACH).where(OUTREACH.c.id == row_id).values(**values)
        )
    return row_id


def message(engine: Engine, customer_id: int, chat: int, at: datetime, **fields: Any) -> None:
    with session_scope(engine) as session:
        session.add(
            Message(
                customer_id=customer_id,
                chat_id=chat,
                sent_at=at,
                **{"direction": "in", "kind": "text", "text": "ok", **fields},
            )
        )


def recent(engine: Engine, ids: list[int], **kw: Any) -> dict[int, tuple[datetime, ...]]:
    with Session(engine) as session:
        return outreach.recent_sends(
            session=session, customer_ids=ids, since=NOW - timedelta(days=7), **kw
        )


def test_recent_sends_counts_sent_like_and_fresh_leases_only(engine: Engine) -> None:
    a, b = add_customer(engine, 31, at=NOW), add_customer(engine, 32, at=NOW)
    hours = [NOW - timedelta(hours=h) for h in range(30)]
    outbox(engine, a, status="sent", sent_at=hours[1])
    outbox(engine, a, status="sending", claimed_at=hours[2])
    outbox(engine, a, status="unconfirmed", claimed_at=hours[3], sent_at=hours[4])
    leased = outbox(engine, a, status="planned", claimed_at=NOW - timedelta(minutes=2))
    outbox(engine, a, status="planned", claimed_at=NOW - timedelta(minutes=30))  # lease lost
    outbox(engine, a, status="planned")  # never leased
    for status in ("failed", "skipped", "expired", "cancelled"):
        outbox(engine, a, status=status, claimed_at=hours[5], sent_at=hours[6])
    outbox(engine, a, "campaign", status="sent", sent_at=hours[7])  # campaigns are not capped
    outbox(engine, a, status="sent", sent_at=NOW - timedelta(days=8))  # before `since`
    excluded = outbox(engine, a, status="sent", sent_at=hours[8])
    outbox(engine, b, status="sent", sent_at=hours[9])
    got = recent(engine, [a], exclude=[excluded], leased_after=NOW - LEASE)
    assert {k: sorted(v) for k, v in got.items()} == {
        a: sorted([hours[1], hours[2], hours[4], NOW - timedelta(minutes=2)])
    }
    # Without `leased_after` no planned row counts, leased or not.
    assert sorted(recent(engine, [a, b], exclude=[excluded, leased])[a]) == sorted(
        [hours[1], hours[2], hours[4]]
    )
    assert recent(engine, [a, b])[b] == (hours[9],)
    assert recent(engine, []) == {}


def track(engine: Engine) -> int:
    with session_scope(engine) as session:
        return outreach_admin.track_responses(session=session, now=NOW, window=timedelta(days=3))


def test_only_sent_rows_are_tracked_and_only_sent_rows_close_a_window(engine: Engine) -> None:
    a, b, c = (add_customer(engine, n, at=NOW) for n in (41, 42, 43))
    # a: a sent row, then an unconfirmed one (not "the next automated message"), then an answer.
    first = outbox(engine, a, status="sent", sent_at=NOW - timedelta(hours=10))
    unsure = outbox(engine, a, status="unconfirmed", sent_at=NOW - timedelta(hours=8))
    message(engine, a, 41, NOW - timedelta(hours=6))
    # b: a failed row with a send time is never tracked, even when answered.
    failed = outbox(engine, b, status="failed", sent_at=NOW - timedelta(hours=10))
    message(engine, b, 42, NOW - timedelta(hours=9))
    # c: only the bot's own message follows: no answer.
    quiet = outbox(engine, c, status="sent", sent_at=NOW - timedelta(hours=10))
    message(engine, c, 43, NOW - timedelta(hours=9), direction="out", kind="bot")
    assert track(engine) == 1
    assert row(engine, first).responded_at == NOW - timedelta(hours=6)
    assert row(engine, unsure).responded_at is None
    assert row(engine, failed).responded_at is None
    assert row(engine, quiet).responded_at is None
    assert track(engine) == 0


def test_a_later_sent_row_still_ends_the_window(engine: Engine) -> None:
    a = add_customer(engine, 44, at=NOW)
    first = outbox(engine, a, status="sent", sent_at=NOW - timedelta(hours=10))
    second = outbox(engine, a, status="sent", sent_at=NOW - timedelta(hours=8))
    message(engine, a, 44, NOW - timedelta(hours=6))
    assert track(engine) == 1
    assert row(engine, first).responded_at is None
    assert row(engine, second).responded_at == NOW - timedelta(hours=6)


def sent_to(engine: Engine, customer_id: int, message_id: int) -> bool:
    with Session(engine) as session:
        return messages.sent_to(session=session, customer_id=customer_id, message_id=message_id)


def test_sent_to_accepts_only_the_bots_message_in_the_customers_chat(engine: Engine) -> None:
    a, b = add_customer(engine, 51, at=NOW), add_customer(engine, 52, at=NOW)
    message(engine, a, 51, NOW, direction="out", kind="bot", telegram_message_id=7)
    message(engine, a, 51, NOW, telegram_message_id=8)  # the customer's own message
    message(engine, b, 52, NOW, direction="out", kind="bot", telegram_message_id=9)
    assert sent_to(engine, a, 7)
    assert not sent_to(engine, a, 8)
    assert not sent_to(engine, a, 9)  # another customer's
    assert not sent_to(engine, b, 7)
    assert not sent_to(engine, a, 10)  # never sent


def test_sent_to_a_customer_known_by_telegram_id_only(engine: Engine) -> None:
    a = add_customer(engine, 53, at=NOW)
    message(engine, a, 53, NOW, direction="out", kind="bot", telegram_message_id=7)
    with session_scope(engine) as session:
        customer = session.get(Customer, a)
        assert customer is not None
        customer.chat_id = None
    assert sent_to(engine, a, 7)


def test_at_risk_best_ces_is_the_highest_of_the_history(engine: Engine) -> None:
    scored = add_customer(engine, 61, at=NOW - timedelta(days=40), segment="at_risk")
    unscored = add_customer(engine, 62, at=NOW - timedelta(days=40), segment="at_risk")
    with session_scope(engine) as session:
        for days, ces in ((30, 40.5), (20, 72.25), (10, 18.0)):
            at = NOW - timedelta(days=days)
            session.add(Score(customer_id=scored, computed_at=at, ces=ces, segment="at_risk"))
    with Session(engine) as session:
        found = planning_chats.at_risk_rows(session=session, cooled_since=NOW - timedelta(days=30))
    assert {r.id: r.best_ces for r in found} == {scored: 72.25, unscored: None}
