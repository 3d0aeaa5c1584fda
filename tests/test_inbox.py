"""storage/inbox.py on a real database: what is stored once, claimed, processed and pruned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from storage import inbox
from storage.db import session_scope
from storage.inbox import InboxRow

NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def row(update_id: int, chat_id: int | None = 7) -> InboxRow:
    return InboxRow(update_id, chat_id, f'{{"update_id": {update_id}}}')


def test_an_update_is_stored_once_and_only_new_ones_come_back(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = inbox.add_updates(session=session, rows=[row(1), row(2)], now=NOW)
    with session_scope(engine) as session:
        again = inbox.add_updates(session=session, rows=[row(2), row(3, None), row(1)], now=NOW)
        assert inbox.pending_count(session=session) == 3
    assert [r.update_id for r in first] == [1, 2]
    assert again == [row(3, None)]


def test_claims_processing_and_pruning(engine: Engine) -> None:
    later = NOW + timedelta(minutes=1)
    with session_scope(engine) as session:
        inbox.add_updates(session=session, rows=[row(1), row(2), row(3)], now=NOW)
    with session_scope(engine) as session:  # all claimed by the receiver just now
        assert inbox.claim_pending(session=session, now=later, stale_before=NOW) == []
    with session_scope(engine) as session:
        inbox.mark_processed(session=session, done=[(1, None), (2, "bug")], now=later)
        inbox.renew_claims(session=session, update_ids=[3], now=later)
    with session_scope(engine) as session:  # a stale claim is taken over, an attempt more
        stale = later + timedelta(seconds=1)
        claimed = inbox.claim_pending(session=session, now=later, stale_before=stale)
        assert [(r.update_id, r.attempts) for r in claimed] == [(3, 1)]
        assert inbox.pending_count(session=session) == 1
    with session_scope(engine) as session:
        gone = inbox.prune(session=session, processed_before=later + timedelta(seconds=1))
    assert gone == 2
