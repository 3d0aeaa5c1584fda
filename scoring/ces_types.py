"""The values that cross the CES formula: `Measures` (e.g. `RawMeasures`) in, `CesResult` out,
and the names of the components and segments. No logic here, so `scoring.ces_config`,
`scoring.segments` and `scoring.ces` can all import it without importing each other in a circle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

Component = Literal["frequency", "recency", "depth", "monetary", "sentiment", "satisfaction"]
COMPONENTS: tuple[Component, ...] = (
    "frequency", "recency", "depth", "monetary", "sentiment", "satisfaction",
)  # fmt: skip
Segment = Literal["new", "advocate", "potential", "at_risk"]
SEGMENTS: tuple[Segment, ...] = ("new", "advocate", "potential", "at_risk")


class Measures(Protocol):
    """What the formula reads of one customer, with the meanings documented on `RawMeasures`.

    `RawMeasures` is the plain implementation; any object with these attributes will do, such as
    storage's aggregation rows (`storage.measures.CustomerMeasures`), which the full run scores
    as they are instead of copying each into a `RawMeasures`.
    """

    @property
    def active_days_30(self) -> int: ...
    @property
    def days_since_last_inbound(self) -> float | None: ...
    @property
    def feedback_texts(self) -> int: ...
    @property
    def ratings(self) -> int: ...
    @property
    def referrals(self) -> int: ...
    @property
    def button_clicks(self) -> int: ...
    @property
    def spend(self) -> Decimal: ...
    @property
    def sentiment_mean(self) -> float | None: ...
    @property
    def csat_mean(self) -> float | None: ...
    @property
    def nps_mean(self) -> float | None: ...
    @property
    def last_csat(self) -> int | None: ...
    @property
    def days_since_first_seen(self) -> float: ...
    @property
    def active_days_total(self) -> int: ...


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
class CesResult:
    """`ces` (0-100, rounded to 2 decimals) is None when no component is available.
    `components` holds the available components' scores (0-100, unrounded: round for display or
    storage); `weights` their renormalized weights, summing to 1."""

    ces: float | None
    components: Mapping[str, float]
    weights: Mapping[str, float]
    segment: Segment
