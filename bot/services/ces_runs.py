"""Computing CES: storage's aggregation in, `scoring.ces` in between, snapshots out.

`score_all` is `akrab score` (every customer, one snapshot each); `refresh_customer` is the
cheap per-customer path run after a customer's message or feedback. Both read the same SQL and
the same formula, so they agree (tests/test_ces_run.py checks it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from tqdm import tqdm

from scoring.ces import CesConfig, CesResult, RawMeasures, compute, is_declining
from storage import measures, scores
from storage.db import session_scope
from storage.measures import CustomerMeasures, MeasureWindow


@dataclass
class RunSummary:
    customers: int = 0
    segments: Counter[str] = field(default_factory=Counter)
    moves: Counter[tuple[str, str]] = field(default_factory=Counter)  # (before, after)
    declining: int = 0
    pruned: int = 0


def days_between(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 86400.0


def to_raw(m: CustomerMeasures, now: datetime) -> RawMeasures:
    """The database's counts as the formula's inputs (`row_to_raw` on the same values)."""
    return row_to_raw([getattr(m, f.name) for f in fields(m)], now)


def window_for(cfg: CesConfig, now: datetime, timezone: str) -> MeasureWindow:
    return MeasureWindow(
        now=now,
        window_days=cfg.window_days,
        frequency_days=cfg.frequency_window_days,
        sentiment_half_life_days=cfg.sentiment_half_life_days,
        declining_days=cfg.declining_days,
        timezone=timezone,
    )


def evaluate(
    m: CustomerMeasures, cfg: CesConfig, now: datetime
) -> tuple[RawMeasures, CesResult, bool]:
    raw = to_raw(m, now)
    result = compute(raw, cfg)
    history = [(now, m.peak_ces)] if m.peak_ces is not None else []
    return raw, result, is_declining(result.ces, history, now, cfg)


def snapshot_row(
    m: CustomerMeasures, result: CesResult, declining: bool, now: datetime
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "customer_id": m.customer_id,
        "computed_at": now,
        "ces": result.ces if result.ces is not None else 0.0,
        "segment": result.segment,
        "declining": declining,
    }
    for component in scores.COMPONENT_COLUMNS:
        value = result.components.get(component)
        row[component] = round(value, 2) if value is not None else None
    return row


_NO_SPEND = Decimal(0)


def row_to_raw(row: Sequence[Any], now: datetime) -> RawMeasures:
    """An aggregation row (see `storage.measures.measure_rows`) straight to the formula's
    inputs, without an intermediate `CustomerMeasures` (a row per customer in the full run)."""
    (_, first_seen, ad30, adall, last_in, clicks, sentiment, texts, rates, csat, nps,
     last_csat, referrals, cents, _) = row  # fmt: skip
    return RawMeasures(
        active_days_30=int(ad30),
        days_since_last_inbound=days_between(now, last_in) if last_in else None,
        feedback_texts=int(texts),
        ratings=int(rates),
        referrals=int(referrals),
        button_clicks=int(clicks),
        spend=Decimal(int(cents)) / 100 if cents else _NO_SPEND,
        sentiment_mean=float(sentiment) if sentiment is not None else None,
        csat_mean=float(csat) if csat is not None else None,
        nps_mean=float(nps) if nps is not None else None,
        last_csat=last_csat,
        days_since_first_seen=days_between(now, first_seen),
        active_days_total=int(adall),
    )


def score_row(
    row: Sequence[Any], cfg: CesConfig, now: datetime
) -> tuple[RawMeasures, CesResult, bool]:
    """`evaluate` for an aggregation row: the one scoring step of both the full run and the
    per-customer refresh, so the two agree."""
    raw = row_to_raw(row, now)
    result = compute(raw, cfg)
    peak = row[-1]  # the highest snapshot within declining_days
    declining = peak is not None and is_declining(result.ces, [(now, float(peak))], now, cfg)
    return raw, result, declining


def score_all(
    engine: Engine,
    cfg: CesConfig,
    *,
    now: datetime,
    timezone: str,
    retention_days: int,
    progress: bool = False,
) -> RunSummary:
    """Recompute every customer's CES in one pass and store a snapshot per customer."""
    summary = RunSummary()
    segments = summary.segments
    with session_scope(engine) as session:
        cfg = replace(cfg, shop_has_purchases=measures.shop_has_purchases(session=session))
        before = scores.current_segments(session=session)
        # One plain tuple per customer (scores.SNAPSHOT_FIELDS): 100k customers is 100k rows.
        rows: list[tuple[Any, ...]] = []
        stream: Iterable[Sequence[Any]] = measures.measure_rows(
            session=session, window=window_for(cfg, now, timezone)
        )
        for row in tqdm(
            stream, total=len(before), unit="customer", disable=not progress, desc="score"
        ):
            _, result, declining = score_row(row, cfg, now)
            rows.append(snapshot_values(row[0], result, declining))
            segments[result.segment] += 1
            summary.declining += declining
            previous = before.get(row[0])
            if previous is not None and previous != result.segment:
                summary.moves[(previous, result.segment)] += 1
        summary.customers = len(rows)
        scores.write_run(session=session, computed_at=now, rows=rows)
        summary.pruned = scores.prune_snapshots(
            session=session, before=now - timedelta(days=retention_days)
        )
    return summary


def snapshot_values(customer_id: int, result: CesResult, declining: bool) -> tuple[Any, ...]:
    """`snapshot_row` as a tuple in `scores.SNAPSHOT_FIELDS` order, without the time."""
    components = result.components
    return (
        customer_id,
        result.ces if result.ces is not None else 0.0,
        result.segment,
        declining,
        *[
            round(value, 2) if (value := components.get(c)) is not None else None
            for c in scores.COMPONENT_COLUMNS
        ],
    )


def refresh_customer(
    engine: Engine, cfg: CesConfig, customer_id: int, *, now: datetime, timezone: str
) -> tuple[RawMeasures, CesResult, bool] | None:
    """Recompute one customer's current CES (no snapshot); None if there is no such customer."""
    with session_scope(engine) as session:
        cfg = replace(cfg, shop_has_purchases=measures.shop_has_purchases(session=session))
        window = window_for(cfg, now, timezone)
        found = list(measures.measure_rows(session=session, window=window, customer_id=customer_id))
        if not found:
            return None
        raw, result, declining = score_row(found[0], cfg, now)
        values = snapshot_values(customer_id, result, declining)
        scores.set_current(
            session=session,
            rows=[{**dict(zip(scores.SNAPSHOT_FIELDS, values, strict=True)), "computed_at": now}],
        )
    return raw, result, declining
