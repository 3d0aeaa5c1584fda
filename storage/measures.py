"""One set-based aggregation of every customer's raw CES measures (no per-customer queries).

The same statement (`storage.measures_sql`) serves the full recompute (all customers) and the
incremental refresh (one customer, every sub-query filtered by id), so both paths see exactly
the same numbers. The formula that uses these measures lives in `scoring.ces` (README,
'Customer Engagement Score'); this module only counts.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Select, func, select
from sqlmodel import Session

from storage.measures_sql import COLUMNS, CUSTOMER, PURCHASE, measures_template

_NO_SPEND = Decimal(0)


@dataclass(frozen=True, slots=True)
class MeasureWindow:
    """What to count: `now`, the rolling windows, the sentiment half-life and the local zone."""

    now: datetime
    window_days: float = 90.0
    frequency_days: float = 30.0
    sentiment_half_life_days: float = 30.0
    declining_days: float = 14.0
    timezone: str = "Asia/Jakarta"


class CustomerMeasures(NamedTuple):
    """One customer's raw counts at `MeasureWindow.now`, as the database sees them: one row of
    the aggregation (`storage.measures_sql.COLUMNS`, the two moments turned into ages). The
    names are those of `scoring.ces.RawMeasures` (plus `spend`), so the formula reads a row as
    it is (`scoring.ces.Measures`)."""

    customer_id: int
    active_days_30: int  # distinct local days with an inbound message, last `frequency_days`
    active_days_total: int  # the same, ever
    button_clicks: int
    sentiment_mean: float | None  # recency-weighted mean polarity of scored inbound texts
    feedback_texts: int
    ratings: int  # CSAT and NPS answers
    csat_mean: float | None
    nps_mean: float | None
    last_csat: int | None
    referrals: int
    spend_cents: int
    peak_ces: float | None  # highest snapshot within `declining_days`
    segment: str | None  # the customer's current (stored) segment
    days_since_first_seen: float
    days_since_last_inbound: float | None  # None: never sent anything

    @property
    def spend(self) -> Decimal:
        """`spend_cents` in currency units, exactly."""
        cents = self.spend_cents
        return Decimal(cents) / 100 if cents else _NO_SPEND


assert CustomerMeasures._fields[:-2] == COLUMNS[:-2]


def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def measure_params(
    dialect: str, window: MeasureWindow, customer_id: int | None = None
) -> dict[str, Any]:
    """The values of `measures_template`'s parameters for `window` (and one customer)."""
    now = window.now
    params: dict[str, Any] = {
        "window_start": now - timedelta(days=window.window_days),
        "frequency_start": now - timedelta(days=window.frequency_days),
        "declining_start": now - timedelta(days=window.declining_days),
        "half_life": window.sentiment_half_life_days,
    }
    if dialect == "sqlite":
        offset = now.astimezone(_zone(window.timezone)).utcoffset() or timedelta(0)
        params["now_text"] = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        params["day_shift"] = f"{int(offset.total_seconds() // 60):+d} minutes"
    else:
        params["now"] = now
        params["timezone"] = window.timezone
    if customer_id is not None:
        params["customer_id"] = customer_id
    return params


def measures_statement(
    dialect: str, window: MeasureWindow, customer_id: int | None = None
) -> Select[*tuple[Any, ...]]:
    """The aggregation with its values bound: a row per (not erased) customer, or one."""
    template = measures_template(dialect, customer_id is not None)
    return template.params(measure_params(dialect, window, customer_id))


def _to_measures(dialect: str, now: datetime) -> Callable[[Any], CustomerMeasures]:
    """An aggregation row (the driver's values) to `CustomerMeasures`, ages at `now` in days.

    SQLite returns the stored UTC text (`UTCDateTime` stores it without an offset): parsed as
    naive UTC, it gives the same timedelta as aware datetimes would, without making them aware
    first. One call per customer in the full run, so the row is built with `tuple.__new__`."""
    make = tuple.__new__
    parse: Callable[[Any], datetime]
    if dialect == "sqlite":
        moment = now.astimezone(UTC).replace(tzinfo=None)
        fromisoformat = datetime.fromisoformat

        def parse(text: str) -> datetime:
            value = fromisoformat(text)
            return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)

    else:
        moment, parse = now, lambda value: value  # the driver's aware datetime

    def to_measures(row: Any) -> CustomerMeasures:
        last = row[-1]
        return make(  # type: ignore[no-any-return]
            CustomerMeasures,
            row[:-2]
            + (
                (moment - parse(row[-2])).total_seconds() / 86400.0,
                (moment - parse(last)).total_seconds() / 86400.0 if last is not None else None,
            ),
        )

    return to_measures


def customer_measures(
    *, session: Session, window: MeasureWindow, customer_id: int | None = None
) -> Iterator[CustomerMeasures]:
    """Every (not erased) customer's raw measures (or one customer's), streamed in id order."""
    connection = session.connection()
    dialect = connection.dialect.name
    statement = measures_template(dialect, customer_id is not None)
    params = measure_params(dialect, window, customer_id)
    # On the execution, not the connection: later statements must not inherit streaming.
    result = connection.execute(statement, params, execution_options={"yield_per": 5000})
    yield from map(_to_measures(dialect, window.now), result)


def count_customers(*, session: Session) -> int:
    """How many rows `customer_measures` yields for all customers (for a progress bar)."""
    query = select(func.count()).select_from(CUSTOMER).where(CUSTOMER.c.erased_at.is_(None))
    return int(session.connection().execute(query).scalar_one())


def shop_has_purchases(*, session: Session) -> bool:
    """Whether the shop records purchases at all (the monetary component counts only then)."""
    return session.connection().execute(select(PURCHASE.c.id).limit(1)).first() is not None
