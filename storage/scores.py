"""CES snapshots and each customer's current score: bulk writes, history and trends."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlmodel import Session

from storage.models import Customer, Score

SCORE = Score.__table__  # type: ignore[attr-defined]
CUSTOMER = Customer.__table__  # type: ignore[attr-defined]
COMPONENT_COLUMNS = ("frequency", "recency", "depth", "monetary", "sentiment", "satisfaction")

_SET_CURRENT = (
    update(CUSTOMER)
    .where(CUSTOMER.c.id == bindparam("customer_id"))
    .values(
        ces=bindparam("new_ces"),
        segment=bindparam("new_segment"),
        declining=bindparam("new_declining"),
        scored_at=bindparam("new_scored_at"),
    )
)


def current_segments(*, session: Session) -> dict[int, str | None]:
    """Every (not erased) customer's current segment, before a run changes it."""
    rows = session.connection().execute(
        select(CUSTOMER.c.id, CUSTOMER.c.segment).where(CUSTOMER.c.erased_at.is_(None))
    )
    return {row.id: row.segment for row in rows}


def write_snapshots(*, session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert one snapshot per row (keys: customer_id, computed_at, ces, segment, declining and
    the component columns) and make each the customer's current score."""
    if not rows:
        return
    connection = session.connection()
    connection.execute(insert(SCORE), list(rows))
    set_current(session=session, rows=rows)


def set_current(*, session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Update customers' current CES without a snapshot (the per-customer refresh)."""
    session.connection().execute(
        _SET_CURRENT,
        [
            {
                "customer_id": row["customer_id"],
                "new_ces": row["ces"],
                "new_segment": row["segment"],
                "new_declining": row["declining"],
                "new_scored_at": row["computed_at"],
            }
            for row in rows
        ],
    )


def prune_snapshots(*, session: Session, before: datetime) -> int:
    """Delete snapshots older than `before` (retention); returns how many went."""
    result = session.connection().execute(delete(SCORE).where(SCORE.c.computed_at < before))
    return int(result.rowcount or 0)


def ces_series(
    *, session: Session, customer_id: int, limit: int = 30
) -> list[tuple[datetime, float]]:
    """A customer's last `limit` snapshots as (time, CES), oldest first."""
    rows = session.connection().execute(
        select(SCORE.c.computed_at, SCORE.c.ces)
        .where(SCORE.c.customer_id == customer_id)
        .order_by(SCORE.c.computed_at.desc(), SCORE.c.id.desc())
        .limit(limit)
    )
    return [(row.computed_at, row.ces) for row in rows][::-1]


def segment_counts_over_time(
    *, session: Session, since: datetime
) -> list[tuple[datetime, str, int]]:
    """(run time, segment, customers) for every scoring run since `since`, oldest first."""
    rows = session.connection().execute(
        select(SCORE.c.computed_at, SCORE.c.segment, func.count())
        .where(SCORE.c.computed_at >= since)
        .group_by(SCORE.c.computed_at, SCORE.c.segment)
        .order_by(SCORE.c.computed_at, SCORE.c.segment)
    )
    return [(row[0], row[1], int(row[2])) for row in rows]
