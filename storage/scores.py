"""CES snapshots and each customer's current score: bulk writes, history and trends."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlmodel import Session

from storage.columns import UTCDateTime
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
# Every customer scored by a run takes the run's new snapshot as current score.
_CURRENT_FROM_SNAPSHOTS = (
    update(CUSTOMER)
    .values(
        ces=SCORE.c.ces,
        segment=SCORE.c.segment,
        declining=SCORE.c.declining,
        scored_at=SCORE.c.computed_at,
    )
    .where(
        SCORE.c.customer_id == CUSTOMER.c.id,
        SCORE.c.id > bindparam("after"),  # this run's rows: ids come after every earlier one
        SCORE.c.computed_at == bindparam("at", type_=UTCDateTime),
    )
)


# A snapshot row as `write_run` takes it (the run's time is shared, so not in the row).
SNAPSHOT_FIELDS = ("customer_id", "ces", "segment", "declining", *COMPONENT_COLUMNS)


def write_run(*, session: Session, computed_at: datetime, rows: Sequence[Sequence[Any]]) -> None:
    """One scoring run's snapshots, all taken at `computed_at`, each made its customer's current
    score. Each row holds the values of `SNAPSHOT_FIELDS`, in that order.

    This is the hot end of `akrab score` (a row per customer), so rows go to the driver's
    executemany as plain tuples, each value converted once by its column type's own bind
    processor (the shared `computed_at` once in all), skipping SQLAlchemy's per-row parameter
    handling; with positional parameters (SQLite), many rows per INSERT. The customers'
    current scores are then copied from the new snapshots in one UPDATE ... FROM, instead of an
    UPDATE per customer.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    before = connection.execute(select(func.max(SCORE.c.id))).scalar() or 0
    names = ("computed_at", *SNAPSHOT_FIELDS)
    compiled = (
        insert(SCORE).values({name: bindparam(name) for name in names}).compile(dialect=dialect)
    )
    order = compiled.positiontup if compiled.positional else names
    assert order is not None
    position = {name: i for i, name in enumerate(SNAPSHOT_FIELDS)}
    processors = {
        name: SCORE.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    }
    at_processor = processors["computed_at"]
    at = at_processor(computed_at) if at_processor else computed_at
    at_index = order.index("computed_at")
    fields = [(position[name], processors[name]) for name in order if name != "computed_at"]
    params: list[Any] = []
    for row in rows:
        values = [row[i] if convert is None else convert(row[i]) for i, convert in fields]
        values.insert(at_index, at)
        params.append(
            tuple(values) if compiled.positional else dict(zip(order, values, strict=True))
        )
    if compiled.positional:
        _insert_batched(connection, compiled.string, params)
    else:
        connection.exec_driver_sql(compiled.string, params)
    connection.execute(_CURRENT_FROM_SNAPSHOTS, {"after": before, "at": computed_at})


# Parameters per multi-row INSERT: SQLite's oldest limit for one statement (newer ones take more).
_MAX_PARAMS = 999


def _insert_batched(connection: Connection, statement: str, params: list[tuple[Any, ...]]) -> None:
    """`statement` (INSERT ... VALUES (?, ...)) for every row of `params`, as many rows per
    statement as `_MAX_PARAMS` allows, in one executemany over the batches (the driver steps once
    per batch, not per row), then the rest row by row. Each value is bound as it would be alone."""
    head, values = statement.rsplit(" VALUES ", 1)
    assert values.startswith("("), statement
    assert values.endswith(")"), statement
    size = max(1, _MAX_PARAMS // len(params[0]))
    whole = len(params) - len(params) % size
    if whole:
        batched = f"{head} VALUES {', '.join([values] * size)}"
        flat = chain.from_iterable
        batches = [tuple(flat(params[i : i + size])) for i in range(0, whole, size)]
        connection.exec_driver_sql(batched, batches)
    if whole < len(params):
        connection.exec_driver_sql(statement, params[whole:])


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
