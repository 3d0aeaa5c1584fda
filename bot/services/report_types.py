"""The owner report as plain values: what `bot.services.report.build_report` returns, what the
text (`bot.services.report_text`) and the chart (`bot.services.chart`) are drawn from.

Rates are percentages (0-100) or None when nothing was asked/sent: an honest "no data", never a
0% made of 0 ÷ 0. Definitions: README, "Owner console".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from scoring.ces import Reason

PERIODS = {"7d": 7, "30d": 30, "90d": 90}
DEFAULT_PERIOD = "7d"
SEGMENT_ORDER = ("advocate", "potential", "at_risk", "new")


class PeriodError(ValueError):
    """Not one of the report periods (`PERIODS`)."""


def parse_period(text: str | None) -> str:
    """ "7d", "30d" or "90d" (any case, default 7d); PeriodError for anything else."""
    value = (text or DEFAULT_PERIOD).strip().lower()
    if value not in PERIODS:
        raise PeriodError(f"unknown period {text!r}: use 7d, 30d or 90d")
    return value


def percent(part: int, whole: int) -> float | None:
    return part * 100.0 / whole if whole else None


@dataclass(frozen=True, slots=True)
class Change:
    """A figure now and in the previous period (or at the period's start)."""

    now: float | None
    before: float | None

    @property
    def delta(self) -> float | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before


@dataclass(frozen=True, slots=True)
class KindRate:
    """Outreach of one kind (or one campaign) sent in the period, and how many got a response."""

    kind: str
    sent: int
    responded: int
    campaign_id: int | None = None

    @property
    def rate(self) -> float | None:
        return percent(self.responded, self.sent)


@dataclass(frozen=True, slots=True)
class Move:
    before: str
    after: str
    customers: int


@dataclass(frozen=True, slots=True)
class Who:
    """A customer as the owner recognises them."""

    customer_id: int
    name: str
    username: str | None
    telegram_id: int | None


@dataclass(frozen=True, slots=True)
class ContactItem:
    who: Who
    segment: str | None
    ces: float | None
    declining: bool
    drop: float | None  # points lost from the highest CES of the declining window
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class WaitingItem:
    who: Who
    since: datetime
    text: str | None


@dataclass(frozen=True, slots=True)
class Ratings:
    csat: Change  # mean CSAT (1-5) of the answers given in the period, and in the previous one
    csat_answers: int
    requests: int  # rating requests (outreach "rating") sent in the period
    answered: int  # of those, how many got a CSAT answer
    nps_answers: int
    promoters: int  # NPS 9-10
    detractors: int  # NPS 0-6

    @property
    def response_rate(self) -> float | None:
        return percent(self.answered, self.requests)

    @property
    def nps(self) -> float | None:
        """Promoters % minus detractors %, -100..100; None without answers."""
        if not self.nps_answers:
            return None
        return (self.promoters - self.detractors) * 100.0 / self.nps_answers


@dataclass(frozen=True, slots=True)
class Report:
    period: str
    days: int
    start: datetime
    end: datetime
    customers: int
    active: Change
    new: Change
    ces: Change  # average CES now, and at the scoring run at (or nearest after) `start`
    segments: dict[str, int]
    declining: int
    moves: list[Move]  # segment changes since `moves_since`, most customers first
    moves_since: datetime | None
    sentiment: dict[str, int]  # scored inbound messages per label, this period
    sentiment_before: dict[str, int]
    polarity: Change  # mean polarity (-1..1)
    ratings: Ratings
    engagement: list[KindRate]
    campaigns: list[KindRate]
    contact: list[ContactItem]
    contact_total: int
    unanswered: list[WaitingItem]
    unanswered_total: int
    birthdays: list[Who]
    birthdays_total: int
    # Chart series.
    histogram: dict[str, list[int]] = field(default_factory=dict)  # CES bins of 10 by segment
    segment_history: list[tuple[datetime, dict[str, int]]] = field(default_factory=list)
    sentiment_weeks: list[dict[str, int]] = field(default_factory=list)  # oldest week first

    @property
    def empty(self) -> bool:
        """A shop with no customers yet: the report says so kindly and draws no chart."""
        return self.customers == 0
