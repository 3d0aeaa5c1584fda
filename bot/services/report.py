"""`/report` and `akrab report`: the shop's figures for a period, as plain values.

Every figure is one aggregate statement over the whole shop (`storage.report`), and the people
lists (`bot.services.report_lists`) a few more; only the "contact today" reasons are computed
per customer, for the few listed. Text: `bot.services.report_text`; chart: `bot.services.chart`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, TypedDict, TypeVar

from sqlalchemy import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from bot.config import Settings
from bot.services import report_lists as lists
from bot.services.report_types import PERIODS, Change, KindRate, Move, Ratings, Report, parse_period
from storage import report as q
from storage import report_rates as rates

T = TypeVar("T")
CAMPAIGN_LIMIT = 5
CHART_MIN_DAYS = 28  # the chart shows at least four weeks, so a 7-day report still has a trend


class _Span(TypedDict):
    """The keyword arguments of the storage counts over a period and the one before it."""

    session: Session
    previous: datetime
    start: datetime
    end: datetime


def build_report(session: Session, settings: Settings, *, period: str, now: datetime) -> Report:
    """The report for the `period` ("7d", "30d" or "90d") ending at `now` (aware UTC).

    The message-side figures (sentiment, unanswered, rates) are read on a second connection in
    a second thread while this one reads the customer side: the two halves cost about the same,
    and SQLite's WAL and PostgreSQL both serve two readers at once."""
    period = parse_period(period)
    days = PERIODS[period]
    start = now - timedelta(days=days)
    previous = start - timedelta(days=days)
    chart_days = max(days, CHART_MIN_DAYS)
    weeks = -(-chart_days // 7)
    # Spans between every boundary any figure needs: the two periods and the chart's weeks.
    ages = sorted({0, days, 2 * days, *(7 * w for w in range(weeks + 1))}, reverse=True)
    bounds = [now - timedelta(days=age) for age in ages]

    def message_side(other: Session) -> tuple[Any, ...]:
        spans = q.sentiment_spans(session=other, bounds=bounds)
        return (
            dict(zip(ages[1:], spans, strict=True)),
            lists.unanswered_for_report(other, settings, now),
            _ratings(other, previous, start, now),
            rates.engagement_by_kind(session=other, start=start, end=now),
            rates.campaign_engagement(session=other, start=start, end=now, limit=CAMPAIGN_LIMIT),
        )

    later = _alongside(session, message_side)
    span = _Span(session=session, previous=previous, start=start, end=now)
    customers, new, new_before = q.customer_counts(**span)
    active, active_before = q.active_counts(**span)
    segments, ces_now, declining = q.segments_now(session=session)
    baseline = q.latest_run(session=session, at_or_before=start) or q.first_run(
        session=session, after=start, before=now
    )
    ces_before, moves = None, []
    if baseline is not None:
        ces_before, pairs = q.run_summary(session=session, at=baseline)
        moves = sorted(
            (Move(a, b, n) for a, b, n in pairs if a != b), key=lambda m: (-m.customers, m.before)
        )
    contact, contact_total = lists.contact_today(session, settings, now)
    birthdays, birthdays_total = lists.birthdays_today(session, settings, now)
    histogram = q.ces_histogram(session=session)
    history = q.segment_history(
        session=session, samples=_samples(now, chart_days), since=now - timedelta(days=chart_days)
    )
    spans, (waiting, waiting_total), ratings, by_kind, campaigns = later()

    def mix(newest: int, oldest: int) -> tuple[dict[str, int], float | None]:
        """Spans ending between `newest` and `oldest` days ago (keys: a span's end age)."""
        return _mix([span for end, span in spans.items() if newest <= end < oldest])

    sentiment, polarity = mix(0, days)
    sentiment_before, polarity_before = mix(days, 2 * days)
    return Report(
        period=period,
        days=days,
        start=start,
        end=now,
        customers=customers,
        active=Change(active, active_before),
        new=Change(new, new_before),
        ces=Change(ces_now, ces_before),
        segments=segments,
        declining=declining,
        moves=moves,
        moves_since=baseline,
        sentiment=sentiment,
        sentiment_before=sentiment_before,
        polarity=Change(polarity, polarity_before),
        ratings=ratings,
        engagement=[KindRate(kind, sent, got) for kind, sent, got in by_kind],
        campaigns=[
            KindRate(segment, sent, got, campaign_id=cid) for cid, segment, sent, got in campaigns
        ],
        contact=contact,
        contact_total=contact_total,
        unanswered=waiting,
        unanswered_total=waiting_total,
        birthdays=birthdays,
        birthdays_total=birthdays_total,
        histogram=histogram,
        segment_history=history,
        sentiment_weeks=[mix(7 * w, 7 * w + 7)[0] for w in reversed(range(weeks))],
    )


def _alongside(session: Session, work: Callable[[Session], T]) -> Callable[[], T]:
    """Start `work` on a session of its own in another thread; returns the wait for its result.
    Run here and now when there can be no second connection (an in-memory SQLite database
    shares one connection, or the session is bound to a connection)."""
    bind = session.get_bind()
    if not isinstance(bind, Engine) or isinstance(bind.pool, StaticPool):
        result = work(session)
        return lambda: result

    def run() -> T:
        with Session(bind) as other:
            return work(other)

    executor = ThreadPoolExecutor(1, thread_name_prefix="akrab-report")
    future = executor.submit(run)
    executor.shutdown(wait=False)
    return future.result


def _mix(spans: list[dict[str, tuple[int, float]]]) -> tuple[dict[str, int], float | None]:
    """Messages per sentiment label over some daily spans, and their mean polarity."""
    counts = dict.fromkeys(q.SENTIMENT_LABELS, 0)
    total = 0.0
    for span in spans:
        for label, (n, polarity) in span.items():
            counts[label] = counts.get(label, 0) + n
            total += polarity
    scored = sum(counts.values())
    return counts, (total / scored if scored else None)


def _ratings(session: Session, previous: datetime, start: datetime, now: datetime) -> Ratings:
    stats = rates.rating_stats(session=session, start=start, end=now)
    before = rates.rating_stats(session=session, start=previous, end=start)
    requests, answered = rates.rating_requests(session=session, start=start, end=now)
    return Ratings(
        csat=Change(stats["csat_mean"], before["csat_mean"]),
        csat_answers=stats["csat_count"],
        requests=requests,
        answered=answered,
        nps_answers=stats["nps_count"],
        promoters=stats["promoters"],
        detractors=stats["detractors"],
    )


def _samples(now: datetime, days: int) -> list[datetime]:
    """Moments spread over the last `days` (about weekly, at least 8), ending at `now`."""
    count = max(8, min(14, days // 7 + 1))
    step = timedelta(days=days) / (count - 1)
    return [now - step * (count - 1 - i) for i in range(count)]
