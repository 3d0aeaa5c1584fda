"""The outreach planners' reads and their one bulk insert: one set-based statement per
planner, never a query per customer (the rules are scoring/planning.py and planning_days.py).

Dated intents (birthday, holiday, anniversary) leave out, in SQL, every customer whose
dedupe key is already in the outbox, so a planner that runs every minute on a holiday reads
nothing new after its first run. Rating, complaint and at-risk candidates are in
storage/planning_chats.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlmodel import Session

from storage._sql import insert_ignore, table_of
from storage.columns import UTCDateTime
from storage.models import Customer, Outreach
from storage.outreach import add_intents

OUTREACH = table_of(Outreach)
CUSTOMER = table_of(Customer)
ROW_FIELDS = (
    "kind",
    "customer_id",
    "dedupe_key",
    "template",
    "language",
    "text",
    "priority",
    "due_at",
    "expires_at",
)
ACTIVE = ("planned", "sending", "sent", "unconfirmed")  # an intent that went, or will go, out


class Recipient(NamedTuple):
    """A customer a planner may write to, with what the templates need."""

    id: int
    language: str
    first_name: str | None


class Dated(NamedTuple):
    id: int
    language: str
    first_name: str | None
    first_seen: datetime


def reachable() -> ColumnElement[bool]:
    """Customers automated messages may go to: not opted out, not blocked, not erased."""
    c = CUSTOMER.c
    return and_(
        c.opted_out == false(), c.blocked == false(), c.erased_at.is_(None), c.chat_id.isnot(None)
    )


def key_expr(prefix: str, suffix: str) -> ColumnElement[str]:
    """`prefix || customer.id || suffix` in SQL (the dedupe key a dated planner would use)."""
    expr: ColumnElement[str] = literal(prefix, String) + cast(CUSTOMER.c.id, String)
    return expr + literal(suffix, String) if suffix else expr


def not_planned(prefix: str, suffix: str) -> ColumnElement[bool]:
    """No outreach row has this customer's key yet (the unique index answers it)."""
    return ~exists().where(OUTREACH.c.dedupe_key == key_expr(prefix, suffix))


def _recipients(session: Session, *where: ColumnElement[bool]) -> list[Recipient]:
    c = CUSTOMER.c
    query = select(c.id, c.language, c.first_name).where(reachable(), *where).order_by(c.id)
    return [Recipient(*row) for row in session.execute(query)]


def birthday_candidates(
    *, session: Session, days: Sequence[tuple[int, int]], year: int
) -> list[Recipient]:
    """Reachable customers whose birthday is one of `days` (month, day) and who have no
    birthday greeting for `year` yet."""
    c = CUSTOMER.c
    on_day = or_(*(and_(c.birthday_month == m, c.birthday_day == d) for m, d in days))
    return _recipients(session, on_day, not_planned("birthday:", f":{year}"))


def holiday_candidates(*, session: Session, holiday: str, day: str) -> list[Recipient]:
    """Reachable customers without a greeting for this holiday on this day (ISO date)."""
    return _recipients(session, not_planned(f"holiday:{holiday}:", f":{day}"))


class TextParts(NamedTuple):
    """A rendered text split where the customer's first name goes, and the text without one."""

    around_name: Sequence[str]
    no_name: str


def _text_expr(texts: dict[str, TextParts]) -> ColumnElement[str]:
    """The per-customer text in SQL: the customer's language, their first name filled in."""
    c = CUSTOMER.c

    def filled(parts: TextParts) -> ColumnElement[str]:
        expr: ColumnElement[str] = literal(parts.around_name[0], String)
        for part in parts.around_name[1:]:
            expr = expr + c.first_name + literal(part, String)
        return case((or_(c.first_name.is_(None), c.first_name == ""), parts.no_name), else_=expr)

    fallback = filled(texts["en"])
    whens = [(c.language == lang, filled(parts)) for lang, parts in texts.items() if lang != "en"]
    return case(*whens, else_=fallback) if whens else fallback


def plan_holiday(
    *,
    session: Session,
    holiday: str,
    day: str,
    texts: dict[str, TextParts],
    priority: int,
    due_at: datetime,
    expires_at: datetime,
    now: datetime,
    dry_run: bool = False,
) -> tuple[int, list[dict[str, Any]]]:
    """Plan one holiday's greeting for every reachable customer in one INSERT … SELECT
    (a holiday writes a row per customer: too many to send through Python). Returns how many
    were planned (or would be) and a few of them."""
    c = CUSTOMER.c
    key = key_expr(f"holiday:{holiday}:", f":{day}")
    columns = {
        "kind": literal("holiday", String),
        "customer_id": c.id,
        "dedupe_key": key,
        "template": literal("holiday", String),
        "language": c.language,
        "text": _text_expr(texts),
        "priority": literal(priority),
        "due_at": literal(due_at, UTCDateTime()),
        "expires_at": literal(expires_at, UTCDateTime()),
        "status": literal("planned", String),
        "attempts": literal(0),
        "created_at": literal(now, UTCDateTime()),
    }
    chosen = select(*(value.label(name) for name, value in columns.items())).where(
        reachable(), not_planned(f"holiday:{holiday}:", f":{day}")
    )
    examples = [dict(row._mapping) for row in session.execute(chosen.order_by(c.id).limit(3))]
    if dry_run:
        total = session.execute(select(func.count()).select_from(chosen.subquery()))
        return total.scalar_one(), examples
    if not examples:  # nobody left: write nothing (no write lock taken)
        return 0, []
    dialect = session.get_bind().dialect.name
    statement = insert_ignore(OUTREACH, dialect, OUTREACH.c.id)
    result = session.execute(statement.from_select(list(columns), chosen))
    return len(result.all()), examples


def anniversary_candidates(
    *, session: Session, ranges: Sequence[tuple[datetime, datetime]], year: int
) -> list[Dated]:
    """Reachable customers first seen in one of the UTC `ranges` ([start, end): the local
    days whose anniversary is today) with no anniversary greeting for `year` yet."""
    if not ranges:
        return []
    c = CUSTOMER.c
    seen = or_(*(and_(c.first_seen >= start, c.first_seen < end) for start, end in ranges))
    query = (
        select(c.id, c.language, c.first_name, c.first_seen)
        .where(reachable(), seen, not_planned("anniversary:", f":{year}"))
        .order_by(c.id)
    )
    return [Dated(*row) for row in session.execute(query)]


def add_planned(*, session: Session, rows: Sequence[dict[str, Any]], now: datetime) -> int:
    """Insert planned outreach rows in bulk (`storage.outreach.add_intents`); a dedupe key
    already present is skipped, so two planners racing plan each intent once."""
    fields = [{name: row[name] for name in ROW_FIELDS if name in row} for row in rows]
    for value, row in zip(fields, rows, strict=True):
        value["status"] = row.get("status", "planned")
        value["reason"] = row.get("reason")
    return add_intents(session=session, rows=fields, now=now)


def existing_keys(*, session: Session, keys: Sequence[str]) -> set[str]:
    """Which of `keys` are already in the outbox (for dry runs)."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        query = select(OUTREACH.c.dedupe_key).where(OUTREACH.c.dedupe_key.in_(chunk))
        found.update(session.execute(query).scalars())
    return found
