"""The live inbox as plain values: who a relay is about, where an owner's reply goes, and which
customers are still waiting for an answer (`unanswered`, used by the owner's report).

No telegram here; the handlers in `bot.handlers.owner` do the sending.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta, tzinfo

from sqlmodel import Session

from bot.config import Settings
from storage import outbound, owners, relay, scores
from storage import unanswered as waiting_store
from storage.relay import CustomerLine, RelayJob

TREND_WINDOW = timedelta(days=14)  # the CES trend an alert shows: change over two weeks
REPLY_MODE_TTL = timedelta(minutes=30)  # "Balas" holds for the owner's next message this long
UNANSWERED_LOOKBACK = timedelta(days=14)  # older silence is no longer "contact today"


@dataclass(frozen=True, slots=True)
class RelayInfo:
    """The header of a relay or an alert: the customer, the CES trend, the message's mood."""

    customer: CustomerLine
    trend: float | None  # CES change over TREND_WINDOW (None: fewer than two snapshots)
    polarity: float | None
    owner_language: str | None = None  # the receiving owner's, when known (private chats)


@dataclass(frozen=True, slots=True)
class Unanswered:
    """A customer waiting for the shop since `since` (`waited`: in opening hours)."""

    customer_id: int
    first_name: str | None
    username: str | None
    text: str | None  # their first message since the shop last wrote
    since: datetime
    waited: timedelta
    messages: int


def relay_info(
    session: Session, *, customer_id: int, message_id: int | None, now: datetime
) -> RelayInfo | None:
    line = relay.customer_line(session=session, customer_id=customer_id)
    if line is None:
        return None
    series = scores.ces_series(session=session, customer_id=customer_id, limit=60)
    recent = [ces for at, ces in series if at >= now - TREND_WINDOW]
    trend = recent[-1] - recent[0] if len(recent) >= 2 else None
    polarity = None
    if message_id is not None:
        polarity = relay.message_polarity(session=session, message_id=message_id)
    return RelayInfo(line, trend, polarity)


def plan_relays(
    session: Session,
    *,
    customer_id: int,
    message_id: int,
    owner_chat_ids: list[int],
    now: datetime,
) -> int:
    """Plan the relay of one customer message (or button press: an alert) to the owner chats,
    once per chat; how many were planned now (0: planned before)."""
    return relay.plan(
        session=session,
        customer_id=customer_id,
        message_id=message_id,
        owner_chat_ids=owner_chat_ids,
        now=now,
    )


def planned_relays(session: Session, *, owner_chat_id: int, limit: int = 20) -> list[RelayJob]:
    return relay.planned(session=session, owner_chat_id=owner_chat_id, limit=limit)


def chats_with_planned(session: Session) -> list[int]:
    return relay.chats_with_planned(session=session)


def start_relay(
    session: Session,
    *,
    relay_id: int,
    customer_id: int,
    message_id: int | None,
    owner_chat_id: int,
    now: datetime,
) -> RelayInfo | None:
    """Take a planned relay for sending, with its header's facts and the language of the
    owner whose private chat it goes to; None when another process took it first (or the
    customer is gone)."""
    if not relay.start(session=session, relay_id=relay_id):
        return None
    info = relay_info(session, customer_id=customer_id, message_id=message_id, now=now)
    if info is None:
        return None
    language = owners.owner_language(session=session, owner_id=owner_chat_id)
    return replace(info, owner_language=language)


def remember_owner_language(
    session: Session, *, owner_id: int, language: str, now: datetime
) -> None:
    owners.set_owner_language(session=session, owner_id=owner_id, language=language, now=now)


def confirm_relay(session: Session, *, relay_id: int, owner_message_id: int) -> None:
    relay.confirm(session=session, relay_id=relay_id, owner_message_id=owner_message_id)


def fail_relay(session: Session, *, relay_id: int) -> None:
    relay.fail(session=session, relay_id=relay_id)


def topic_of(session: Session, *, customer_id: int, chat_id: int) -> int | None:
    return relay.topic_of(session=session, customer_id=customer_id, chat_id=chat_id)


def set_topic(
    session: Session, *, customer_id: int, chat_id: int, thread_id: int, now: datetime
) -> None:
    relay.set_topic(
        session=session, customer_id=customer_id, chat_id=chat_id, thread_id=thread_id, now=now
    )


def set_reply_mode(
    session: Session, *, owner_id: int, chat_id: int, customer_id: int, now: datetime
) -> CustomerLine | None:
    """Put the owner in reply mode for the customer; the customer, or None if unknown."""
    line = relay.customer_line(session=session, customer_id=customer_id)
    if line is not None:
        relay.set_reply_mode(
            session=session, owner_id=owner_id, chat_id=chat_id, customer_id=customer_id, now=now
        )
    return line


@dataclass(frozen=True, slots=True)
class ReplyTarget:
    """Where an owner's message goes: the customer, and whether it was sent before (a replay)."""

    customer: CustomerLine
    replayed: bool


def reply_target(
    session: Session,
    *,
    owner_id: int,
    chat_id: int,
    reply_to: int | None,
    thread_id: int | None,
    update_id: int | None,
    now: datetime,
) -> ReplyTarget | None:
    """The customer an owner's message is for: the relay it replies to, the customer's forum
    topic it was written in, or the reply mode "Balas" set; None when it is for nobody."""
    customer_id = None
    if reply_to is not None:
        customer_id = relay.customer_of_relay(
            session=session, owner_chat_id=chat_id, owner_message_id=reply_to
        )
    if customer_id is None and thread_id is not None:
        customer_id = relay.customer_of_topic(session=session, chat_id=chat_id, thread_id=thread_id)
    mode = relay.take_reply_mode(
        session=session, owner_id=owner_id, chat_id=chat_id, since=now - REPLY_MODE_TTL
    )
    customer_id = customer_id if customer_id is not None else mode
    if customer_id is None:
        return None
    line = relay.customer_line(session=session, customer_id=customer_id)
    if line is None:
        return None
    replayed = update_id is not None and outbound.answered(session=session, update_id=update_id)
    return ReplyTarget(line, replayed)


# -- unanswered ---------------------------------------------------------------------------------
def open_time(start: datetime, end: datetime, hours: tuple[time, time], tz: tzinfo) -> timedelta:
    """How much of [start, end) falls within the daily opening `hours` (local times in `tz`;
    a range may cross midnight, e.g. 20:00-02:00)."""
    if end <= start:
        return timedelta(0)
    opens, closes = hours
    total = timedelta(0)
    day = start.astimezone(tz).date() - timedelta(days=1)  # a range crossing midnight
    last = end.astimezone(tz).date()
    while day <= last:
        begin = datetime.combine(day, opens, tz)
        finish = datetime.combine(day + timedelta(days=1 if closes <= opens else 0), closes, tz)
        overlap = min(end, finish) - max(start, begin)
        if overlap > timedelta(0):
            total += overlap
        day += timedelta(days=1)
    return total


def unanswered(session: Session, settings: Settings, now: datetime) -> list[Unanswered]:
    """Customers whose message has waited at least UNANSWERED_AFTER of opening hours
    (OPENING_HOURS, in TIMEZONE) for the shop's answer, longest wait first.

    Answered means an owner wrote to the customer after it (a console reply, or anything an
    owner sent); the bot's automatic acknowledgements do not answer anything. Messages older
    than UNANSWERED_LOOKBACK are not listed."""
    rows = waiting_store.waiting(
        session=session,
        asked_after=now - UNANSWERED_LOOKBACK,
        asked_before=now - settings.unanswered_after,  # open time never exceeds wall time
    )
    found = []
    for row in rows:
        waited = open_time(row.since, now, settings.opening_hours, settings.tz)
        if waited >= settings.unanswered_after:
            found.append(
                Unanswered(
                    row.customer_id,
                    row.first_name,
                    row.username,
                    row.text,
                    row.since,
                    waited,
                    row.count,
                )
            )
    return sorted(found, key=lambda item: item.waited, reverse=True)
