"""CES settings: the component weights and every threshold, validated once.

`CesConfig.from_mapping` turns the `CES_SETTINGS` / `CES_WEIGHTS` values (names to numbers,
numbers may be strings) into a config, or raises `CesConfigError` with a one-line reason.
The formula that reads the config is `scoring.ces.compute`; the segment and `declining`
thresholds are read by `scoring.segments`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from scoring.ces_types import COMPONENTS

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
