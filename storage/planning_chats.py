"""Candidates of the planners that follow what customers did: rating requests, complaint
follow-ups and at-risk win-backs. One set-based statement each; the rules that pick from
the rows are in scoring/planning.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, func, literal, null, or_, select, union_all
from sqlmodel import Session

from storage._raw import Raw
from storage._sql import table_of
from storage.models import Feedback, Message, Purchase, Score
from storage.planning import ACTIVE, CUSTOMER, OUTREACH, reachable

MESSAGE = table_of(Message)
FEEDBACK = table_of(Feedback)
PURCHASE = table_of(Purchase)
SCORE = table_of(Score)


class ChatRow(NamedTuple):
    """One inbound message of a candidate customer, with the customer's facts repeated."""

    customer_id: int
    language: str
    first_name: str | None
    message_id: int | None  # None for a rating complaint row (complaint planner)
    sent_at: datetime
    kind: str
    flag: datetime | bool | None  # rating: the last CSAT; complaint: is this a complaint


def rating_rows(
    *, session: Session, idle_from: datetime, idle_to: datetime, since: datetime
) -> list[tuple[ChatRow, datetime | None, float | None]]:
    """Inbound messages since `since` of reachable customers whose last message was between
    `idle_from` and `idle_to`, each with the customer's last CSAT and last rating request,
    and the message's sentiment polarity."""
    c, f, o = CUSTOMER.c, FEEDBACK.c, OUTREACH.c
    # Grouped once and joined (a correlated subquery per customer would walk an index of
    # every rating request for each of them).
    csat = (
        select(f.customer_id, func.max(f.updated_at).label("at"))
        .where(f.kind == "csat")
        .group_by(f.customer_id)
        .subquery("csat")
    )
    asked = (
        select(o.customer_id, func.max(o.due_at).label("at"))
        .where(o.kind == "rating", o.status.in_(ACTIVE))
        .group_by(o.customer_id)
        .subquery("asked")
    )
    candidates = (
        select(
            c.id,
            c.language,
            c.first_name,
            csat.c.at.label("last_csat"),
            asked.c.at.label("last_asked"),
        )
        .select_from(CUSTOMER)
        .outerjoin(csat, csat.c.customer_id == c.id)
        .outerjoin(asked, asked.c.customer_id == c.id)
        .where(reachable(), c.last_seen >= idle_from, c.last_seen <= idle_to)
        .cte("candidates")
    )
    m = MESSAGE.c
    query = (
        select(
            candidates.c.id,
            candidates.c.language,
            candidates.c.first_name,
            m.id,
            m.sent_at,
            m.kind,
            candidates.c.last_csat,
            candidates.c.last_asked,
            m.sentiment_polarity,
        )
        .join_from(candidates, MESSAGE, m.customer_id == candidates.c.id)
        .where(m.direction == "in", m.sent_at >= since)
        .order_by(candidates.c.id, m.sent_at, m.id)
    )
    return [(ChatRow(*row[:7]), row[7], row[8]) for row in session.execute(query)]


def complaint_rows(
    *, session: Session, since: datetime, context_since: datetime, polarity: float
) -> list[ChatRow]:
    """For reachable customers who complained since `since` (a message at or below
    `polarity`, a CSAT <= 2 or an NPS <= 6): their inbound messages since `context_since`
    (flag: is it a complaint) and their low ratings (message_id None, flag True)."""
    m, f = MESSAGE.c, FEEDBACK.c
    negative = and_(m.direction == "in", m.kind != "callback", m.sentiment_polarity <= polarity)
    low = or_(and_(f.kind == "csat", f.score <= 2), and_(f.kind == "nps", f.score <= 6))
    complainers = union_all(
        select(m.customer_id.label("customer_id")).where(negative, m.sent_at >= since),
        select(f.customer_id.label("customer_id")).where(low, f.updated_at >= since),
    ).subquery("complainers")
    who = select(complainers.c.customer_id).distinct().scalar_subquery()
    c = CUSTOMER.c
    facts = (c.id, c.language, c.first_name)
    messages = (
        select(*facts, m.id, m.sent_at, m.kind, and_(negative, m.sent_at >= since).label("flag"))
        .join_from(CUSTOMER, MESSAGE, m.customer_id == c.id)
        .where(reachable(), c.id.in_(who), m.direction == "in", m.sent_at >= context_since)
    )
    ratings = (
        select(*facts, null(), f.updated_at, f.kind, literal(True).label("flag"))
        .join_from(CUSTOMER, FEEDBACK, f.customer_id == c.id)
        .where(reachable(), low, f.updated_at >= since)
    )
    query = union_all(messages, ratings)
    return [
        ChatRow(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))
        for row in session.execute(query)
    ]


class AtRiskRow(NamedTuple):
    id: int
    language: str
    first_name: str | None
    segment: str | None
    declining: bool
    spend_cents: int
    best_ces: float | None


def at_risk_planned(*, session: Session, day_start: datetime, day_end: datetime) -> int:
    """How many win-backs are due today already (ix_outreach_kind_status: the day's cap)."""
    o = OUTREACH.c
    query = select(func.count(o.id)).where(
        o.kind == "at_risk", o.due_at >= day_start, o.due_at < day_end
    )
    return int(session.connection().execute(query).scalar() or 0)


def at_risk_rows(*, session: Session, cooled_since: datetime) -> list[AtRiskRow]:
    """Reachable at-risk or declining customers (never `new`) without a win-back since
    `cooled_since`, with their spend and best CES (today's count: `at_risk_planned`)."""
    c, o = CUSTOMER.c, OUTREACH.c
    cooling = (
        select(o.customer_id)
        .where(o.kind == "at_risk", o.due_at >= cooled_since)
        .group_by(o.customer_id)
        .subquery("cooling")
    )
    spend = (
        select(func.coalesce(func.sum(PURCHASE.c.amount_cents), 0))
        .where(PURCHASE.c.customer_id == c.id)
        .scalar_subquery()
    )
    # One seek on ix_score_customer_ces per customer (not a walk of their score history).
    best = select(func.max(SCORE.c.ces)).where(SCORE.c.customer_id == c.id).scalar_subquery()
    query = (
        select(c.id, c.language, c.first_name, c.segment, c.declining, spend, best)
        .select_from(CUSTOMER)
        .outerjoin(cooling, cooling.c.customer_id == c.id)
        .where(
            reachable(),
            or_(c.segment == "at_risk", c.declining),
            or_(c.segment.is_(None), c.segment != "new"),
            cooling.c.customer_id.is_(None),
        )
    )
    return [AtRiskRow(*row) for row in session.execute(query)]


# By (customer_id, sent_at) alone: with `direction` in the WHERE clause SQLite may take
# ix_message_report (direction, sent_at, ...) instead and read every inbound message of the
# day, at each complaint. The bot's own messages are left out here, not in SQL.
_RECENT_INBOUND = Raw(
    select(MESSAGE.c.id, MESSAGE.c.sent_at, MESSAGE.c.direction)
    .where(
        MESSAGE.c.customer_id == bindparam("customer_id"), MESSAGE.c.sent_at >= bindparam("since")
    )
    .order_by(MESSAGE.c.sent_at, MESSAGE.c.id)
)


def recent_inbound(*, session: Session, customer_id: int, since: datetime) -> Sequence[Any]:
    """One customer's inbound messages since `since`, in time order (rows with `id` and
    `sent_at`): the conversation a complaint belongs to, for the immediate reply (on the
    ingest path: see storage/_raw.py)."""
    params = {"customer_id": customer_id, "since": since}
    rows = _RECENT_INBOUND.rows(session.connection(), params)
    return [row for row in rows if row.direction == "in"]
