"""Computing CES: storage's aggregation in, `scoring.ces` in between, snapshots out.

`score_all` is `akrab score` (every customer, one snapshot each); `refresh_customer` is the
cheap per-customer path run after a customer's message or feedback. Both read the same SQL and
score each row with `score`, so they agree (tests/test_ces_run.py checks it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from operator import itemgetter
from typing import Any

from sqlalchemy import Engine
from tqdm import tqdm

from scoring.ces import CesConfig, CesResult, RawMeasures, compute, dropped
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


def window_for(cfg: CesConfig, now: datetime, timezone: str) -> MeasureWindow:
    return MeasureWindow(
        now=now,
        window_days=cfg.window_days,
        frequency_days=cfg.frequency_window_days,
        sentiment_half_life_days=cfg.sentiment_half_life_days,
        declining_days=cfg.declining_days,
        timezone=timezone,
    )


def raw_measures(m: CustomerMeasures) -> RawMeasures:
    """An aggregation row as the formula's plain input type (for `explain` and reports)."""
    return RawMeasures(
        active_days_30=m.active_days_30,
        days_since_last_inbound=m.days_since_last_inbound,
        feedback_texts=m.feedback_texts,
        ratings=m.ratings,
        referrals=m.referrals,
        button_clicks=m.button_clicks,
        spend=m.spend,
        sentiment_mean=m.sentiment_mean,
        csat_mean=m.csat_mean,
        nps_mean=m.nps_mean,
        last_csat=m.last_csat,
        days_since_first_seen=m.days_since_first_seen,
        active_days_total=m.active_days_total,
    )


def score(m: CustomerMeasures, cfg: CesConfig) -> tuple[CesResult, bool]:
    """One customer's CES and `declining` flag: the one scoring step of both the full run and
    the per-customer refresh, so the two agree. The row is scored as it is (it has the
    attributes of `RawMeasures`); `m.peak_ces` is the highest snapshot within `declining_days`,
    so `dropped` is `is_declining` on it."""
    result = compute(m, cfg)
    return result, dropped(m.peak_ces, result.ces, cfg)


def snapshot_values(customer_id: int, result: CesResult, declining: bool) -> tuple[Any, ...]:
    """A snapshot as `scores.write_run` takes it: `scores.SNAPSHOT_FIELDS` order, no time;
    component scores rounded to 2 decimals, None for the unavailable ones."""
    get = result.components.get
    return (
        customer_id,
        result.ces if result.ces is not None else 0.0,
        result.segment,
        declining,
        *[None if (v := get(c)) is None else round(v, 2) for c in scores.COMPONENT_COLUMNS],
    )


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
    moves = summary.moves
    with session_scope(engine) as session:
        cfg = replace(cfg, shop_has_purchases=measures.shop_has_purchases(session=session))
        stream: Iterable[CustomerMeasures] = measures.customer_measures(
            session=session, window=window_for(cfg, now, timezone)
        )
        if progress:
            total = measures.count_customers(session=session)
            stream = tqdm(stream, total=total, unit="customer", desc="score")
        # One plain tuple per customer (scores.SNAPSHOT_FIELDS): 100k customers is 100k rows.
        rows: list[tuple[Any, ...]] = []
        for m in stream:
            result, declining = score(m, cfg)
            rows.append(snapshot_values(m.customer_id, result, declining))
            before, after = m.segment, result.segment
            if before != after and before is not None:
                moves[(before, after)] += 1
        summary.customers = len(rows)
        summary.segments.update(map(itemgetter(2), rows))
        summary.declining = sum(map(itemgetter(3), rows))
        scores.write_run(session=session, computed_at=now, rows=rows)
        summary.pruned = scores.prune_snapshots(
            session=session, before=now - timedelta(days=retention_days)
        )
    return summary


def refresh_customer(
    engine: Engine, cfg: CesConfig, customer_id: int, *, now: datetime, timezone: str
) -> tuple[RawMeasures, CesResult, bool] | None:
    """Recompute one customer's current CES (no snapshot); None if there is no such customer."""
    with session_scope(engine) as session:
        cfg = replace(cfg, shop_has_purchases=measures.shop_has_purchases(session=session))
        window = window_for(cfg, now, timezone)
        found = list(
            measures.customer_measures(session=session, window=window, customer_id=customer_id)
        )
        if not found:
            return None
        result, declining = score(found[0], cfg)
        values = snapshot_values(customer_id, result, declining)
        scores.set_current(
            session=session,
            rows=[{**dict(zip(scores.SNAPSHOT_FIELDS, values, strict=True)), "computed_at": now}],
        )
    return raw_measures(found[0]), result, declining
