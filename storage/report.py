"""The owner report's aggregates: each figure one set-based statement over the whole shop.

Periods are half-open, `[start, end)`, in UTC. Erased customers (/forget) are never counted:
their messages and ratings are deleted, and their rows are left out of customer counts. The
figures' definitions are in the README, section "Owner console". People lists (contact today,
birthdays, unanswered) are `storage.report_people`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    exists,
    func,
    select,
)
from sqlmodel import Session

from storage._sql import table_of
from storage.models import Campaign, Customer, Feedback, Message, Outreach, Score

CUSTOMER = table_of(Customer)
MESSAGE = table_of(Message)
FEEDBACK = table_of(Feedback)
OUTREACH = table_of(Outreach)
CAMPAIGN = table_of(Campaign)
SCORE = table_of(Score)
LIVE = CUSTOMER.c.erased_at.is_(None)
SENTIMENT_LABELS = ("positive", "neutral", "negative")


def between(column: Any, start: datetime, end: datetime) -> Any:
    return and_(column >= start, column < end)


def count_if(condition: Any) -> Any:
    return cast(func.coalesce(func.sum(case((condition, 1), else_=0)), 0), Integer)


def customer_counts(
    *, session: Session, previous: datetime, start: datetime, end: datetime
) -> tuple[int, int, int]:
    """(customers now, new in [start, end), new in [previous, start)): first seen in the period."""
    c = CUSTOMER.c
    row = session.connection().execute(
        select(
            func.count(),
            count_if(between(c.first_seen, start, end)),
            count_if(between(c.first_seen, previous, start)),
        ).where(LIVE, c.first_seen < end)
    )
    total, new, new_before = row.one()
    return int(total), int(new), int(new_before)


def active_counts(
    *, session: Session, previous: datetime, start: datetime, end: datetime
) -> tuple[int, int]:
    """Customers with any inbound message (text, command, button...) in [start, end), and in
    [previous, start): two index seeks per customer on (customer_id, direction, sent_at), which
    costs less than a distinct count over every message of both periods."""
    m, c = MESSAGE.c, CUSTOMER.c

    def active(since: datetime, until: datetime) -> Any:
        return exists().where(
            m.customer_id == c.id, m.direction == "in", m.sent_at >= since, m.sent_at < until
        )

    row = session.connection().execute(
        select(count_if(active(start, end)), count_if(active(previous, start))).where(LIVE)
    )
    now, before = row.one()
    return int(now), int(before)


def segments_now(*, session: Session) -> tuple[dict[str, int], float | None, int]:
    """The current segment counts (scored customers), the average current CES, and how many are
    declining; from the customer table (kept current by every scoring run and refresh)."""
    c = CUSTOMER.c
    rows = session.connection().execute(
        select(c.segment, func.count(), func.sum(c.ces), func.count(c.ces), count_if(c.declining))
        .where(LIVE)
        .group_by(c.segment)
    )
    counts: dict[str, int] = {}
    total = 0.0
    scored = declining = 0
    for segment, n, ces_sum, ces_n, down in rows:
        if segment is not None:
            counts[segment] = int(n)
        total += float(ces_sum or 0.0)
        scored += int(ces_n)
        declining += int(down)
    return counts, (total / scored if scored else None), declining


def ces_histogram(*, session: Session, width: int = 10) -> dict[str, list[int]]:
    """Current CES of scored customers in bins of `width` points (100 falls in the last bin),
    per segment: {"advocate": [n in 0-10, n in 10-20, ...], ...}."""
    c = CUSTOMER.c
    bins = 100 // width
    index: ColumnElement[int] = func.min(cast(func.floor(c.ces / width), Integer), bins - 1)
    if session.connection().dialect.name == "postgresql":
        index = func.least(cast(func.floor(c.ces / width), Integer), bins - 1)
    rows = session.connection().execute(
        select(c.segment, index.label("bin"), func.count())
        .where(LIVE, c.ces.is_not(None), c.segment.is_not(None))
        .group_by(c.segment, index)
    )
    histogram: dict[str, list[int]] = {}
    for segment, position, n in rows:
        histogram.setdefault(segment, [0] * bins)[max(0, int(position))] += int(n)
    return histogram


def latest_run(*, session: Session, at_or_before: datetime) -> datetime | None:
    """The newest scoring run at or before a moment (one index seek on computed_at)."""
    query = select(func.max(SCORE.c.computed_at)).where(SCORE.c.computed_at <= at_or_before)
    return _moment(session.connection().execute(query).scalar())


def first_run(*, session: Session, after: datetime, before: datetime) -> datetime | None:
    """The oldest scoring run in (after, before), if any."""
    s = SCORE.c
    query = select(func.min(s.computed_at)).where(s.computed_at > after, s.computed_at < before)
    return _moment(session.connection().execute(query).scalar())


def run_summary(
    *, session: Session, at: datetime
) -> tuple[float | None, list[tuple[str, str, int]]]:
    """For the scoring run at `at`, over its customers not erased since: their average CES
    then, and (segment then, segment now, customers), moved or not (the caller keeps moves).
    One pass over the run's snapshots."""
    s, c = SCORE.c, CUSTOMER.c
    rows = (
        session.connection()
        .execute(
            select(s.segment, c.segment, func.count(), func.sum(s.ces))
            .select_from(SCORE.join(CUSTOMER, c.id == s.customer_id))
            .where(s.computed_at == at, LIVE)
            .group_by(s.segment, c.segment)
        )
        .all()
    )
    total = sum(float(ces or 0.0) for *_, ces in rows)
    count = sum(int(n) for _, _, n, _ in rows)
    moves = [(str(then), str(now), int(n)) for then, now, n, _ in rows if now is not None]
    return (total / count if count else None), moves


def segment_history(
    *, session: Session, samples: Sequence[datetime], since: datetime
) -> list[tuple[datetime, dict[str, int]]]:
    """Segment counts at the newest scoring run at or before each sample moment (runs older than
    `since` ignored), oldest first, each run once. A seek per sample, then one grouped count
    over the chosen runs, never a scan of the whole history."""
    connection = session.connection()
    s = SCORE.c
    runs: list[datetime] = []
    for moment in samples:
        query = select(func.max(s.computed_at)).where(
            s.computed_at <= moment, s.computed_at >= since
        )
        run = _moment(connection.execute(query).scalar())
        if run is not None and run not in runs:
            runs.append(run)
    if not runs:
        return []
    rows = connection.execute(
        select(s.computed_at, s.segment, func.count())
        .where(s.computed_at.in_(runs))
        .group_by(s.computed_at, s.segment)
    )
    history: dict[datetime, dict[str, int]] = {run: {} for run in sorted(runs)}
    for at, segment, n in rows:
        history[_moment(at) or at][str(segment)] = int(n)
    return list(history.items())


def sentiment_spans(
    *, session: Session, bounds: Sequence[datetime]
) -> list[dict[str, tuple[int, float]]]:
    """Scored inbound messages between consecutive `bounds` (ascending): for each span
    [bounds[i], bounds[i+1]), {label: (messages, sum of polarity)}. A range scan of
    `ix_message_report` per span, no row read; periods and weeks are sums of spans."""
    m = MESSAGE.c
    connection = session.connection()
    spans: list[dict[str, tuple[int, float]]] = []
    for low, high in zip(bounds, bounds[1:], strict=False):
        rows = connection.execute(
            select(m.sentiment_label, func.count(), func.sum(m.sentiment_polarity))
            .where(
                m.direction == "in",
                between(m.sent_at, low, high),
                m.sentiment_label.is_not(None),
            )
            .group_by(m.sentiment_label)
        )
        spans.append({str(label): (int(n), float(total or 0.0)) for label, n, total in rows})
    return spans


def _moment(value: Any) -> datetime | None:
    """A timestamp from an aggregate (SQLite gives text, PostgreSQL an aware datetime)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
