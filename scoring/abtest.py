"""Is variant A's engagement really different from B's? A two-proportion z-test.

Engagement rate = responded ÷ sent × 100% (README: Owner console, Campaigns). The test is the
textbook pooled two-proportion z-test, two-sided:

    p̂ = (x₁ + x₂) / (n₁ + n₂),  z = (x₁/n₁ − x₂/n₂) / √(p̂ (1 − p̂) (1/n₁ + 1/n₂)),
    p-value = 2 · (1 − Φ(|z|)) = erfc(|z| / √2).

Its normal approximation needs enough data, so the answer is "too little data" when a variant
has fewer than `MIN_SENT` messages sent, or when any expected count (n·p̂ or n·(1 − p̂)) is
under `MIN_EXPECTED` (the usual rule of thumb).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

MIN_SENT = 30
MIN_EXPECTED = 5.0
SIGNIFICANCE = 0.05

Verdict = Literal["too_little_data", "likely_real", "maybe_chance"]


@dataclass(frozen=True, slots=True)
class Comparison:
    verdict: Verdict
    z: float | None = None
    p_value: float | None = None
    better: Literal["A", "B"] | None = None  # the variant with the higher rate, when real


def rate(responded: int, sent: int) -> float | None:
    """Engagement rate in percent, or None when nothing was sent."""
    if sent < 0 or responded < 0 or responded > sent:
        raise ValueError(f"impossible counts: {responded} responded of {sent} sent")
    return None if sent == 0 else 100.0 * responded / sent


def enough_data(x1: int, n1: int, x2: int, n2: int) -> bool:
    """Whether the normal approximation of the test holds well enough for these counts."""
    if n1 < MIN_SENT or n2 < MIN_SENT:
        return False
    pooled = (x1 + x2) / (n1 + n2)
    expected = (n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled))
    return min(expected) >= MIN_EXPECTED


def z_test(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """The pooled two-proportion z statistic and its two-sided p-value (x responded of n)."""
    for x, n in ((x1, n1), (x2, n2)):
        rate(x, n)  # validates the counts
        if n == 0:
            raise ValueError("a variant with nothing sent cannot be compared")
    pooled = (x1 + x2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:  # everyone or no one responded in both: no difference at all
        return 0.0, 1.0
    z = (x1 / n1 - x2 / n2) / spread
    return z, math.erfc(abs(z) / math.sqrt(2))


def compare(x1: int, n1: int, x2: int, n2: int) -> Comparison:
    """Variant A (x1 of n1) against B (x2 of n2), in the terms the owner reads."""
    if not enough_data(x1, n1, x2, n2):
        return Comparison("too_little_data")
    z, p_value = z_test(x1, n1, x2, n2)
    if p_value < SIGNIFICANCE:
        return Comparison("likely_real", z, p_value, "A" if z > 0 else "B")
    return Comparison("maybe_chance", z, p_value)
