"""The durable inbox: raw updates committed before Telegram is told they arrived.

A receiver (polling or webhook) adds a whole batch in one transaction and claims it; a
processor handles the rows and marks them processed. A row whose claim went stale (its process
died) is claimed again and processed; a processed row never again. See README, "Nothing lost".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import and_, bindparam, delete, or_, select, update
from sqlmodel import Session

from storage._raw import Raw, run_each
from storage._sql import insert_ignore, table_of
from storage.models import InboxUpdate

INBOX = table_of(InboxUpdate)


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One update to process: its id, the chat it belongs to (None: no chat) and its JSON."""

    update_id: int
    chat_id: int | None
    payload: str
    attempts: int = 0


def add_updates(*, session: Session, rows: Sequence[InboxRow], now: datetime) -> list[InboxRow]:
    """Store and claim `rows` (one transaction with the caller's commit); the new ones back.

    An update stored before (Telegram sends it again until it is confirmed) is left as it is.
    """
    if not rows:
        return []
    connection = session.connection()
    added = run_each(
        connection,
        _insert(connection.dialect.name),
        [
            {
                "update_id": row.update_id,
                "chat_id": row.chat_id,
                "payload": row.payload,
                "received_at": now,
                "claimed_at": now,
                "attempts": 0,
                "processed_at": None,
                "error": None,
            }
            for row in rows
        ],
    )
    new = {row.update_id for row in added}
    return [row for row in rows if row.update_id in new]


@lru_cache(maxsize=4)
def _insert(dialect: str) -> Raw:
    return Raw(insert_ignore(INBOX, dialect, INBOX.c.update_id))


def claim_pending(
    *, session: Session, now: datetime, stale_before: datetime, limit: int = 1000
) -> list[InboxRow]:
    """Claim unprocessed rows nobody holds (never claimed, or claimed before `stale_before`),
    oldest first; each claim counts as an attempt."""
    connection = session.connection()
    free = and_(
        INBOX.c.processed_at.is_(None),
        or_(INBOX.c.claimed_at.is_(None), INBOX.c.claimed_at < stale_before),
    )
    ids = list(
        connection.execute(
            select(INBOX.c.update_id).where(free).order_by(INBOX.c.update_id).limit(limit)
        ).scalars()
    )
    if not ids:
        return []
    claimed = connection.execute(
        update(INBOX)
        .where(INBOX.c.update_id.in_(ids), free)
        .values(claimed_at=now, attempts=INBOX.c.attempts + 1)
        .returning(INBOX.c.update_id, INBOX.c.chat_id, INBOX.c.payload, INBOX.c.attempts)
    ).all()
    rows = [InboxRow(r.update_id, r.chat_id, r.payload, r.attempts) for r in claimed]
    return sorted(rows, key=lambda row: row.update_id)


_RENEW = Raw(
    update(INBOX)
    .where(INBOX.c.update_id == bindparam("id"), INBOX.c.processed_at.is_(None))
    .values(claimed_at=bindparam("now"))
)
_DONE = Raw(
    update(INBOX)
    .where(INBOX.c.update_id == bindparam("id"))
    .values(processed_at=bindparam("now"), error=bindparam("why"))
)


def renew_claims(*, session: Session, update_ids: Iterable[int], now: datetime) -> None:
    """Keep the claims of rows still being processed fresh (so nobody takes them over)."""
    params = [{"id": update_id, "now": now} for update_id in update_ids]
    if params:
        _RENEW.many(session.connection(), params)


def mark_processed(
    *, session: Session, done: Iterable[tuple[int, str | None]], now: datetime
) -> None:
    """Mark rows processed: (update_id, None) when handled, (update_id, why) when given up."""
    params = [{"id": update_id, "now": now, "why": why} for update_id, why in done]
    if params:
        _DONE.many(session.connection(), params)


def prune(*, session: Session, processed_before: datetime) -> int:
    """Delete rows processed before `processed_before`; how many went."""
    result = session.connection().execute(
        delete(INBOX).where(INBOX.c.processed_at < processed_before)
    )
    return int(result.rowcount or 0)


def erase_chat(*, session: Session, chat_id: int, up_to: int | None = None) -> None:
    """Delete a chat's stored updates, up to update `up_to` when given (/forget: the raw JSON
    holds names and texts)."""
    where = INBOX.c.chat_id == chat_id
    if up_to is not None:
        where = and_(where, INBOX.c.update_id <= up_to)
    session.connection().execute(delete(INBOX).where(where))


def pending_count(*, session: Session) -> int:
    statement = select(INBOX.c.update_id).where(INBOX.c.processed_at.is_(None))
    return len(session.connection().execute(statement).all())
