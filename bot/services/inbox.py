"""The inbox use-cases (see storage/inbox.py): each one short transaction, run off the loop."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine

from storage import inbox
from storage.db import session_scope
from storage.inbox import InboxRow


def store(engine: Engine, rows: Sequence[InboxRow], *, now: datetime) -> list[InboxRow]:
    """Commit a batch of raw updates, claimed by this process; the ones not stored before."""
    with session_scope(engine) as session:
        return inbox.add_updates(session=session, rows=rows, now=now)


def claim(engine: Engine, *, now: datetime, stale_before: datetime) -> list[InboxRow]:
    with session_scope(engine) as session:
        return inbox.claim_pending(session=session, now=now, stale_before=stale_before)


def settle(
    engine: Engine,
    *,
    done: Sequence[tuple[int, str | None]],
    renew: Sequence[int],
    now: datetime,
) -> None:
    """Mark handled rows processed and keep the claims of rows still in hand fresh."""
    with session_scope(engine) as session:
        inbox.mark_processed(session=session, done=done, now=now)
        inbox.renew_claims(session=session, update_ids=renew, now=now)


def prune(engine: Engine, *, processed_before: datetime) -> int:
    with session_scope(engine) as session:
        return inbox.prune(session=session, processed_before=processed_before)
