"""The inbox use-cases (see storage/inbox.py): each one short transaction, run off the loop."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from storage import inbox
from storage.db import session_scope
from storage.inbox import InboxRow


def claim(engine: Engine, *, now: datetime, stale_before: datetime) -> list[InboxRow]:
    with session_scope(engine) as session:
        return inbox.claim_pending(session=session, now=now, stale_before=stale_before)


def settle(
    session: Session,
    *,
    done: Sequence[tuple[int, str | None]],
    renew: Sequence[int],
    now: datetime,
) -> None:
    """Mark handled rows processed and keep the claims of rows still in hand fresh."""
    inbox.mark_processed(session=session, done=done, now=now)
    inbox.renew_claims(session=session, update_ids=renew, now=now)


def prune(engine: Engine, *, processed_before: datetime) -> int:
    with session_scope(engine) as session:
        return inbox.prune(session=session, processed_before=processed_before)
