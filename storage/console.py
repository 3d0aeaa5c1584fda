"""Queries of the owner console: finding customers, their recent messages and spend, the
at-risk and top lists, and one-tap outreach rows (the outbox's `outreach` table)."""

from __future__ import annotations

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from storage._sql import table_of
from storage.models import Customer, Message, Outreach, Purchase

OUTREACH = table_of(Outreach)


LIVING = col(Customer.erased_at).is_(None)  # not erased by /forget


def customer_by_id(*, session: Session, customer_id: int) -> Customer | None:
    """A customer by database id, unless erased by /forget."""
    found = session.get(Customer, customer_id)
    return found if found is not None and found.erased_at is None else None


def find_by_name(*, session: Session, name: str, limit: int) -> list[Customer]:
    """Customers whose first, last or full name contains `name` (case-insensitive), exact
    full-name matches first, then by CES (highest first); at most `limit`."""
    needle = name.strip().lower()
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    full = func.lower(
        func.coalesce(Customer.first_name, "") + " " + func.coalesce(Customer.last_name, "")
    )
    statement = (
        select(Customer)
        .where(LIVING)
        .where(
            or_(
                func.lower(Customer.first_name).like(pattern, escape="\\"),
                func.lower(Customer.last_name).like(pattern, escape="\\"),
                full.like(pattern, escape="\\"),
            )
        )
        .order_by(
            (func.trim(full) == needle).desc(),
            col(Customer.ces).desc().nulls_last(),
            col(Customer.id),
        )
        .limit(limit)
    )
    return list(session.exec(statement))


def last_messages(*, session: Session, customer_id: int, limit: int) -> list[Message]:
    """The customer's last `limit` messages (both directions), oldest first."""
    rows = session.exec(
        select(Message)
        .where(Message.customer_id == customer_id)
        .order_by(col(Message.sent_at).desc(), col(Message.id).desc())
        .limit(limit)
    )
    return list(rows)[::-1]


def spend_total(*, session: Session, customer_id: int) -> tuple[int, int]:
    """(cents spent, purchases) over all time."""
    row = session.exec(
        select(func.coalesce(func.sum(Purchase.amount_cents), 0), func.count()).where(
            Purchase.customer_id == customer_id
        )
    ).one()
    return int(row[0]), int(row[1])


def segment_page(
    *, session: Session, which: str, limit: int, offset: int
) -> tuple[list[Customer], int]:
    """A page of the at-risk list (segment at_risk or declining, lowest CES first) or the top
    list (advocates, highest CES first), and how many there are in all. Erased customers never
    appear; opted-out ones do (the owner may still want to talk to them)."""
    if which == "atrisk":
        where = or_(col(Customer.segment) == "at_risk", col(Customer.declining).is_(True))
        order = (col(Customer.ces).asc().nulls_last(), col(Customer.id))
    elif which == "top":
        where = col(Customer.segment) == "advocate"
        order = (col(Customer.ces).desc().nulls_last(), col(Customer.id))
    else:
        raise ValueError(f"unknown list {which!r}")
    total = session.exec(select(func.count()).select_from(Customer).where(LIVING, where)).one()
    rows = session.exec(
        select(Customer).where(LIVING, where).order_by(*order).limit(limit).offset(offset)
    )
    return list(rows), int(total)
