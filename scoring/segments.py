"""What an owner reads from a CES: the segment, the `declining` flag and the reasons behind it.

The rules are defined in the README, section 'Customer Engagement Score'; the thresholds live on
`scoring.ces_config.CesConfig` (`new_first_seen_days`, `new_active_days`, `advocate_min`,
`potential_min`, `declining_drop`, `declining_days`). Pure functions: no SQL, no Telegram, and no
words for people: `explain` returns codes and values, which `bot` puts into sentences.
`scoring.ces` re-exports everything public here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal, get_args

from scoring.ces_config import CesConfig
from scoring.ces_types import SEGMENTS, CesResult, Measures, RawMeasures, Segment

__all__ = [
    "REASON_CODES",
    "SEGMENTS",
    "Reason",
    "ReasonCode",
    "Segment",
    "dropped",
    "explain",
    "is_declining",
    "segment_for",
]


def segment_for(ces: float | None, raw: Measures, cfg: CesConfig) -> Segment:
    """The customer's segment, checked in this order:

    1. `new` when the customer was first seen less than `new_first_seen_days` (14) days ago
       **and** has fewer than `new_active_days` (3) distinct active days in total: 13.9 days with
       2 active days is new; 14.0 days, or 3 active days, is not.
    2. `new` when `ces` is None (no component available: nothing to judge yet, so outreach must
       not treat the customer as at risk).
    3. `advocate` when ces >= `advocate_min` (70), `potential` when ces >= `potential_min` (40),
       else `at_risk`.

    `ces` is compared as given; `compute` passes the CES rounded to 2 decimals, the value that is
    stored and shown, so 69.995 counts as 70.0.
    """
    if raw.days_since_first_seen < cfg.new_first_seen_days and (
        raw.active_days_total < cfg.new_active_days
    ):
        return "new"
    if ces is None:
        return "new"
    if ces >= cfg.advocate_min:
        return "advocate"
    if ces >= cfg.potential_min:
        return "potential"
    return "at_risk"


def is_declining(
    current_ces: float | None,
    history: Sequence[tuple[datetime, float | None]],
    now: datetime,
    cfg: CesConfig,
) -> bool:
    """True when the CES dropped by `declining_drop` (15) points or more within
    `declining_days` (14) days.

    `history` holds earlier snapshots as (computed_at, ces) pairs, in any order; use
    timezone-aware datetimes, like `now`. The peak is the highest snapshot taken within the
    window, ends included: `now - declining_days <= computed_at <= now`; older snapshots, future
    ones and snapshots without a CES are ignored. The drop `peak - current_ces` is rounded to 2
    decimals before the comparison (CES values carry 2 decimals), so 80 -> 65 is declining and
    80 -> 65.01 is not. No current CES or no snapshot in the window: False.
    """
    if current_ces is None:
        return False
    since = now - timedelta(days=cfg.declining_days)
    recent = [ces for at, ces in history if ces is not None and since <= at <= now]
    return bool(recent) and dropped(max(recent), current_ces, cfg)


def dropped(peak: float | None, current_ces: float | None, cfg: CesConfig) -> bool:
    """`is_declining` given the peak already (the highest snapshot within `declining_days`, as
    storage's aggregation finds it): `peak - current_ces`, rounded to 2 decimals, is
    `declining_drop` or more. No peak or no current CES: False."""
    if peak is None or current_ces is None:
        return False
    return round(peak - current_ces, 2) >= cfg.declining_drop


ReasonCode = Literal[
    "no_activity",
    "inactive_30",
    "active_days",
    "last_message_today",
    "last_message_yesterday",
    "last_message_days",
    "silent_days",
    "no_depth",
    "depth",
    "no_purchases",
    "spent",
    "sentiment_positive",
    "sentiment_negative",
    "sentiment_neutral",
    "last_rating",
    "average_rating",
    "recommendation_score",
]
REASON_CODES: tuple[ReasonCode, ...] = get_args(ReasonCode)


@dataclass(frozen=True, slots=True)
class Reason:
    """One thing that drives a CES, as a code and the values it needs; no words.

    `bot` turns it into a sentence in the owner's language. The values by code: `days` for
    `active_days`, `last_message_days` and `silent_days`; `feedback`, `ratings`, `referrals` and
    `button_clicks` (counts, at least one above 0) for `depth`; `amount` (a Decimal) for `spent`;
    `score` (1-5) for `last_rating`; `mean` for `average_rating` (of 5) and
    `recommendation_score` (of 10). The other codes carry none.
    """

    code: ReasonCode
    values: Mapping[str, int | float | Decimal] = field(default_factory=dict)


def explain(raw: RawMeasures, result: CesResult) -> tuple[Reason, ...]:
    """What drives the score, for the owner, as one or two reasons: the component costing the
    most points, then the one earning the most (the other way round for advocates), each as its
    raw measure, e.g. (silent_days days=34, last_rating score=2), which the owner reads as
    "no message for 34 days; last rating 2/5".

    Cost is weight x (100 - score) and earning weight x score, with the renormalized weights, so
    a light component at 0 may matter less than a heavy one at 40; ties go to the first in
    `COMPONENTS` order; the second pick skips components whose reason would repeat the first (no
    active day in 30 days reads as the recency reason). One component (or two saying the same)
    gives one reason; none gives `no_activity`.
    """
    weights, scores = result.weights, result.components
    if not scores:
        return (Reason("no_activity"),)
    reasons = {c: _REASONS[c](raw) for c in scores}
    weakest = max(scores, key=lambda c: weights[c] * (100.0 - scores[c]))
    others = [c for c in scores if reasons[c] != reasons[weakest]]
    parts = [reasons[weakest]]
    if others:
        parts.append(reasons[max(others, key=lambda c: weights[c] * scores[c])])
    if result.segment == "advocate":
        parts.reverse()
    return tuple(parts)


def _frequency(raw: RawMeasures) -> Reason:
    n = raw.active_days_30
    if n <= 0 and raw.days_since_last_inbound is not None:
        return _recency(raw)  # "no message for 34 days" says more than "not active in 30 days"
    if n <= 0:
        return Reason("inactive_30")
    return Reason("active_days", {"days": n})


def _recency(raw: RawMeasures) -> Reason:
    n = max(0, int(raw.days_since_last_inbound or 0))
    if n == 0:
        return Reason("last_message_today")
    if n == 1:
        return Reason("last_message_yesterday")
    if n < 7:
        return Reason("last_message_days", {"days": n})
    return Reason("silent_days", {"days": n})


def _depth(raw: RawMeasures) -> Reason:
    counts = {
        "feedback": raw.feedback_texts,
        "ratings": raw.ratings,
        "referrals": raw.referrals,
        "button_clicks": raw.button_clicks,
    }
    if not any(n > 0 for n in counts.values()):
        return Reason("no_depth")
    return Reason("depth", counts)


def _monetary(raw: RawMeasures) -> Reason:
    if raw.spend <= 0:
        return Reason("no_purchases")
    return Reason("spent", {"amount": raw.spend})


def _sentiment(raw: RawMeasures) -> Reason:
    p = raw.sentiment_mean or 0.0
    if p > 0.05:  # the same cut as scoring.sentiment's positive/negative labels
        return Reason("sentiment_positive")
    if p < -0.05:
        return Reason("sentiment_negative")
    return Reason("sentiment_neutral")


def _satisfaction(raw: RawMeasures) -> Reason:
    if raw.last_csat is not None:
        return Reason("last_rating", {"score": raw.last_csat})
    if raw.csat_mean is not None:
        return Reason("average_rating", {"mean": raw.csat_mean})
    return Reason("recommendation_score", {"mean": raw.nps_mean or 0.0})


_REASONS = {
    "frequency": _frequency,
    "recency": _recency,
    "depth": _depth,
    "monetary": _monetary,
    "sentiment": _sentiment,
    "satisfaction": _satisfaction,
}
