"""The CES aggregation as one SQL statement: a row of raw measures per (not erased) customer.

Every moment, window and the customer are bound parameters (`storage.measures.measure_params`
gives their values), so the statement is built once per dialect and kind (`measures_template`)
and the per-customer refresh does not rebuild, and SQLAlchemy re-key, a large statement on
every message. `storage.measures` runs it and turns its rows into `CustomerMeasures`.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from sqlalchemy import (
    BigInteger,
    Float,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    select,
    true,
    type_coerce,
)
from sqlalchemy.types import NullType

from storage.columns import UTCDateTime
from storage.models import Customer, Feedback, Message, Purchase, Score

CUSTOMER = Customer.__table__  # type: ignore[attr-defined]
MESSAGE = Message.__table__  # type: ignore[attr-defined]
FEEDBACK = Feedback.__table__  # type: ignore[attr-defined]
PURCHASE = Purchase.__table__  # type: ignore[attr-defined]
SCORE = Score.__table__  # type: ignore[attr-defined]
LN2 = math.log(2)

# The statement's columns, in order. The two moments come last and as the driver returns them
# (SQLite: text, PostgreSQL: aware datetime); `storage.measures` turns them into ages in days.
COLUMNS = (
    "customer_id", "active_days_30", "active_days_total", "button_clicks", "sentiment_mean",
    "feedback_texts", "ratings", "csat_mean", "nps_mean", "last_csat", "referrals",
    "spend_cents", "peak_ces", "segment", "first_seen", "last_inbound",
)  # fmt: skip


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


@functools.cache
def measures_template(dialect: str, one_customer: bool) -> Select[*tuple[Any, ...]]:
    """The aggregation, every value a parameter; one customer's row when `one_customer`."""
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
    # Counts cast to integers (PostgreSQL sums them as numeric); every column typed NullType, so
    # the driver's values come through unprocessed (one row per customer in the full run).
    columns = {
        "customer_id": c.id,
        "active_days_30": cast(func.coalesce(inbound.c.ad30, 0), Integer),
        "active_days_total": cast(func.coalesce(inbound.c.adall, 0), Integer),
        "button_clicks": cast(func.coalesce(inbound.c.clicks, 0), Integer),
        "sentiment_mean": case((inbound.c.w > 0, inbound.c.wp / inbound.c.w)),
        "feedback_texts": cast(func.coalesce(feedback.c.texts, 0), Integer),
        "ratings": cast(func.coalesce(feedback.c.rates, 0), Integer),
        "csat_mean": feedback.c.csat,
        "nps_mean": feedback.c.nps,
        "last_csat": last_csat_q.c.score,
        "referrals": cast(func.coalesce(referrals.c.n, 0), Integer),
        "spend_cents": cast(func.coalesce(spend.c.cents, 0), BigInteger),
        "peak_ces": peaks.c.peak,
        "segment": c.segment,
        "first_seen": c.first_seen,
        "last_inbound": inbound.c.last_in,
    }
    assert tuple(columns) == COLUMNS
    return (
        select(*[type_coerce(value, NullType()).label(name) for name, value in columns.items()])
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
