"""The rules every automated message obeys at send time: pure, no I/O (table-tested).

Kinds and priorities (higher wins when a cap allows only one) are shared with the planners.
Decisions, for the due rows of one dispatcher pass:

- the customer sent /stop, blocked the bot or was erased: `skipped` (opted_out / blocked /
  erased), never sent;
- past its `expires_at`: `expired` (late);
- in quiet hours (shop-local, may cross midnight): deferred to their end, never dropped, unless
  that end is past `expires_at` (then `expired`, reason quiet_hours);
- over a cap: deferred to the first moment the caps allow (and outside quiet hours), or
  `skipped` (daily_cap / weekly_cap) when that is past `expires_at`. The daily cap counts the
  shop-local calendar day (TIMEZONE), the weekly cap a rolling 7 × 24 h window ending at the
  send. Rows due together for one customer go by priority (complaint > rating > birthday >
  holiday > anniversary > at-risk), then due time. Campaigns are exempt from (and do not count
  against) the caps, not from opt-out, quiet hours and rates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

COMPLAINT_FOLLOWUP = "complaint_followup"
RATING = "rating"
BIRTHDAY = "birthday"
HOLIDAY = "holiday"
ANNIVERSARY = "anniversary"
AT_RISK = "at_risk"
ADVOCATE = "advocate"  # an owner's one-tap thanks to an advocate, with a referral ask
CAMPAIGN = "campaign"

PRIORITY: dict[str, int] = {
    COMPLAINT_FOLLOWUP: 60,
    RATING: 50,
    BIRTHDAY: 40,
    HOLIDAY: 30,
    ANNIVERSARY: 20,
    AT_RISK: 10,
    ADVOCATE: 10,
    CAMPAIGN: 0,
}
KINDS = tuple(PRIORITY)
CAPPED_KINDS = frozenset(kind for kind in KINDS if kind != CAMPAIGN)

STATUSES = (
    "planned",
    "sending",
    "sent",
    "failed",
    "skipped",
    "expired",
    "unconfirmed",
    "cancelled",
)
# `retry` puts these back to planned: a send that may not have arrived is the owner's call.
# skipped / expired rows had a reason that still holds (opt-out, lateness), so they stay.
RETRYABLE = frozenset({"failed", "unconfirmed"})
CANCELLABLE = frozenset({"planned"})
WEEK = timedelta(days=7)

SEND, DEFER, SKIP, EXPIRE = "send", "defer", "skip", "expire"


@dataclass(frozen=True, slots=True)
class Rules:
    tz: ZoneInfo
    quiet_hours: tuple[time, time] | None = (time(21, 0), time(8, 0))
    daily_cap: int = 1
    weekly_cap: int = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    """A due row as the rules see it."""

    id: int
    customer_id: int
    kind: str
    priority: int
    due_at: datetime
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CustomerState:
    """A customer's standing and the capped sends (times, UTC) of the last week."""

    opted_out: bool = False
    blocked: bool = False
    erased: bool = False
    sent: tuple[datetime, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    action: str  # send | defer | skip | expire
    due_at: datetime | None = None  # for defer: when to look again
    reason: str | None = None


def in_quiet_hours(moment: datetime, rules: Rules) -> bool:
    if rules.quiet_hours is None:
        return False
    start, end = rules.quiet_hours
    local = moment.astimezone(rules.tz).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # across midnight


def quiet_end(moment: datetime, rules: Rules) -> datetime:
    """The first moment at or after `moment` outside quiet hours (UTC)."""
    if not in_quiet_hours(moment, rules):
        return moment
    assert rules.quiet_hours is not None
    end = rules.quiet_hours[1]
    local = moment.astimezone(rules.tz)
    day = local.date()
    for offset in range(2):
        candidate = datetime.combine(day + timedelta(days=offset), end, tzinfo=rules.tz)
        if candidate > local:
            return candidate.astimezone(UTC)
    raise AssertionError("quiet hours end within a day")  # pragma: no cover


def next_local_midnight(moment: datetime, tz: ZoneInfo) -> datetime:
    local = moment.astimezone(tz)
    return datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)


def _local_day(moment: datetime, tz: ZoneInfo) -> object:
    return moment.astimezone(tz).date()


def earliest_allowed(
    moment: datetime, sent: Sequence[datetime], rules: Rules, *, capped: bool = True
) -> tuple[datetime | None, str | None]:
    """The first time at or after `moment` that quiet hours and the caps allow a send, and the
    first rule that held it back (None: `moment` itself is allowed). None as time: never (a cap
    of 0)."""
    at, reason = moment, None
    for _ in range(64):
        if capped:
            if rules.daily_cap <= 0 or rules.weekly_cap <= 0:
                return None, "daily_cap" if rules.daily_cap <= 0 else "weekly_cap"
            day = _local_day(at, rules.tz)
            if sum(1 for s in sent if _local_day(s, rules.tz) == day) >= rules.daily_cap:
                at, reason = next_local_midnight(at, rules.tz), reason or "daily_cap"
                continue
            window = sorted(s for s in sent if at - WEEK < s <= at)
            if len(window) >= rules.weekly_cap:
                # when enough of the week's sends have left the window
                at = window[len(window) - rules.weekly_cap] + WEEK + timedelta(microseconds=1)
                reason = reason or "weekly_cap"
                continue
        if in_quiet_hours(at, rules):
            at, reason = quiet_end(at, rules), reason or "quiet_hours"
            continue
        return at, reason
    return None, reason  # pragma: no cover - caps and quiet hours settle within a few steps


def decide(
    candidates: Iterable[Candidate],
    states: Mapping[int, CustomerState],
    rules: Rules,
    now: datetime,
) -> list[Decision]:
    """What to do with each due row now (see the module docstring)."""
    by_customer: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_customer.setdefault(candidate.customer_id, []).append(candidate)
    decisions: list[Decision] = []
    for customer_id, rows in by_customer.items():
        state = states.get(customer_id, CustomerState(erased=True))
        sent = list(state.sent)
        for row in sorted(rows, key=lambda r: (-r.priority, r.due_at, r.id)):
            decision = _decide_one(row, state, sent, rules, now)
            if decision.action == SEND and row.kind in CAPPED_KINDS:
                sent.append(now)
            decisions.append(decision)
    return decisions


def _decide_one(
    row: Candidate, state: CustomerState, sent: list[datetime], rules: Rules, now: datetime
) -> Decision:
    for flag, why in ((state.erased, "erased"), (state.opted_out, "opted_out")):
        if flag:
            return Decision(row.id, SKIP, reason=why)
    if state.blocked:
        return Decision(row.id, SKIP, reason="blocked")
    if row.expires_at is not None and now > row.expires_at:
        return Decision(row.id, EXPIRE, reason="late")
    at, reason = earliest_allowed(now, sent, rules, capped=row.kind in CAPPED_KINDS)
    if reason is None and at is not None:
        return Decision(row.id, SEND)
    if at is None or (row.expires_at is not None and at > row.expires_at):
        action = EXPIRE if reason == "quiet_hours" else SKIP
        return Decision(row.id, action, reason=reason)
    return Decision(row.id, DEFER, due_at=at, reason=reason)
