"""One outreach send's bookkeeping, each step one transaction: the outbox row and its journal
row (`message`, outbound, with its delivery state; see storage/outbound.py) move together.

The dispatcher sends with the bot's own journal off and journals here instead, so a message is
recorded once, and one commit before the call does it all: the previous send becomes `sent`
(outbox and journal), this row `sending` and its journal row `sending`. Never two rows
`sending` at once, so a kill leaves at most one `unconfirmed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from storage import outbound, outreach_send
from storage.db import session_scope

# 5xx and network errors: this many attempts in all, the n-th retry after BACKOFF * 2**(n-1).
MAX_ATTEMPTS = 5
BACKOFF = timedelta(seconds=30)
BACKOFF_MAX = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Sent:
    """A send Telegram confirmed, whose rows are still `sending`."""

    row_id: int
    journal_id: int | None
    telegram_message_id: int
    at: datetime
    text: str


def start(
    engine: Engine,
    row_id: int,
    *,
    now: datetime,
    chat_id: int,
    text: str,
    done: Sent | None = None,
) -> tuple[bool, int | None]:
    """`done` -> sent; this row planned -> sending with its journal row. (False, None): the row
    is not ours to send (another process has it, it was cancelled)."""
    with session_scope(engine) as session:
        if done is not None:
            _finish_sent(session, done)
        if not outreach_send.mark_sending(session=session, row_id=row_id, now=now):
            return False, None
        journal_id = outbound.begin(
            session=session, chat_id=chat_id, kind="text", text=text, update_id=None, now=now
        )
        return True, journal_id


def finish_sent(engine: Engine, done: Sent) -> None:
    with session_scope(engine) as session:
        _finish_sent(session, done)


def _finish_sent(session: Session, done: Sent) -> None:
    outreach_send.finish(
        session=session,
        row_id=done.row_id,
        status="sent",
        now=done.at,
        telegram_message_id=done.telegram_message_id,
    )
    if done.journal_id is not None:
        outbound.finish(
            session=session,
            row_id=done.journal_id,
            telegram_message_id=done.telegram_message_id,
            sent_at=done.at,
            kind="text",
            text=done.text,
        )


def _journal(session: Session, journal_id: int | None, delivery: str) -> None:
    """unconfirmed (maybe delivered), or failed: the journal row goes (no such message)."""
    if journal_id is not None:
        outbound.set_delivery(session=session, row_id=journal_id, delivery=delivery)


def unsent(
    engine: Engine,
    row_id: int,
    journal_id: int | None,
    *,
    now: datetime,
    status: str,
    error: str,
) -> None:
    """failed (refused, blocked, out of retries) or unconfirmed (timed out: maybe delivered)."""
    with session_scope(engine) as session:
        outreach_send.finish(session=session, row_id=row_id, status=status, now=now, error=error)
        _journal(session, journal_id, "unconfirmed" if status == "unconfirmed" else "failed")


def retry_later(
    engine: Engine,
    row_id: int,
    journal_id: int | None,
    *,
    now: datetime,
    attempts: int,
    error: str,
    retry_after: float | None = None,
) -> str:
    """A fault worth another try (it did not arrive): back to planned (429: after
    `retry_after`, not counted as an attempt), or `failed` after MAX_ATTEMPTS attempts. The
    status it ended in."""
    with session_scope(engine) as session:
        _journal(session, journal_id, "failed")
        if retry_after is not None:
            outreach_send.finish(
                session=session,
                row_id=row_id,
                status="planned",
                now=now,
                due_at=now + timedelta(seconds=retry_after),
                error=error,
                reason="rate_limited",
                count_attempt=False,
            )
            return "planned"
        if attempts >= MAX_ATTEMPTS:
            outreach_send.finish(
                session=session, row_id=row_id, status="failed", now=now, error=error
            )
            return "failed"
        delay = min(BACKOFF_MAX, BACKOFF * 2 ** max(0, attempts - 1))
        outreach_send.finish(
            session=session,
            row_id=row_id,
            status="planned",
            now=now,
            due_at=now + delay,
            error=error,
            reason="retry",
        )
        return "planned"


def recover(engine: Engine, *, before: datetime) -> int:
    """Start-up: rows left `sending` by a dead process -> unconfirmed; their leases dropped.
    (Their journal rows are made unconfirmed by the runner's journal recovery.)"""
    with session_scope(engine) as session:
        count = outreach_send.recover(session=session, before=before)
        outbound.unconfirm_sending(session=session, before=before)
        return count
