"""The customers' CSV export (`/export`, `akrab export customers`): one row per customer who is
not erased, with the current CES, the components of the latest scoring run and the spend."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from storage._sql import table_of
from storage.models import Customer, Purchase, Score
from storage.scores import COMPONENT_COLUMNS

CUSTOMER = table_of(Customer)
SCORE = table_of(Score)
PURCHASE = table_of(Purchase)

COLUMNS = (
    "customer_id",
    "telegram_id",
    "username",
    "first_name",
    "last_name",
    "language",
    "segment",
    "ces",
    "declining",
    *COMPONENT_COLUMNS,
    "scored_at",
    "first_seen",
    "last_seen",
    "purchases",
    "spend_cents",
    "opted_out",
    "blocked",
)


def customer_rows(*, session: Session) -> Iterator[tuple[Any, ...]]:
    """`COLUMNS` for every customer not erased, by id, streamed. The components come from the
    customer's newest snapshot (a seek on `ix_score_customer_time`); empty before any run."""
    c, s, p = CUSTOMER.c, SCORE.c, PURCHASE.c
    newest = (
        select(func.max(s.computed_at))
        .where(s.customer_id == c.id)
        .correlate(CUSTOMER)
        .scalar_subquery()
    )
    spend = (
        select(
            p.customer_id,
            func.count().label("purchases"),
            func.sum(p.amount_cents).label("cents"),
        )
        .group_by(p.customer_id)
        .subquery("spend")
    )
    query = (
        select(
            c.id,
            c.telegram_id,
            c.username,
            c.first_name,
            c.last_name,
            c.language,
            c.segment,
            c.ces,
            c.declining,
            *[s[name] for name in COMPONENT_COLUMNS],
            c.scored_at,
            c.first_seen,
            c.last_seen,
            func.coalesce(spend.c.purchases, 0),
            func.coalesce(spend.c.cents, 0),
            c.opted_out,
            c.blocked,
        )
        .select_from(
            CUSTOMER.outerjoin(
                SCORE, (s.customer_id == c.id) & (s.computed_at == newest)
            ).outerjoin(spend, spend.c.customer_id == c.id)
        )
        .where(c.erased_at.is_(None))
        .order_by(c.id, s.id.desc())
    )
    result = session.connection().execute(query, execution_options={"yield_per": 2000})
    previous = None
    for row in result:
        if row[0] != previous:  # two snapshots at the same moment: the newest row only
            previous = row[0]
            yield tuple(row)
