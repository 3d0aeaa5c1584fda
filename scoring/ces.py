"""Customer Engagement Score (CES): the formula, its configuration and the reasons behind it.

The formula is defined in the README, section 'Customer Engagement Score': six components, each
normalized to 0-100, combined as a weighted mean over the components the customer has data for.
Pure code: raw measures come in as plain values (from one SQL aggregation in `storage/`), results
go out as plain values; no SQL, no Telegram, no I/O. Segments, the `declining` flag and
`explain` live in `scoring.segments` (to keep both modules small) and are re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

from scoring.segments import (
    REASON_CODES,
    SEGMENTS,
    Reason,
    ReasonCode,
    Segment,
    explain,
    is_declining,
    segment_for,
)

__all__ = [
    "COMPONENTS", "REASON_CODES", "SEGMENTS", "SENTIMENT_HALF_LIFE_DAYS", "CesConfig",
    "CesConfigError", "CesResult", "Component", "RawMeasures", "Reason", "ReasonCode", "Segment",
    "Weights", "compute", "compute_many",
    "depth_points", "explain", "is_declining", "normalize_depth", "normalize_frequency",
    "normalize_monetary", "normalize_recency", "normalize_satisfaction", "normalize_sentiment",
    "segment_for", "sentiment_weight", "weighted_polarity", "weighted_sum",
]  # fmt: skip

Component = Literal["frequency", "recency", "depth", "monetary", "sentiment", "satisfaction"]
COMPONENTS: tuple[Component, ...] = (
    "frequency", "recency", "depth", "monetary", "sentiment", "satisfaction",
)  # fmt: skip
SENTIMENT_HALF_LIFE_DAYS = 30.0


class CesConfigError(ValueError):
    """Raised by `Weights`, `CesConfig` and their `from_mapping` for an invalid setting."""


def _number(name: str, value: object, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise CesConfigError(f"CES setting {name} must be a number, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise CesConfigError(f"CES setting {name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise CesConfigError(f"CES setting {name} must be a finite number, got {value!r}")
    if number < 0 or (positive and number == 0):
        bound = "above 0" if positive else "0 or more"
        raise CesConfigError(f"CES setting {name} must be {bound}, got {value!r}")
    return number


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


@dataclass(frozen=True, slots=True)
class RawMeasures:
    """One customer's raw measures, as plain values filled by storage's aggregation.

    Counts, spend and the CSAT/NPS means cover the last `window_days` (90); `active_days_30` the
    last `frequency_window_days` (30); the sentiment mean weighs each inbound text by
    `sentiment_weight`. Ages are in days (fractions allowed) at the time of scoring.
    """

    active_days_30: int = 0  # distinct days with an inbound message, last 30 days
    days_since_last_inbound: float | None = None  # None: never sent anything
    feedback_texts: int = 0
    ratings: int = 0  # CSAT/NPS answers
    referrals: int = 0
    button_clicks: int = 0
    spend: Decimal = Decimal(0)
    sentiment_mean: float | None = None  # recency-weighted mean polarity, -1..1
    csat_mean: float | None = None  # 1..5
    nps_mean: float | None = None  # 0..10
    last_csat: int | None = None  # most recent CSAT answer, for `explain`
    days_since_first_seen: float = 0.0
    active_days_total: int = 0  # distinct days with an inbound message, ever


@dataclass(frozen=True, slots=True)
class Weights:
    """Relative weight of each component: any non-negative numbers, not all 0.

    They need not sum to 1: `compute` divides by the sum over the available components. A
    weight of 0 switches the component off (not computed, not shown).
    """

    frequency: float = 0.25
    recency: float = 0.20
    depth: float = 0.15
    monetary: float = 0.15
    sentiment: float = 0.15
    satisfaction: float = 0.10

    def __post_init__(self) -> None:
        for name in COMPONENTS:
            object.__setattr__(self, name, _number(f"weights.{name}", getattr(self, name)))
        if not any(getattr(self, name) for name in COMPONENTS):
            raise CesConfigError("CES weights are all 0: at least one must be above 0")

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Weights:
        """The whole weight table: components left out get 0 (not their default)."""
        unknown = sorted(set(data) - set(COMPONENTS))
        if unknown:
            raise CesConfigError(
                f"unknown CES component(s) {', '.join(unknown)}; known: {', '.join(COMPONENTS)}"
            )
        values: dict[str, Any] = {name: data.get(name, 0.0) for name in COMPONENTS}
        return replace(cls(), **values)

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in COMPONENTS}


_POSITIVE = (
    "frequency_window_days", "frequency_target_days", "recency_half_life_days", "window_days",
    "depth_target_points", "monetary_target", "sentiment_half_life_days", "declining_drop",
    "declining_days",
)  # fmt: skip
_NON_NEGATIVE = (
    "points_feedback_text", "points_rating", "points_referral", "points_button_click",
    "new_first_seen_days", "new_active_days", "potential_min", "advocate_min",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CesConfig:
    """Every CES setting; validated once here so `compute` never re-checks.

    `frequency_window_days` and `window_days` are for the storage aggregation that fills
    `RawMeasures`; `compute` does not read them. `shop_has_purchases` is a fact about the shop
    (it records purchases at all), set by the caller, e.g. `replace(cfg, shop_has_purchases=True)`.
    """

    weights: Weights = field(default_factory=Weights)
    frequency_window_days: float = 30.0
    frequency_target_days: float = 8.0
    recency_half_life_days: float = 14.0
    window_days: float = 90.0
    points_feedback_text: float = 3.0
    points_rating: float = 2.0
    points_referral: float = 5.0
    points_button_click: float = 1.0
    depth_target_points: float = 10.0
    monetary_target: float = 1_000_000.0
    shop_has_purchases: bool = False
    sentiment_half_life_days: float = SENTIMENT_HALF_LIFE_DAYS
    new_first_seen_days: float = 14.0
    new_active_days: float = 3.0
    advocate_min: float = 70.0
    potential_min: float = 40.0
    declining_drop: float = 15.0
    declining_days: float = 14.0
    _weights: dict[str, float] = field(init=False, repr=False, compare=False)
    _off: frozenset[str] = field(init=False, repr=False, compare=False)
    _log_target: float = field(init=False, repr=False, compare=False)
    _effective: dict[tuple[str, ...], Mapping[str, float]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if not isinstance(self.weights, Weights):
            raise CesConfigError(f"CES setting weights must be Weights, got {self.weights!r}")
        if not isinstance(self.shop_has_purchases, bool):
            raise CesConfigError(
                f"CES setting shop_has_purchases must be true or false, "
                f"got {self.shop_has_purchases!r}"
            )
        for name in (*_POSITIVE, *_NON_NEGATIVE):
            value = _number(name, getattr(self, name), positive=name in _POSITIVE)
            object.__setattr__(self, name, value)
        if not self.potential_min < self.advocate_min <= 100:
            raise CesConfigError(
                f"CES thresholds inverted: need potential_min ({self.potential_min:g}) < "
                f"advocate_min ({self.advocate_min:g}) <= 100"
            )
        weights = self.weights.as_dict()
        object.__setattr__(self, "_weights", weights)
        object.__setattr__(self, "_off", frozenset(c for c, w in weights.items() if w == 0))
        object.__setattr__(self, "_log_target", math.log1p(self.monetary_target))
        object.__setattr__(self, "_effective", {})

    @classmethod
    def default(cls) -> CesConfig:
        return cls()

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> CesConfig:
        """Defaults overridden by `data` (setting name -> value; numbers may be strings).

        `weights` is a mapping of component -> weight (see `Weights.from_mapping`).
        Raises CesConfigError for unknown names and invalid values.
        """
        known = [f.name for f in fields(cls) if f.init]
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise CesConfigError(
                f"unknown CES setting(s) {', '.join(unknown)}; known: {', '.join(known)}"
            )
        values: dict[str, Any] = dict(data)
        weights = values.get("weights")
        if isinstance(weights, Mapping):
            values["weights"] = Weights.from_mapping(weights)
        return replace(cls(), **values)

    def effective_weights(self, components: tuple[str, ...]) -> Mapping[str, float]:
        """The weights renormalized over `components` (read-only, cached per combination)."""
        cached = self._effective.get(components)
        if cached is None:
            total = sum(self._weights[c] for c in components)
            cached = MappingProxyType({c: self._weights[c] / total for c in components})
            self._effective[components] = cached
        return cached


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


def depth_points(raw: RawMeasures, cfg: CesConfig) -> float:
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


@dataclass(frozen=True, slots=True)
class CesResult:
    """`ces` (0-100, rounded to 2 decimals) is None when no component is available.
    `components` holds the available components' scores (0-100, unrounded: round for display or
    storage); `weights` their renormalized weights, summing to 1."""

    ces: float | None
    components: Mapping[str, float]
    weights: Mapping[str, float]
    segment: Segment


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


def compute(raw: RawMeasures, cfg: CesConfig | None = None) -> CesResult:
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
    return CesResult(
        ces=ces,
        components=scores,
        weights=cfg.effective_weights(tuple(scores)),
        segment=segment_for(ces, raw, cfg),
    )


def compute_many(raws: Iterable[RawMeasures], cfg: CesConfig | None = None) -> list[CesResult]:
    """`compute` for each customer, in order, with one config."""
    cfg = cfg or _DEFAULT
    return [compute(raw, cfg) for raw in raws]
