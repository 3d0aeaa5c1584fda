"""The send side of the outbox: one row `planned` -> `sending` before its Telegram call, then
sent / failed / unconfirmed / back to planned; start-up recovery (see storage/outreach.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from storage.outreach import OUTREACH


def mark_sending(*, session: Session, row_id: int, now: datetime) -> bool:
    """planned -> sending (one attempt more); False when it is no longer planned (someone else
    has it, or it was cancelled): then it must not be sent."""
    result = session.connection().execute(
        update(OUTREACH)
        .where(OUTREACH.c.id == row_id, OUTREACH.c.status == "planned")
        .values(status="sending", claimed_at=now, attempts=OUTREACH.c.attempts + 1)
    )
    return int(result.rowcount or 0) == 1


def finish(
    *,
    session: Session,
    row_id: int,
    status: str,
    now: datetime,
    telegram_message_id: int | None = None,
    error: str | None = None,
    due_at: datetime | None = None,
    reason: str | None = None,
    count_attempt: bool = True,
) -> None:
    """After the call: sent (with the message id), failed / unconfirmed (with the error), or
    back to planned at `due_at` (a retryable fault; `count_attempt=False` for a 429)."""
    values: dict[str, Any] = {"status": status, "last_error": error, "reason": reason}
    if status == "sent":
        values.update(sent_at=now, telegram_message_id=telegram_message_id, reason=None)
    elif status == "planned":
        assert due_at is not None
        values.update(due_at=due_at, claimed_at=None)
        if not count_attempt:
            values["attempts"] = OUTREACH.c.attempts - 1
    session.connection().execute(
        update(OUTREACH)
        .where(OUTREACH.c.id == row_id, OUTREACH.c.status.in_(("sending", "unconfirmed")))
        .values(**values)
    )


def recover(*, session: Session, before: datetime) -> int:
    """At start-up: rows `sending` since before `before` -> unconfirmed (never resent by
    themselves); leases taken before it are dropped (their process is gone)."""
    connection = session.connection()
    result = connection.execute(
        update(OUTREACH)
        .where(OUTREACH.c.status == "sending", OUTREACH.c.claimed_at < before)
        .values(status="unconfirmed", reason="no answer before the process stopped")
    )
    connection.execute(
        update(OUTREACH)
        .where(OUTREACH.c.status == "planned", OUTREACH.c.claimed_at < before)
        .values(claimed_at=None)
    )
    return int(result.rowcount or 0)
