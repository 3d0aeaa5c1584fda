"""Recording many updates in one call (`recording.record_many`, `storage.ingest_many`) gives
what recording them one at a time by the reference path (`storage.ingest.record_inbound`, one
ORM statement at a time) gives: same results, same rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlmodel import Session

from bot.services import outbound, recording
from bot.services.recording import Inbound
from storage import customers, ingest_many, prompts
from storage.db import session_scope

NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def inbound(user_id: int, message_id: int | None, text_: str | None, **extra: Any) -> Inbound:
    fields: dict[str, Any] = {
        "user_id": user_id,
        "chat_id": user_id,
        "first_name": "Sari",
        "last_name": None,
        "username": "sari",
        "language_code": "id",
        "kind": "text",
        "text": text_,
        "telegram_message_id": message_id,
        "callback_id": None,
        "sent_at": NOW + timedelta(minutes=5),
        **extra,
    }
    return Inbound(**fields)


def before(session: Session, world: int) -> None:
    """Customers 1-5 known (2 blocked, 3 awaiting feedback, 4 wrote message 40 in update 400
    which was never answered, 5 wrote message 50 in update 500 which was answered)."""
    for n in (1, 2, 3, 4, 5):
        first = inbound(world + n, n * 10, "halo", sent_at=NOW)
        recording.record_in(session, first, update_id=world + n * 100)
    customers.mark_blocked(session=session, chat_id=world + 2)
    known = customers.get_customer(session=session, telegram_id=world + 3)
    assert known is not None
    assert known.id is not None
    prompts.ask(session=session, customer_id=known.id, kind="feedback", now=NOW)
    chat, update_id = world + 5, world + 500
    row = outbound.begin(
        session, chat_id=chat, kind="text", text="ok", update_id=update_id, now=NOW
    )
    assert row is not None
    outbound.sent(session, row, telegram_message_id=51, sent_at=NOW, kind="text", text="ok")


def updates(world: int) -> list[tuple[Inbound, int]]:
    edited = NOW + timedelta(minutes=6)
    press = {"kind": "callback", "callback_id": f"cb{world}"}
    return [
        (inbound(world + 1, 11, "bagus banget kak, makasih"), world + 1001),  # known
        (inbound(world + 2, 21, "jelek, rusak 😡", first_name="Sari W"), world + 1002),  # blocked
        (inbound(world + 3, 31, "pelayanannya ramah"), world + 1003),  # awaiting feedback
        (inbound(world + 4, 40, "halo"), world + 400),  # its run died before answering: replayed
        (inbound(world + 5, 50, "halo"), world + 500),  # recorded and answered before: stops
        (inbound(world + 6, 61, "ongkir ke Bandung berapa?"), world + 1006),  # new customer
        (inbound(world + 7, 71, "a\x00b"), world + 1007),  # new customer, a NUL cleaned
        (inbound(world + 8, None, "v1:csat:5", **press), world + 1008),  # a press
        (inbound(world + 1, 10, "halo lagi", edited_at=edited), world + 1009),  # an edit
        (inbound(world + 9, 91, None, kind="sticker"), world + 1010),  # nothing to score
    ]


def comparable(result: recording.Recording | None, world: int) -> Any:
    """A result without the database's row ids (two worlds in one database differ there)."""
    if result is None:
        return None
    customer = result.recorded.customer
    return (
        result.recorded.message_id is None,
        result.recorded.previous_seen,
        result.recorded.replay,
        result.awaiting_feedback,
        result.sentiment_label,
        (customer.telegram_id - world, customer.language, customer.first_name),
        (customer.opted_out, customer.first_seen, len(customer.referral_code)),
    )


def dump(engine: Engine, world: int) -> list[Any]:
    """The world's customers and messages, ids replaced by the sender's number."""
    params = {"low": world, "high": world + 1000}
    with engine.connect() as connection:
        customers_ = connection.execute(
            text(
                "SELECT telegram_id - :low, chat_id - :low, first_name, username, language, "
                "first_seen, last_seen, blocked FROM customer "
                "WHERE telegram_id > :low AND telegram_id < :high ORDER BY telegram_id"
            ),
            params,
        ).all()
        messages_ = connection.execute(
            text(
                "SELECT c.telegram_id - :low, m.direction, m.kind, m.text, m.chat_id - :low, "
                "m.telegram_message_id, m.sent_at, m.edited_at, m.update_id - :low, "
                "m.original_length, m.sentiment_label, m.sentiment_polarity "
                "FROM message m JOIN customer c ON c.id = m.customer_id "
                "WHERE c.telegram_id > :low AND c.telegram_id < :high "
                "ORDER BY c.telegram_id, m.direction, m.telegram_message_id"
            ),
            params,
        ).all()
    return [list(customers_), list(messages_)]


def reference(*, session: Session, items: Any, prompt: str) -> list[tuple[Any, bool]]:
    """The oracle for `ingest_many.record_many`: each item by `record_inbound`, in turn."""
    results = []
    for item in items:
        recorded = ingest_many.record_one(session=session, item=item)
        waiting = prompts.pending(session=session, customer_id=recorded.customer.id, kind=prompt)
        results.append((recorded, waiting))
    return results


@contextmanager
def one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as patched:
        patched.setattr(ingest_many, "record_many", reference)
        yield


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_many_at_once_is_one_at_a_time(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    together_world, alone_world = 10_000, 20_000
    with session_scope(engine) as session:
        before(session, together_world)
        before(session, alone_world)
    with counted(engine) as together_statements, session_scope(engine) as session:
        together = recording.record_many(session, updates(together_world))
    with (
        one_at_a_time(monkeypatch),
        counted(engine) as alone_statements,
        session_scope(engine) as session,
    ):
        one_by_one = [
            recording.record_in(session, item, update_id=update_id)
            for item, update_id in updates(alone_world)
        ]
    # PostgreSQL: a few statements for all (the senders with their pending prompts, the new
    # senders, the changed ones, the messages) plus the edit's and the replays' own. SQLite: the
    # per-row ones run on the driver's cursor (storage/_raw.py), so SQLAlchemy sees only the
    # edit's and the replays' statements.
    assert len(together_statements) <= len(alone_statements) // 3
    assert [comparable(r, together_world) for r in together] == [
        comparable(r, alone_world) for r in one_by_one
    ]
    assert dump(engine, together_world) == dump(engine, alone_world)
    # What the cases above promise, spelled out.
    assert together[8] is None  # the edit
    results = [r for r in together if r is not None]
    assert [r.recorded.message_id is None for r in results] == [False] * 4 + [True] + [False] * 4
    assert [r.recorded.replay for r in results] == [False] * 3 + [True] + [False] * 5
    assert [r.awaiting_feedback for r in results] == [False, False, True] + [False] * 6
    assert results[5].recorded.previous_seen is None
    assert results[0].recorded.previous_seen == NOW
    customers_, messages_ = dump(engine, together_world)
    assert not customers_[1][-1]  # writing again unblocks
    assert "a\x00b" not in [m[3] for m in messages_]
    assert "ab" in [m[3] for m in messages_]
    assert "halo lagi" in [m[3] for m in messages_]


def test_a_group_of_one_is_one_at_a_time(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # A batch of one update (most batches when the shop is quiet) takes the same path.
    single_world, alone_world = 30_000, 40_000
    with session_scope(engine) as session:
        before(session, single_world)
        before(session, alone_world)
    with session_scope(engine) as session:
        singly = [recording.record_many(session, [each])[0] for each in updates(single_world)]
    with one_at_a_time(monkeypatch), session_scope(engine) as session:
        one_by_one = [
            recording.record_in(session, item, update_id=update_id)
            for item, update_id in updates(alone_world)
        ]
    assert [comparable(r, single_world) for r in singly] == [
        comparable(r, alone_world) for r in one_by_one
    ]
    assert dump(engine, single_world) == dump(engine, alone_world)
    assert len(dump(engine, single_world)[1]) == 5 + 8  # before's 5, 8 new (edit applied)


def test_one_sender_twice_is_recorded_in_order(engine: Engine) -> None:
    with session_scope(engine) as session:
        first, second = recording.record_many(
            session,
            [(inbound(1, 11, "halo", sent_at=NOW), 1), (inbound(1, 12, "kak?"), 2)],
        )
    assert first
    assert second
    assert first.recorded.previous_seen is None
    assert second.recorded.previous_seen == NOW
    assert first.recorded.customer.id == second.recorded.customer.id
