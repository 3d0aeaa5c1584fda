"""What the outreach planners plan, and when: pure rules (no SQL, no Telegram, no I/O).

Every date that decides something is the customer's *local* date in the shop's `TIMEZONE`
(README, "Scheduled messages" → "Planning"): a birthday at 00:30 in Asia/Jayapura is still the
previous day in UTC, and the local date wins. Times returned are aware UTC datetimes.

Here: slots and local days, ratings, complaints, at-risk picks and dedupe keys. The yearly days
(birthdays, anniversaries, 29 February, the greeting hours) are in `scoring.planning_days`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol

from scoring.outreach_rules import PRIORITY  # one table of priorities, the dispatcher's

__all__ = ["PRIORITY"]

KINDS = ("rating", "complaint_followup", "birthday", "holiday", "anniversary", "at_risk")

AT_RISK_HOUR = time(10, 0)  # local, on the day it is planned
# How late each kind may still go out (README table); then the dispatcher expires it.
RATING_LATENESS = timedelta(hours=12)  # a rating request about yesterday's chat is noise
COMPLAINT_LATENESS = timedelta(days=1)
AT_RISK_LATENESS = timedelta(days=3)
# A rating request only if no CSAT in this long, and none asked for in this long either.
RATING_QUIET = timedelta(days=7)
# A longer silence between two inbound messages starts a new conversation (the same gap as
# bot/handlers/recording.py uses for its acknowledgements).
CONVERSATION_GAP = timedelta(minutes=30)
# Complaint thresholds of the rating scales (README, "Complaints").
CSAT_COMPLAINT_MAX = 2
NPS_COMPLAINT_MAX = 6
NOT_WORDS = frozenset({"command", "callback"})  # inbound kinds that are not the customer's words


@dataclass(frozen=True, slots=True)
class Slot:
    """When one intent is due and the last moment it may still go out (UTC)."""

    due_at: datetime
    expires_at: datetime


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The calendar date at `moment` in `tz` (the date that decides birthdays and holidays)."""
    return moment.astimezone(tz).date()


def at_local(day: date, at: time, tz: tzinfo) -> datetime:
    """`day` at local time `at` in `tz`, as UTC."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def day_slot(day: date, at: time, tz: tzinfo) -> Slot:
    """Due at `at` local on `day`, expiring at the end of that local day."""
    return Slot(at_local(day, at, tz), at_local(day + timedelta(days=1), time(0), tz))


def local_day_range(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of a local day, in UTC."""
    return at_local(day, time(0), tz), at_local(day + timedelta(days=1), time(0), tz)


# -- conversations, ratings and complaints ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Inbound:
    """One inbound message (or button press) of a customer, as the planners see it."""

    id: int
    sent_at: datetime
    kind: str
    complaint: bool = False  # at or below the complaint polarity (see is_complaint_text)


def conversations(messages: Sequence[Inbound], gap: timedelta) -> list[list[Inbound]]:
    """Split time-ordered messages into conversations: a silence longer than `gap` splits."""
    runs: list[list[Inbound]] = []
    for message in sorted(messages, key=lambda m: (m.sent_at, m.id)):
        if runs and message.sent_at - runs[-1][-1].sent_at <= gap:
            runs[-1].append(message)
        else:
            runs.append([message])
    return runs


class Timed(Protocol):
    """What `conversation_start` reads of a message (an `Inbound`, or a stored row)."""

    @property
    def id(self) -> int: ...

    @property
    def sent_at(self) -> datetime: ...


def conversation_start(messages: Sequence[Timed], at: datetime, gap: timedelta) -> int | None:
    """The id of the first message of the conversation that is under way at `at` (the one
    holding the last message sent at or before `at`), or None when there is none: the last
    run of `conversations`, found walking back from its end."""
    earlier = sorted((m for m in messages if m.sent_at <= at), key=lambda m: (m.sent_at, m.id))
    if not earlier:
        return None
    start = earlier[-1]
    for message in reversed(earlier[:-1]):
        if start.sent_at - message.sent_at > gap:
            break
        start = message
    return start.id


@dataclass(frozen=True, slots=True)
class RatingFacts:
    """What the rating rule needs to know about one customer."""

    messages: Sequence[Inbound]  # recent inbound messages, any order
    last_csat_at: datetime | None  # the newest CSAT answer
    last_rating_asked_at: datetime | None  # the due time of the newest rating request


def rating_intent(facts: RatingFacts, now: datetime, idle: timedelta) -> tuple[int, Slot] | None:
    """A rating request for the customer's last conversation once it has been idle `idle`:
    (the id of its first message, the slot), or None.

    Once per conversation (the id is the dedupe key); only if the customer wrote at least one
    message that is not a command or a button press in it; not if they gave a CSAT, or were
    asked for one, in the last RATING_QUIET; not after a complaint in it (its follow-up asks
    instead). A conversation ends after `idle` of silence.
    """
    if not facts.messages:
        return None
    last = conversations(facts.messages, max(idle, CONVERSATION_GAP))[-1]
    due = last[-1].sent_at + idle
    if due > now or now > due + RATING_LATENESS:
        return None
    if all(message.kind in NOT_WORDS for message in last):
        return None
    if any(message.complaint for message in last):
        return None
    for recent in (facts.last_csat_at, facts.last_rating_asked_at):
        if recent is not None and recent > now - RATING_QUIET:
            return None
    return last[0].id, Slot(due, due + RATING_LATENESS)


def is_complaint_rating(kind: str, score: int | None) -> bool:
    """A CSAT of 2 or less, or an NPS of 6 or less (a detractor)."""
    if score is None:
        return False
    if kind == "csat":
        return score <= CSAT_COMPLAINT_MAX
    return kind == "nps" and score <= NPS_COMPLAINT_MAX


def is_complaint_text(kind: str, polarity: float | None, threshold: float) -> bool:
    """A message of the customer's own words at or below the complaint polarity (a text, a
    caption, or the words of `/feedback <text>`, the one command whose words are scored)."""
    return kind != "callback" and polarity is not None and polarity <= threshold


def complaint_slot(at: datetime, followup: timedelta) -> Slot:
    due = at + followup
    return Slot(due, due + COMPLAINT_LATENESS)


def complaint_intents(
    messages: Sequence[Inbound], complaints: Iterable[datetime], followup: timedelta
) -> dict[int, Slot]:
    """One follow-up per complaint conversation: {first message id: slot of its first
    complaint}. `complaints` are the times of the complaints (messages or ratings)."""
    planned: dict[int, Slot] = {}
    for at in sorted(complaints):
        start = conversation_start(messages, at, CONVERSATION_GAP)
        if start is not None and start not in planned:
            planned[start] = complaint_slot(at, followup)
    return planned


# -- at-risk ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AtRiskCandidate:
    customer_id: int
    segment: str | None
    declining: bool
    spend_cents: int
    best_ces: float | None


def at_risk_pick(candidates: Iterable[AtRiskCandidate], room: int) -> list[AtRiskCandidate]:
    """Who gets a win-back message today: at-risk or declining (never `new`), most valuable
    first (spend, then the best CES they had), at most `room` of them."""
    eligible = [
        c for c in candidates if c.segment != "new" and (c.segment == "at_risk" or c.declining)
    ]
    eligible.sort(key=lambda c: (-c.spend_cents, -(c.best_ces or 0.0), c.customer_id))
    return eligible[: max(room, 0)]


def at_risk_slot(now: datetime, tz: tzinfo) -> Slot:
    due = at_local(local_date(now, tz), AT_RISK_HOUR, tz)
    return Slot(due, due + AT_RISK_LATENESS)


# -- dedupe keys --------------------------------------------------------------------------


def dedupe_key(kind: str, customer_id: int, *parts: object) -> str:
    """`kind:<customer>:<part>...` for most kinds; holidays put their key first."""
    if kind == "holiday":
        holiday, *rest = parts
        return ":".join(str(p) for p in ("holiday", holiday, customer_id, *rest))
    return ":".join(str(p) for p in (kind, customer_id, *parts))
