"""Customer Engagement Score (CES): the formula, and the reasons behind a score.

The formula is defined in the README, section 'Customer Engagement Score': six components, each
normalized to 0-100, combined as a weighted mean over the components the customer has data for.
Pure code: raw measures come in as plain values (from one SQL aggregation in `storage/`), results
go out as plain values; no SQL, no Telegram, no I/O. The settings live in `scoring.ces_config`,
the value types in `scoring.ces_types`, segments, the `declining` flag and `explain` in
`scoring.segments` (to keep each module small); this module re-exports them all, so
`scoring.ces` is the one import for callers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType

from scoring.ces_config import SENTIMENT_HALF_LIFE_DAYS, CesConfig, CesConfigError, Weights
from scoring.ces_types import (
    COMPONENTS,
    SEGMENTS,
    CesResult,
    Component,
    Measures,
    RawMeasures,
    Segment,
)
from scoring.segments import (
    REASON_CODES,
    Reason,
    ReasonCode,
    dropped,
    explain,
    is_declining,
    segment_for,
)

__all__ = [
    "COMPONENTS", "REASON_CODES", "SEGMENTS", "SENTIMENT_HALF_LIFE_DAYS", "CesConfig",
    "CesConfigError", "CesResult", "Component", "Measures", "RawMeasures", "Reason",
    "ReasonCode", "Segment", "Weights", "compute", "compute_many", "depth_points", "dropped",
    "explain", "is_declining", "normalize_depth", "normalize_frequency", "normalize_monetary",
    "normalize_recency", "normalize_satisfaction", "normalize_sentiment", "segment_for",
    "sentiment_weight", "weighted_polarity", "weighted_sum",
]  # fmt: skip


def sentiment_weight(age_days: float, half_life_days: float = SENTIMENT_HALF_LIFE_DAYS) -> float:
    """Weight of one inbound text's polarity in the sentiment mean: 0.5^(age/half_life).

    A text `half_life_days` (default 30) old counts half as much as one sent now; future ages
    count as 0 days. Without POWER (older SQLite builds) the same weight is
    `exp(-0.6931471805599453 * age_days / half_life_days)`, so storage can aggregate
    `SUM(w * polarity) / SUM(w)` in SQL. Because every weight decays at the same rate, the mean
    only changes when a text arrives: with sums S, W kept at time t0, a new text p at t1 gives
    (S*d + p) / (W*d + 1) where d = sentiment_weight(t1 - t0).
    """
    return 0.5 ** (max(0.0, age_days) / half_life_days)


def weighted_polarity(
    samples: Iterable[tuple[float, float]], half_life_days: float = SENTIMENT_HALF_LIFE_DAYS
) -> float | None:
    """Recency-weighted mean polarity of (age_days, polarity) samples; None without samples."""
    total = weight_sum = 0.0
    for age, polarity in samples:
        weight = sentiment_weight(age, half_life_days)
        total += weight * polarity
        weight_sum += weight
    return total / weight_sum if weight_sum > 0 else None


def _percent(score: float) -> float:
    """`score` clamped to 0..100 (one call instead of min(100, max(0, x)) on the hot path)."""
    return 0.0 if score < 0.0 else 100.0 if score > 100.0 else score


def normalize_frequency(active_days: float, cfg: CesConfig) -> float:
    """min(100, 100 * active_days / frequency_target_days); negative counts as 0."""
    return _percent(100.0 * active_days / cfg.frequency_target_days)


def normalize_recency(days: float | None, cfg: CesConfig) -> float | None:
    """100 * 0.5^(days / recency_half_life_days); negative days count as 0; None stays None."""
    if days is None:
        return None
    return 100.0 if days <= 0.0 else 100.0 * 0.5 ** (days / cfg.recency_half_life_days)


def depth_points(raw: Measures, cfg: CesConfig) -> float:
    """Points for high-value interactions: feedback texts, ratings, referrals, button clicks."""
    return (
        raw.feedback_texts * cfg.points_feedback_text
        + raw.ratings * cfg.points_rating
        + raw.referrals * cfg.points_referral
        + raw.button_clicks * cfg.points_button_click
    )


def normalize_depth(points: float, cfg: CesConfig) -> float:
    """min(100, 100 * points / depth_target_points); negative counts as 0."""
    return _percent(100.0 * points / cfg.depth_target_points)


def normalize_monetary(spend: Decimal | float, cfg: CesConfig) -> float:
    """min(100, 100 * ln(1 + spend) / ln(1 + monetary_target)); spend <= 0 (refunds) gives 0."""
    amount = float(spend)
    return 0.0 if amount <= 0.0 else _percent(100.0 * math.log1p(amount) / cfg._log_target)


def normalize_sentiment(polarity: float | None) -> float | None:
    """50 * (p + 1), p clamped to -1..1; None stays None."""
    return None if polarity is None else _percent(50.0 * (polarity + 1.0))


def normalize_satisfaction(csat_mean: float | None, nps_mean: float | None) -> float | None:
    """Mean of (csat - 1) * 25 and nps * 10 over those present (CSAT clamped to 1..5, NPS to
    0..10): each scale counts once, however many answers it has. None when neither is present.
    """
    if csat_mean is None:
        return None if nps_mean is None else _percent(10.0 * nps_mean)
    csat = _percent(25.0 * (csat_mean - 1.0))
    return csat if nps_mean is None else (csat + _percent(10.0 * nps_mean)) / 2.0


def weighted_sum(weights: Mapping[str, float], scores: Mapping[str, float]) -> float:
    """Σ w·s / Σ w over the components in `scores`: the weighted mean, renormalized over the
    components present. Raises ValueError when their weights sum to 0.
    """
    total = weight_sum = 0.0
    for component, score in scores.items():
        weight = weights[component]
        total += weight * score
        weight_sum += weight
    if weight_sum <= 0:
        raise ValueError(f"no weight on components {sorted(scores)}")
    return total / weight_sum


_NOTHING: Mapping[str, float] = MappingProxyType({})
_DEFAULT = CesConfig()


def compute(raw: Measures, cfg: CesConfig | None = None) -> CesResult:
    """The customer's CES, components, effective weights and segment.

    Available components: frequency and recency when the customer sent at least one inbound
    message (`days_since_last_inbound` is not None); depth then too, or with any depth points
    (0 points is a real 0); monetary whenever `cfg.shop_has_purchases` (no spend scores 0);
    sentiment with a `sentiment_mean`; satisfaction with a CSAT or NPS mean. Components with
    weight 0 are left out. No component left: ces None, segment `new`.
    """
    cfg = cfg or _DEFAULT
    scores: dict[str, float] = {}
    recency = normalize_recency(raw.days_since_last_inbound, cfg)
    if recency is not None:
        scores["frequency"] = normalize_frequency(raw.active_days_30, cfg)
        scores["recency"] = recency
    points = depth_points(raw, cfg)
    if recency is not None or points > 0:
        scores["depth"] = normalize_depth(points, cfg)
    if cfg.shop_has_purchases:
        scores["monetary"] = normalize_monetary(raw.spend, cfg)
    sentiment = normalize_sentiment(raw.sentiment_mean)
    if sentiment is not None:
        scores["sentiment"] = sentiment
    satisfaction = normalize_satisfaction(raw.csat_mean, raw.nps_mean)
    if satisfaction is not None:
        scores["satisfaction"] = satisfaction
    if cfg._off:
        scores = {c: s for c, s in scores.items() if c not in cfg._off}
    if not scores:
        return CesResult(None, _NOTHING, _NOTHING, segment_for(None, raw, cfg))
    ces = round(weighted_sum(cfg._weights, scores), 2)
    # Positional: one call per customer in the full run (ces, components, weights, segment).
    return CesResult(ces, scores, cfg.effective_weights(tuple(scores)), segment_for(ces, raw, cfg))


def compute_many(raws: Iterable[Measures], cfg: CesConfig | None = None) -> list[CesResult]:
    """`compute` for each customer, in order, with one config."""
    cfg = cfg or _DEFAULT
    return [compute(raw, cfg) for raw in raws]
