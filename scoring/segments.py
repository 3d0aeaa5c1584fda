"""What an owner reads from a CES: the segment, the `declining` flag and a one-line reason.

The rules are defined in the README, section 'Customer Engagement Score'; the thresholds live on
`scoring.ces_config.CesConfig` (`new_first_seen_days`, `new_active_days`, `advocate_min`,
`potential_min`, `declining_drop`, `declining_days`). Pure functions: no SQL, no Telegram.
`scoring.ces` re-exports everything public here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from scoring.ces_config import CesConfig
from scoring.ces_types import SEGMENTS, CesResult, Measures, RawMeasures, Segment

__all__ = ["SEGMENTS", "Segment", "dropped", "explain", "is_declining", "segment_for"]


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


def explain(raw: RawMeasures, result: CesResult, lang: Literal["id", "en"] = "en") -> str:
    """One short line for the owner: the component costing the most points, then the one
    earning the most (the other way round for advocates), each as its raw measure in words, e.g.
    "no message for 34 days; last rating 2/5" or, in Indonesian, "tidak ada pesan selama 34 hari;
    rating terakhir 2/5".

    Cost is weight x (100 - score) and earning weight x score, with the renormalized weights, so
    a light component at 0 may matter less than a heavy one at 40; ties go to the first in
    `COMPONENTS` order; the second pick skips components whose phrase would repeat the first (no
    active day in 30 days reads as the recency phrase). One component (or two saying the same)
    gives one phrase; none gives "no activity yet".
    """
    if lang not in ("id", "en"):
        raise ValueError(f"explain() speaks 'id' or 'en', not {lang!r}")
    i = 0 if lang == "en" else 1
    weights, scores = result.weights, result.components
    if not scores:
        return ("no activity yet", "belum ada aktivitas")[i]
    phrases = {c: _PHRASES[c](raw)[i] for c in scores}
    weakest = max(scores, key=lambda c: weights[c] * (100.0 - scores[c]))
    others = [c for c in scores if phrases[c] != phrases[weakest]]
    parts = [phrases[weakest]]
    if others:
        parts.append(phrases[max(others, key=lambda c: weights[c] * scores[c])])
    if result.segment == "advocate":
        parts.reverse()
    return "; ".join(parts)


def _num(x: float) -> tuple[str, str]:
    text = f"{x:.1f}".removesuffix(".0")
    return text, text.replace(".", ",")


def _frequency(raw: RawMeasures) -> tuple[str, str]:
    n = raw.active_days_30
    if n <= 0 and raw.days_since_last_inbound is not None:
        return _recency(raw)  # "no message for 34 days" says more than "not active in 30 days"
    if n <= 0:
        return "not active in the last 30 days", "tidak aktif dalam 30 hari terakhir"
    return f"active on {n} of the last 30 days", f"aktif {n} dari 30 hari terakhir"


def _recency(raw: RawMeasures) -> tuple[str, str]:
    n = max(0, int(raw.days_since_last_inbound or 0))
    if n == 0:
        return "last message today", "pesan terakhir hari ini"
    if n == 1:
        return "last message yesterday", "pesan terakhir kemarin"
    if n < 7:
        return f"last message {n} days ago", f"pesan terakhir {n} hari lalu"
    return f"no message for {n} days", f"tidak ada pesan selama {n} hari"


def _depth(raw: RawMeasures) -> tuple[str, str]:
    counts = (
        (raw.feedback_texts, "feedback message", "masukan"),
        (raw.ratings, "rating", "rating"),
        (raw.referrals, "referral", "referral"),
        (raw.button_clicks, "button tap", "klik tombol"),
    )
    en = [f"{n} {word}{'s' if n != 1 else ''}" for n, word, _ in counts if n > 0]
    id_ = [f"{n} {word}" for n, _, word in counts if n > 0]
    if not en:
        return "no feedback, ratings or referrals", "belum ada masukan, rating, atau referral"
    if len(en) == 1:
        return en[0], id_[0]
    return f"{', '.join(en[:-1])} and {en[-1]}", f"{', '.join(id_[:-1])} dan {id_[-1]}"


def _monetary(raw: RawMeasures) -> tuple[str, str]:
    if raw.spend <= 0:
        return "no purchases", "belum ada pembelian"
    whole = raw.spend == raw.spend.to_integral_value()
    en = f"{int(raw.spend):,}" if whole else f"{raw.spend.quantize(Decimal('0.01')):,}"
    return f"spent {en}", "belanja " + en.translate(str.maketrans(",.", ".,"))


def _sentiment(raw: RawMeasures) -> tuple[str, str]:
    p = raw.sentiment_mean or 0.0
    if p > 0.05:  # the same cut as scoring.sentiment's positive/negative labels
        return "mostly positive messages", "pesan umumnya positif"
    if p < -0.05:
        return "mostly negative messages", "pesan umumnya negatif"
    return "neutral messages", "pesan netral"


def _satisfaction(raw: RawMeasures) -> tuple[str, str]:
    if raw.last_csat is not None:
        return f"last rating {raw.last_csat}/5", f"rating terakhir {raw.last_csat}/5"
    if raw.csat_mean is not None:
        en, id_ = _num(raw.csat_mean)
        return f"average rating {en}/5", f"rata-rata rating {id_}/5"
    en, id_ = _num(raw.nps_mean or 0.0)
    return f"recommendation score {en}/10", f"skor rekomendasi {id_}/10"


_PHRASES = {
    "frequency": _frequency,
    "recency": _recency,
    "depth": _depth,
    "monetary": _monetary,
    "sentiment": _sentiment,
    "satisfaction": _satisfaction,
}
