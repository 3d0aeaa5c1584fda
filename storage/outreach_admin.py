"""The outbox for people: list, stats, retry, cancel, response tracking and erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, or_, select, update
from sqlmodel import Session

from storage._sql import table_of
from storage.models import Message, Outreach

OUTREACH = table_of(Outreach)
MESSAGE = table_of(Message)
RETRYABLE = ("failed", "unconfirmed")  # kept in step with scoring.outreach_rules.RETRYABLE


@dataclass(frozen=True, slots=True)
class Row:
    id: int
    kind: str
    customer_id: int
    status: str
    reason: str | None
    due_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None
    responded_at: datetime | None
    variant: str | None


def list_rows(
    *,
    session: Session,
    status: str | None = None,
    kind: str | None = None,
    customer_id: int | None = None,
    limit: int = 200,
) -> list[Row]:
    """Newest due first."""
    query = select(
        OUTREACH.c.id,
        OUTREACH.c.kind,
        OUTREACH.c.customer_id,
        OUTREACH.c.status,
        OUTREACH.c.reason,
        OUTREACH.c.due_at,
        OUTREACH.c.sent_at,
        OUTREACH.c.attempts,
        OUTREACH.c.last_error,
        OUTREACH.c.responded_at,
        OUTREACH.c.variant,
    )
    for column, value in ((OUTREACH.c.status, status), (OUTREACH.c.kind, kind)):
        if value is not None:
            query = query.where(column == value)
    if customer_id is not None:
        query = query.where(OUTREACH.c.customer_id == customer_id)
    query = query.order_by(OUTREACH.c.due_at.desc(), OUTREACH.c.id.desc()).limit(limit)
    return [Row(*r) for r in session.connection().execute(query)]


def counts(
    *, session: Session, since: datetime
) -> list[tuple[str, str | None, str, str | None, int, int]]:
    """(kind, variant, status, reason, rows, responded) for rows due or sent since `since`."""
    when = or_(OUTREACH.c.due_at >= since, OUTREACH.c.sent_at >= since)
    query = (
        select(
            OUTREACH.c.kind,
            OUTREACH.c.variant,
            OUTREACH.c.status,
            OUTREACH.c.reason,
            func.count(),
            func.count(OUTREACH.c.responded_at),
        )
        .where(when)
        .group_by(OUTREACH.c.kind, OUTREACH.c.variant, OUTREACH.c.status, OUTREACH.c.reason)
    )
    return [tuple(r) for r in session.connection().execute(query)]  # type: ignore[misc]


def retry(*, session: Session, row_id: int, now: datetime) -> str | None:
    """A failed or unconfirmed row back to planned, due now; its old status (None: no row)."""
    status = (
        session.connection()
        .execute(select(OUTREACH.c.status).where(OUTREACH.c.id == row_id))
        .scalar()
    )
    if status in RETRYABLE:
        session.connection().execute(
            update(OUTREACH)
            .where(OUTREACH.c.id == row_id, OUTREACH.c.status == status)
            .values(status="planned", due_at=now, claimed_at=None, reason="retried by owner")
        )
    return status


def cancel(
    *, session: Session, row_id: int | None = None, kind: str | None = None, reason: str
) -> int:
    """Planned rows (one by id, or every one of a kind) -> cancelled; how many."""
    where = [OUTREACH.c.status == "planned"]
    if row_id is not None:
        where.append(OUTREACH.c.id == row_id)
    if kind is not None:
        where.append(OUTREACH.c.kind == kind)
    result = session.connection().execute(
        update(OUTREACH).where(*where).values(status="cancelled", reason=reason)
    )
    return int(result.rowcount or 0)


def status_of(*, session: Session, row_id: int) -> str | None:
    return (
        session.connection()
        .execute(select(OUTREACH.c.status).where(OUTREACH.c.id == row_id))
        .scalar()
    )


def track_responses(*, session: Session, now: datetime, window: timedelta) -> int:
    """Mark `responded_at` on each sent automated message that its customer answered (any
    inbound message or button press) within `window` and before the next automated message.
    Three statements whatever the number of rows (the first on ix_outreach_status_sent); how
    many were marked."""
    connection = session.connection()
    lookback = now - window - timedelta(days=1)  # the job may not have run for a while
    since = lookback - window
    open_rows = connection.execute(
        select(OUTREACH.c.id, OUTREACH.c.customer_id, OUTREACH.c.sent_at).where(
            OUTREACH.c.status == "sent",
            OUTREACH.c.responded_at.is_(None),
            OUTREACH.c.sent_at >= lookback,
        )
    ).all()
    if not open_rows:
        return 0
    customers = sorted({r.customer_id for r in open_rows})
    # Status and direction are tested here, not in SQL: SQLite has no statistics (no ANALYZE)
    # and would plan them on a status or direction index (ix_outreach_due or _status_sent,
    # ix_message_report), reading every sent row or inbound message of the period, instead of
    # these customers' rows (ix_outreach_customer_sent, ix_message_customer_sent).
    sent: dict[int, list[datetime]] = {}
    for customer_id, at, status in connection.execute(
        select(OUTREACH.c.customer_id, OUTREACH.c.sent_at, OUTREACH.c.status).where(
            OUTREACH.c.customer_id.in_(customers), OUTREACH.c.sent_at >= since
        )
    ):
        if status == "sent":
            sent.setdefault(customer_id, []).append(at)
    inbound: dict[int, list[datetime]] = {}
    for customer_id, at, direction in connection.execute(
        select(MESSAGE.c.customer_id, MESSAGE.c.sent_at, MESSAGE.c.direction)
        .where(MESSAGE.c.customer_id.in_(customers), MESSAGE.c.sent_at >= lookback)
        .order_by(MESSAGE.c.sent_at)
    ):
        if direction == "in":
            inbound.setdefault(customer_id, []).append(at)
    marks = []
    for row in open_rows:
        later = [s for s in sent.get(row.customer_id, []) if s > row.sent_at]
        until = min([row.sent_at + window, *later])
        # Telegram dates a customer's message in whole seconds: an answer in the same second
        # as the send (a quick tap) is still after it.
        start = row.sent_at.replace(microsecond=0)
        answer = next((m for m in inbound.get(row.customer_id, []) if start <= m <= until), None)
        if answer is not None:
            marks.append({"row_id": row.id, "at": answer})
    if marks:
        connection.execute(
            update(OUTREACH)
            .where(OUTREACH.c.id == bindparam("row_id"), OUTREACH.c.responded_at.is_(None))
            .values(responded_at=bindparam("at")),
            marks,
        )
    return len(marks)


def erase_customer(*, session: Session, customer_id: int, now: datetime) -> None:
    """/forget: planned rows cancelled, every row's text blanked (no personal data left)."""
    connection = session.connection()
    connection.execute(
        update(OUTREACH)
        .where(OUTREACH.c.customer_id == customer_id, OUTREACH.c.status == "planned")
        .values(status="cancelled", reason="erased")
    )
    connection.execute(
        update(OUTREACH)
        .where(OUTREACH.c.customer_id == customer_id)
        .values(text="", last_error=None)
    )
