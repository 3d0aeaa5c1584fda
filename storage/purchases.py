"""Purchase queries: add purchases once (by dedupe key), and list a customer's."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage._sql import insert_ignore
from storage.models import Purchase

PURCHASE = Purchase.__table__  # type: ignore[attr-defined]


def add_purchase(
    *,
    session: Session,
    customer_id: int,
    amount_cents: int,
    currency: str,
    purchased_at: datetime,
    dedupe_key: str,
    now: datetime,
    source: str = "csv",
    external_id: str | None = None,
    note: str | None = None,
) -> bool:
    """Add a purchase unless one with the same dedupe key exists; True when added."""
    connection = session.connection()
    statement = insert_ignore(PURCHASE, connection.dialect.name, PURCHASE.c.id)
    result = connection.execute(
        statement,
        {
            "customer_id": customer_id,
            "amount_cents": amount_cents,
            "currency": currency,
            "purchased_at": purchased_at,
            "source": source,
            "external_id": external_id,
            "dedupe_key": dedupe_key,
            "note": note,
            "created_at": now,
        },
    )
    return result.first() is not None  # rowcount is not reliable for INSERT on every driver


def purchases_for(*, session: Session, customer_id: int) -> list[Purchase]:
    return list(
        session.exec(
            select(Purchase)
            .where(Purchase.customer_id == customer_id)
            .order_by(col(Purchase.purchased_at), col(Purchase.id))
        )
    )
