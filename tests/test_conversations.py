"""Remembering where conversations started (bot/services/conversations.py) changes nothing
but the work: complaints get the same replies and the same follow-ups as when every complaint
reads its conversation back."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from bot.config import Settings
from bot.handlers.owner.relay import RecordItem, record_and_plan_many
from bot.services import conversations
from bot.services.recording import Inbound, Recording
from storage import planning_chats
from storage.db import make_engine, migrate, session_scope
from storage.models import Outreach

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
COMPLAINT = "barangnya rusak, kecewa banget 😡"
TEXTS = [COMPLAINT, COMPLAINT, "jelek, lama banget kirimnya", "makasih kak", "ok kak", "halo"]
GAPS = [
    timedelta(seconds=5),
    timedelta(minutes=2),
    timedelta(minutes=29, seconds=59),
    timedelta(minutes=30),  # still the same conversation
    timedelta(minutes=30, seconds=1),  # a new one
    timedelta(hours=3),
]


def message(user: int, number: int, text: str, at: datetime) -> Inbound:
    return Inbound(
        user_id=user,
        chat_id=user,
        first_name="Sari",
        last_name=None,
        username=None,
        language_code="id",
        kind="text",
        text=text,
        telegram_message_id=number,
        callback_id=None,
        sent_at=at,
    )


def record(
    engine: Engine, settings: Settings, batch: list[Inbound], *, fail: bool = False
) -> list[Recording | None]:
    items = [RecordItem(m, m.telegram_message_id, (), m.sent_at, settings) for m in batch]
    with session_scope(engine) as session:
        results = record_and_plan_many(session, items)
        if fail:
            raise RuntimeError("the transaction fails after recording")
    return results


def followup_keys(engine: Engine) -> list[str]:
    with Session(engine) as session:
        query = select(col(Outreach.dedupe_key)).where(col(Outreach.kind) == "complaint_followup")
        return sorted(session.execute(query).scalars())


@pytest.fixture
def read_backs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The customer of every conversation read back (the real query still runs)."""
    calls: list[int] = []
    real = planning_chats.recent_inbound

    def counted(**kwargs: Any) -> Any:
        calls.append(kwargs["customer_id"])
        return real(**kwargs)

    monkeypatch.setattr(planning_chats, "recent_inbound", counted)
    return calls


def stream(seed: int) -> list[list[Inbound]]:
    """Batches of messages from six customers, each at most once a batch, with gaps either
    side of the conversation gap and now and then a message older than the sender's newest."""
    rng = random.Random(seed)
    last = {user: START for user in range(1, 7)}
    number = 0
    batches = []
    for _ in range(60):
        batch = []
        for user in rng.sample(sorted(last), rng.randint(1, 4)):
            number += 1
            if rng.random() < 0.06:
                at = last[user] - rng.choice(GAPS[:5])  # late: older than their newest
            else:
                at = last[user] = last[user] + rng.choice(GAPS)
            batch.append(message(user, number, rng.choice(TEXTS), at))
        batches.append(batch)
    return batches


def both_ways(
    tmp_path: Path, settings: Settings, read_backs: list[int], batches: list[list[Inbound]]
) -> dict[str, tuple[list[Any], list[str], int]]:
    """Record `batches` remembering, and again forgetting before every batch: for each, what
    each message got (complaint, awaited feedback), the follow-ups' keys, the read-backs."""
    seen = {}
    for name in ("remembering", "reading"):
        engine = make_engine(f"sqlite:///{tmp_path / name}.db")
        migrate(engine)
        before = len(read_backs)
        outcomes: list[Any] = []
        for batch in batches:
            if name == "reading":
                conversations.forget_all(engine)  # every complaint reads back
            results = record(engine, settings, batch)
            outcomes += [(r.complaint, r.awaiting_feedback) if r else None for r in results]
        seen[name] = (outcomes, followup_keys(engine), len(read_backs) - before)
        engine.dispose()
    return seen


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_remembering_gives_what_reading_back_gives(
    tmp_path: Path, settings: Settings, read_backs: list[int], seed: int
) -> None:
    seen = both_ways(tmp_path, settings, read_backs, stream(seed))
    remembering, reading = seen["remembering"], seen["reading"]
    assert remembering[:2] == reading[:2]
    assert any(complaint for complaint, _ in filter(None, reading[0]))
    assert remembering[2] < reading[2] / 2  # and it did save the reading


def test_a_conversation_longer_than_the_read_back_window(
    tmp_path: Path, settings: Settings, read_backs: list[int]
) -> None:
    """A message every 29 minutes for a day: reading back sees only the last day of it, and
    what is remembered must not reach further (the follow-up's key names the same message)."""
    at = [START + n * timedelta(minutes=29) for n in range(52)]
    batches = [[message(1, n + 1, "ok kak", when)] for n, when in enumerate(at)]
    batches.append([message(1, 100, COMPLAINT, at[-1] + timedelta(minutes=1))])
    seen = both_ways(tmp_path, settings, read_backs, batches)
    assert seen["remembering"][:2] == seen["reading"][:2]
    assert seen["remembering"][0][-1] == (True, False)
    assert seen["remembering"][1] != ["complaint_followup:1:1"]  # not the first message's


def test_a_rolled_back_transaction_leaves_nothing_remembered(
    engine: Engine, settings: Settings, read_backs: list[int]
) -> None:
    [opened] = record(engine, settings, [message(1, 1, "halo kak", START)])
    assert opened is not None
    assert not opened.complaint
    later = START + timedelta(minutes=1)
    with pytest.raises(RuntimeError):  # its follow-up is planned, then undone
        record(engine, settings, [message(1, 2, COMPLAINT, later)], fail=True)
    [complaint] = record(engine, settings, [message(1, 2, COMPLAINT, later)])
    assert complaint is not None
    assert complaint.complaint
    assert len(followup_keys(engine)) == 1
    assert read_backs == []  # both complaints knew their conversation from the first message
    [again] = record(engine, settings, [message(1, 3, COMPLAINT, later + timedelta(minutes=1))])
    assert again is not None
    assert not again.complaint
    [third] = record(engine, settings, [message(1, 4, COMPLAINT, later + timedelta(minutes=2))])
    assert third is not None
    assert not third.complaint
    assert read_backs == []
    assert len(followup_keys(engine)) == 1


def test_a_session_that_rolls_back_and_goes_on_forgets_what_it_undid(
    engine: Engine, settings: Settings
) -> None:
    record(engine, settings, [message(1, 1, "halo kak", START)])
    later = START  # in the same second: the undone entry would pass for the newest message's
    item = RecordItem(message(1, 2, COMPLAINT, later), 2, (), later, settings)
    with Session(engine) as session:
        [undone] = record_and_plan_many(session, [item])
        assert undone is not None
        assert undone.complaint
        session.rollback()
        session.connection()  # the same session goes on with a transaction of its own
        session.commit()
    [complaint] = record(engine, settings, [message(1, 2, COMPLAINT, later)])
    assert complaint is not None
    assert complaint.complaint
    assert len(followup_keys(engine)) == 1


def test_another_writer_in_between_is_a_miss(
    engine: Engine, settings: Settings, read_backs: list[int]
) -> None:
    """A message recorded by another process (its memory is its own) is not in this one's:
    the next complaint here does not trust what it remembers and reads back."""
    record(engine, settings, [message(1, 1, "halo kak", START)])
    other = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        record(other, settings, [message(1, 2, "ok kak", START + timedelta(minutes=1))])
    finally:
        other.dispose()
    [complaint] = record(engine, settings, [message(1, 3, COMPLAINT, START + timedelta(minutes=2))])
    assert complaint is not None
    assert complaint.complaint
    assert len(read_backs) == 1


def test_past_the_limit_the_stale_entries_go(
    engine: Engine, settings: Settings, read_backs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conversations, "LIMIT", 2)
    record(engine, settings, [message(1, 1, "halo kak", START), message(2, 2, "halo", START)])
    record(engine, settings, [message(3, 3, "halo kak", START + timedelta(hours=1))])
    # 1 and 2 are forgotten (their last message is over the gap older than the newest): read back
    [complaint] = record(engine, settings, [message(1, 4, COMPLAINT, START + timedelta(minutes=5))])
    assert complaint is not None
    assert complaint.complaint
    assert read_backs == [complaint.recorded.customer.id]
    [again] = record(engine, settings, [message(3, 5, COMPLAINT, START + timedelta(minutes=61))])
    assert again is not None
    assert again.complaint
    assert len(read_backs) == 1  # 3 is still remembered
