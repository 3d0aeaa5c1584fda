"""One set-based aggregation of every customer's raw CES measures (no per-customer queries).

The same statement serves the full recompute (all customers) and the incremental refresh (one
customer, every sub-query filtered by id), so both paths see exactly the same numbers.
The formula that uses these measures lives in `scoring.ces` (README, 'Customer Engagement
Score'); this module only counts.
"""

from __future__ import annotations

import functools
import math
import zoneinfo
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Float, Integer, Row, String, and_, bindparam, case, cast, func, select, true
from sqlmodel import Session

from storage.models import Customer, Feedback, Message, Purchase, Score, UTCDateTime

CUSTOMER = Customer.__table__  # type: ignore[attr-defined]
MESSAGE = Message.__table__  # type: ignore[attr-defined]
FEEDBACK = Feedback.__table__  # type: ignore[attr-defined]
PURCHASE = Purchase.__table__  # type: ignore[attr-defined]
SCORE = Score.__table__  # type: ignore[attr-defined]
LN2 = math.log(2)


@dataclass(frozen=True, slots=True)
class MeasureWindow:
    """What to count: `now`, the rolling windows, the sentiment half-life and the local zone."""

    now: datetime
    window_days: float = 90.0
    frequency_days: float = 30.0
    sentiment_half_life_days: float = 30.0
    declining_days: float = 14.0
    timezone: str = "Asia/Jakarta"


@dataclass(frozen=True, slots=True)
class CustomerMeasures:
    """One customer's raw counts, as the database sees them."""

    customer_id: int
    first_seen: datetime
    active_days_30: int
    active_days_total: int
    last_inbound: datetime | None
    button_clicks: int
    sentiment_mean: float | None
    feedback_texts: int
    ratings: int
    csat_mean: float | None
    nps_mean: float | None
    last_csat: int | None
    referrals: int
    spend_cents: int
    peak_ces: float | None  # highest snapshot within `declining_days`


def _days_before(dialect: str, moment: Any) -> Any:
    """(now - moment) in days, as SQL (`now` is a parameter, see `measure_params`)."""
    if dialect == "sqlite":
        return func.julianday(bindparam("now_text", type_=String)) - func.julianday(moment)
    return func.extract("epoch", bindparam("now", type_=UTCDateTime) - moment) / 86400.0


def _local_day(dialect: str, moment: Any) -> Any:
    """The shop's local calendar day of a UTC timestamp, as SQL."""
    if dialect == "sqlite":
        return func.date(moment, bindparam("day_shift", type_=String))
    return func.date(func.timezone(bindparam("timezone", type_=String), moment))


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


def measures_statement(dialect: str, window: MeasureWindow, customer_id: int | None = None) -> Any:
    """The aggregation: one row of raw measures per (not erased) customer, values bound."""
    template = measures_template(dialect, customer_id is not None)
    return template.params(measure_params(dialect, window, customer_id))


@functools.cache
def measures_template(dialect: str, one_customer: bool) -> Any:
    """The aggregation with every moment, window and the customer as parameters (see
    `measure_params`): built once per dialect and kind, so the per-customer refresh does not
    rebuild (and SQLAlchemy re-key) a large statement on every message."""
    window_start = bindparam("window_start", type_=UTCDateTime)
    frequency_start = bindparam("frequency_start", type_=UTCDateTime)
    declining_start = bindparam("declining_start", type_=UTCDateTime)

    def only(column: Any) -> Any:
        return column == bindparam("customer_id", type_=Integer) if one_customer else true()

    m = MESSAGE.c
    day = _local_day(dialect, m.sent_at)
    in_window = m.sent_at >= window_start
    scored = and_(in_window, m.sentiment_polarity.is_not(None))
    weight = func.exp(-LN2 * _days_before(dialect, m.sent_at) / bindparam("half_life", type_=Float))
    inbound = (
        select(
            m.customer_id,
            func.count(func.distinct(case((m.sent_at >= frequency_start, day)))).label("ad30"),
            func.count(func.distinct(day)).label("adall"),
            func.max(m.sent_at).label("last_in"),
            func.sum(case((and_(in_window, m.kind == "callback"), 1), else_=0)).label("clicks"),
            func.sum(case((scored, weight * m.sentiment_polarity), else_=0.0)).label("wp"),
            func.sum(case((scored, weight), else_=0.0)).label("w"),
        )
        .where(m.direction == "in", only(m.customer_id))
        .group_by(m.customer_id)
        .subquery("inbound")
    )
    f = FEEDBACK.c
    recent = f.updated_at >= window_start
    feedback = (
        select(
            f.customer_id,
            func.sum(case((and_(recent, f.kind == "text"), 1), else_=0)).label("texts"),
            func.sum(case((and_(recent, f.kind.in_(["csat", "nps"])), 1), else_=0)).label("rates"),
            func.avg(case((and_(recent, f.kind == "csat"), cast(f.score, Float)))).label("csat"),
            func.avg(case((and_(recent, f.kind == "nps"), cast(f.score, Float)))).label("nps"),
        )
        .where(only(f.customer_id))
        .group_by(f.customer_id)
        .subquery("feedback")
    )
    ranked = (
        select(
            f.customer_id,
            f.score,
            func.row_number()
            .over(partition_by=f.customer_id, order_by=(f.updated_at.desc(), f.id.desc()))
            .label("rank"),
        )
        .where(f.kind == "csat", only(f.customer_id))
        .subquery("ranked")
    )
    last_csat = select(ranked.c.customer_id, ranked.c.score).where(ranked.c.rank == 1)
    last_csat_q = last_csat.subquery("last_csat")
    c = CUSTOMER.c
    referred = CUSTOMER.alias("referred")
    referrals = (
        select(referred.c.referred_by_id.label("customer_id"), func.count().label("n"))
        .where(referred.c.first_seen >= window_start, only(referred.c.referred_by_id))
        .group_by(referred.c.referred_by_id)
        .subquery("referrals")
    )
    p = PURCHASE.c
    spend = (
        select(p.customer_id, func.sum(p.amount_cents).label("cents"))
        .where(p.purchased_at >= window_start, only(p.customer_id))
        .group_by(p.customer_id)
        .subquery("spend")
    )
    s = SCORE.c
    peaks = (
        select(s.customer_id, func.max(s.ces).label("peak"))
        .where(s.computed_at >= declining_start, only(s.customer_id))
        .group_by(s.customer_id)
        .subquery("peaks")
    )
    return (
        select(
            c.id,
            c.first_seen,
            func.coalesce(inbound.c.ad30, 0),
            func.coalesce(inbound.c.adall, 0),
            inbound.c.last_in,
            func.coalesce(inbound.c.clicks, 0),
            case((inbound.c.w > 0, inbound.c.wp / inbound.c.w)),
            func.coalesce(feedback.c.texts, 0),
            func.coalesce(feedback.c.rates, 0),
            feedback.c.csat,
            feedback.c.nps,
            last_csat_q.c.score,
            func.coalesce(referrals.c.n, 0),
            func.coalesce(spend.c.cents, 0),
            peaks.c.peak,
        )
        .select_from(
            CUSTOMER.outerjoin(inbound, inbound.c.customer_id == c.id)
            .outerjoin(feedback, feedback.c.customer_id == c.id)
            .outerjoin(last_csat_q, last_csat_q.c.customer_id == c.id)
            .outerjoin(referrals, referrals.c.customer_id == c.id)
            .outerjoin(spend, spend.c.customer_id == c.id)
            .outerjoin(peaks, peaks.c.customer_id == c.id)
        )
        .where(c.erased_at.is_(None), only(c.id))
        .order_by(c.id)
    )


def measure_rows(
    *, session: Session, window: MeasureWindow, customer_id: int | None = None
) -> Iterator[Row[Any]]:
    """The aggregation's rows as the driver returns them (columns in `CustomerMeasures` order,
    not yet cast: see `to_measures`), streamed in id order."""
    connection = session.connection()
    dialect = connection.dialect.name
    statement = measures_template(dialect, customer_id is not None)
    params = measure_params(dialect, window, customer_id)
    # On the execution, not the connection: later statements must not inherit streaming.
    yield from connection.execute(statement, params, execution_options={"yield_per": 5000})


def to_measures(row: Sequence[Any]) -> CustomerMeasures:
    """One aggregation row as `CustomerMeasures` (counts as int, means as float: PostgreSQL
    returns Decimal for AVG and for SUM over bigint)."""
    (cid, first_seen, ad30, adall, last_in, clicks, sentiment, texts, rates, csat, nps,
     last_csat, referrals, cents, peak) = row  # fmt: skip
    return CustomerMeasures(
        cid,
        first_seen,
        int(ad30),
        int(adall),
        last_in,
        int(clicks),
        float(sentiment) if sentiment is not None else None,
        int(texts),
        int(rates),
        float(csat) if csat is not None else None,
        float(nps) if nps is not None else None,
        last_csat,
        int(referrals),
        int(cents),
        float(peak) if peak is not None else None,
    )


def customer_measures(
    *, session: Session, window: MeasureWindow, customer_id: int | None = None
) -> Iterator[CustomerMeasures]:
    """Every customer's raw measures (or one customer's), streamed in id order."""
    for row in measure_rows(session=session, window=window, customer_id=customer_id):
        yield to_measures(row)


def shop_has_purchases(*, session: Session) -> bool:
    """Whether the shop records purchases at all (the monetary component counts only then)."""
    return session.connection().execute(select(PURCHASE.c.id).limit(1)).first() is not None
