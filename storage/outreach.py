"""The outbox of automated messages (`outreach`): planned once, sent at most once.

Planners add intents (a unique `dedupe_key` makes a second plan a no-op). The dispatcher leases
due rows (`claimed_at`, while still `planned`: a lease lost with its process is harmless), and
right before each Telegram call moves one row `planned` -> `sending` with a conditional UPDATE:
whoever moves it sends it, nobody else ever can. A row still `sending` when a process starts
again becomes `unconfirmed` (it may have arrived) and is never resent by itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, text, update
from sqlmodel import Session

from storage._raw import Raw, run_each
from storage._sql import insert_ignore, table_of
from storage.models import Customer, Outreach

OUTREACH = table_of(Outreach)
CUSTOMER = table_of(Customer)
# PostgreSQL: one claim transaction at a time (pg_advisory_xact_lock), so the caps of a
# customer are counted with every other process's leases in view.
CLAIM_LOCK_KEY = 0x616B7261  # "akra"
_DEFAULTS: dict[str, Any] = {
    "variant": None,
    "campaign_id": None,
    "language": "id",
    "priority": 0,
    "expires_at": None,
    "status": "planned",
    "reason": None,
    "attempts": 0,
    "last_error": None,
    "claimed_at": None,
    "sent_at": None,
    "telegram_message_id": None,
    "responded_at": None,
}
SENT_LIKE = ("sent", "sending", "unconfirmed")


@dataclass(frozen=True, slots=True)
class Due:
    """A leased row with what the rules and the send need."""

    id: int
    customer_id: int
    kind: str
    priority: int
    due_at: datetime
    expires_at: datetime | None
    text: str
    language: str
    chat_id: int | None
    attempts: int
    opted_out: bool
    blocked: bool
    erased: bool


def add_intents(
    *, session: Session, rows: Sequence[dict[str, Any]], now: datetime | None = None
) -> int:
    """Insert planned rows, ignoring those whose `dedupe_key` exists; how many were new.

    Each dict has kind, customer_id, dedupe_key, template, text, due_at (UTC) and optionally
    variant, campaign_id, language, priority, expires_at, created_at, and status `skipped` with
    a reason (an intent remembered as not to be sent, e.g. for a customer who sent /stop)."""
    if not rows:
        return 0
    created = now or datetime.now(UTC)
    values = [{**_DEFAULTS, "created_at": created, **row} for row in rows]
    for value in values:
        if value["status"] not in {"planned", "skipped"}:
            raise ValueError(f"an intent is planned or skipped, not {value['status']!r}")
    connection = session.connection()
    statement = _insert_intents(connection.dialect.name)
    if len(values) <= SMALL:
        return len(run_each(connection, statement, values))  # a complaint's, on the ingest path
    new = 0
    for start in range(0, len(values), 1000):  # SQLAlchemy's insertmanyvalues: few statements
        chunk = values[start : start + 1000]
        new += len(connection.execute(statement.statement, chunk).fetchall())
    return new


SMALL = 20  # rows added one statement each on SQLite's cursor (see storage/_raw.py)


@lru_cache(maxsize=4)
def _insert_intents(dialect: str) -> Raw:
    return Raw(insert_ignore(OUTREACH, dialect, OUTREACH.c.id))


def lease_due(
    *, session: Session, now: datetime, lease: timedelta, limit: int
) -> tuple[list[Due], dict[int, tuple[datetime, ...]]]:
    """Lease up to `limit` due planned rows nobody holds (highest priority, oldest first),
    with their customers' capped sends of the last 7 days (sent, sending, unconfirmed, or
    leased by anyone); the caller decides and commits in the same transaction."""
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLAIM_LOCK_KEY})
    free = and_(
        OUTREACH.c.status == "planned",
        OUTREACH.c.due_at <= now,
        or_(OUTREACH.c.claimed_at.is_(None), OUTREACH.c.claimed_at < now - lease),
    )
    pick = (
        select(OUTREACH.c.id)
        .where(free)
        .order_by(OUTREACH.c.priority.desc(), OUTREACH.c.due_at, OUTREACH.c.id)
        .limit(limit)
    )
    if postgres:
        pick = pick.with_for_update(skip_locked=True)
    ids = list(connection.execute(pick).scalars())
    if not ids:
        return [], {}
    connection.execute(update(OUTREACH).where(OUTREACH.c.id.in_(ids), free).values(claimed_at=now))
    query = (
        select(
            OUTREACH.c.id,
            OUTREACH.c.customer_id,
            OUTREACH.c.kind,
            OUTREACH.c.priority,
            OUTREACH.c.due_at,
            OUTREACH.c.expires_at,
            OUTREACH.c.text,
            OUTREACH.c.language,
            CUSTOMER.c.chat_id,
            CUSTOMER.c.telegram_id,
            OUTREACH.c.attempts,
            CUSTOMER.c.opted_out,
            CUSTOMER.c.blocked,
            CUSTOMER.c.erased_at,
        )
        .join(CUSTOMER, CUSTOMER.c.id == OUTREACH.c.customer_id)
        .where(OUTREACH.c.id.in_(ids), OUTREACH.c.claimed_at == now)
    )
    due = [
        Due(
            id=r.id,
            customer_id=r.customer_id,
            kind=r.kind,
            priority=r.priority,
            due_at=r.due_at,
            expires_at=r.expires_at,
            text=r.text,
            language=r.language,
            chat_id=r.chat_id or r.telegram_id,
            attempts=r.attempts,
            opted_out=bool(r.opted_out),
            blocked=bool(r.blocked),
            erased=r.erased_at is not None,
        )
        for r in connection.execute(query)
    ]
    return due, recent_sends(
        session=session,
        customer_ids={d.customer_id for d in due},
        since=now - timedelta(days=7),
        exclude=[d.id for d in due],
        leased_after=now - lease,
    )


def recent_sends(
    *,
    session: Session,
    customer_ids: Iterable[int],
    since: datetime,
    exclude: Sequence[int] = (),
    leased_after: datetime | None = None,
) -> dict[int, tuple[datetime, ...]]:
    """Per customer, when their capped (non-campaign) messages went or are going out: sent,
    sending or unconfirmed, or (with `leased_after`) planned and leased since then."""
    ids = sorted(customer_ids)
    if not ids:
        return {}
    at = func.coalesce(OUTREACH.c.sent_at, OUTREACH.c.claimed_at)
    # The status rule is applied below, not in SQL: SQLite has no statistics (no ANALYZE) and
    # would plan a status term on ix_outreach_due, reading every sent row ever, instead of
    # these customers' rows on ix_outreach_customer_sent.
    query = select(OUTREACH.c.customer_id, at, OUTREACH.c.status, OUTREACH.c.claimed_at).where(
        OUTREACH.c.customer_id.in_(ids), OUTREACH.c.kind != "campaign", at >= since
    )
    if exclude:
        query = query.where(OUTREACH.c.id.not_in(list(exclude)))
    result: dict[int, list[datetime]] = {}
    for customer_id, moment, status, claimed_at in session.connection().execute(query):
        if status in SENT_LIKE or (
            leased_after is not None  # leased by another pass, about to be sent
            and status == "planned"
            and claimed_at is not None
            and claimed_at >= leased_after
        ):
            result.setdefault(customer_id, []).append(moment)
    return {k: tuple(v) for k, v in result.items()}


_SET: dict[str, Any] = {
    "status": bindparam("new_status"),
    "reason": bindparam("new_reason"),
    "due_at": bindparam("new_due_at"),
    "claimed_at": None,
}


def settle(*, session: Session, decisions: Sequence[dict[str, Any]]) -> None:
    """Apply not-sent decisions to planned rows: dicts of row_id, status, reason, due_at
    (a deferral keeps status planned with its new due_at)."""
    if not decisions:
        return
    statement = (
        update(OUTREACH)
        .where(OUTREACH.c.id == bindparam("row_id"), OUTREACH.c.status == "planned")
        .values(**_SET)
    )
    session.connection().execute(
        statement,
        [
            {
                "row_id": d["row_id"],
                "new_status": d["status"],
                "new_reason": d.get("reason"),
                "new_due_at": d["due_at"],
            }
            for d in decisions
        ],
    )
