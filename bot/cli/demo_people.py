"""The simulated customers of `akrab demo`: personas, and each customer's plan of what they do.

A plan is a time-ordered list of `Event`s (messages, commands, purchases) decided up front from
one seeded `random.Random`, so a seed gives the same customers doing the same things. What a
customer does in answer to the bot (pressing rating buttons, answering an outreach message) is
decided by the driver (bot/cli/demo_sim.py) from the persona's `csat`, `nps` and `answers`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from bot.cli.demo_texts import name, say

FIRST_TELEGRAM_ID = 810_000_000  # simulated customers' Telegram ids count up from here
ENGLISH_SHARE = 0.25


@dataclass(frozen=True)
class Persona:
    """How one kind of customer behaves over the simulated period."""

    name: str
    share: float  # of all customers
    join: tuple[float, float]  # when they first write, as fractions of the period
    days_per_week: float  # days with a conversation, per week
    moods: tuple[float, float, float]  # chance of a positive, a question, a complaint
    csat: tuple[int, ...]  # the ratings they give (one picked at random)
    nps: tuple[int, ...]
    buys_per_week: float
    answers: float  # chance they answer a rating request or an outreach message
    drift: bool = False  # fade away in the second half: fewer visits, more complaints
    invites: float = 0.0  # chance they /invite friends, who then join through the link


PERSONAS = (
    Persona("advocate", 0.22, (0.0, 0.2), 1.8, (0.65, 0.3, 0.05), (4, 5, 5), (9, 10, 10, 8),
            0.8, 0.85, invites=0.6),
    Persona("casual", 0.25, (0.0, 0.6), 0.9, (0.3, 0.6, 0.1), (3, 4, 4, 5), (6, 7, 8, 9),
            0.3, 0.5),
    Persona("drifting", 0.2, (0.0, 0.15), 1.8, (0.45, 0.45, 0.1), (3, 4, 5), (7, 8, 9),
            0.3, 0.3, drift=True),
    Persona("complainer", 0.13, (0.0, 0.5), 1.1, (0.1, 0.35, 0.55), (1, 2, 2, 3),
            (0, 2, 3, 4, 5), 0.2, 0.6),
    Persona("new", 0.2, (0.8, 1.0), 1.5, (0.45, 0.45, 0.1), (3, 4, 5), (6, 8, 9), 0.3, 0.6),
)  # fmt: skip
# After drifting away, a customer rates low.
DRIFTED_CSAT, DRIFTED_NPS = (1, 2, 3), (2, 3, 4, 5)
BY_NAME = {p.name: p for p in PERSONAS}
LOCAL_HOURS = (8, 9, 10, 10, 11, 12, 12, 13, 14, 16, 17, 19, 19, 20, 20, 21)  # busy at noon, night


@dataclass(frozen=True)
class Event:
    at: datetime  # UTC
    kind: str  # text, command, photo, sticker, buy
    value: str = ""  # the text, the command line, the caption, or the amount in rupiah


@dataclass
class Customer:
    index: int
    telegram_id: int
    first_name: str
    username: str | None
    lang: str  # the Telegram app's language: "id" or "en"
    persona: Persona
    referrer: int | None = None  # index of the customer whose invite link they used
    drifted_at: datetime | None = None  # when a drifting customer started to fade away
    events: list[Event] = field(default_factory=list)


def personas_for(count: int, rng: random.Random) -> list[Persona]:
    """`count` personas in the configured shares (rounded), shuffled."""
    chosen: list[Persona] = []
    for persona in PERSONAS:
        chosen += [persona] * round(count * persona.share)
    chosen = (chosen + [BY_NAME["casual"]] * count)[:count]
    rng.shuffle(chosen)
    return chosen


@dataclass
class PlanContext:
    rng: random.Random
    start: datetime
    end: datetime
    days: int
    zone: tzinfo


def local_moment(start: datetime, day: int, zone: tzinfo, rng: random.Random) -> datetime:
    local = (start.astimezone(zone) + timedelta(days=day)).replace(
        hour=rng.choice(LOCAL_HOURS), minute=rng.randrange(60), second=rng.randrange(60)
    )
    return max(local.astimezone(start.tzinfo), start + timedelta(minutes=rng.randrange(1, 60)))


def conversation(customer: Customer, day: int, mood_shift: float, ctx: PlanContext) -> None:
    """One day's conversation: a first message by mood, maybe a follow-up and a command."""
    rng, lang, p = ctx.rng, customer.lang, customer.persona
    at = local_moment(ctx.start, day, ctx.zone, rng)
    if at >= ctx.end:
        return
    positive, question, _ = p.moods
    positive *= 1 - mood_shift
    roll = rng.random()
    mood = (
        "positive" if roll < positive else "question" if roll < positive + question else "complaint"
    )
    add = customer.events.append
    if mood == "complaint" and rng.random() < 0.2:
        add(Event(at, "photo", say(lang, "photo", rng)))
        at += timedelta(minutes=rng.randint(1, 4))
    add(Event(at, "text", say(lang, mood, rng)))
    if rng.random() < 0.25:  # a second message in the same conversation
        follow = "question" if mood == "question" else mood
        add(Event(at + timedelta(minutes=rng.randint(1, 9)), "text", say(lang, follow, rng)))
    later = at + timedelta(minutes=rng.randint(10, 25))
    if mood == "positive" and rng.random() < 0.12:
        add(Event(later, "sticker", "👍"))
    elif rng.random() < 0.12:
        add(Event(later, "command", "/rate"))
    elif rng.random() < 0.05:
        add(Event(later, "command", "/feedback " + say(lang, "feedback", rng)))
    if rng.random() < p.buys_per_week / max(p.days_per_week, 0.1) * (1 - mood_shift):
        amount = rng.choice((35, 50, 75, 89, 120, 150, 199, 250, 350, 480)) * 1000
        add(Event(at + timedelta(minutes=rng.randint(30, 180)), "buy", str(amount)))


def plan_customer(customer: Customer, ctx: PlanContext) -> None:
    rng, p, days = ctx.rng, customer.persona, ctx.days
    first = int(days * rng.uniform(*p.join))
    first = min(first, days - 1)
    at = local_moment(ctx.start, first, ctx.zone, rng)
    customer.events.append(Event(at, "command", "/start" if rng.random() < 0.85 else ""))
    # (the join event's time is set below, once the first day's conversation is planned)
    drift_day = int(days * rng.uniform(0.25, 0.5)) if p.drift else days
    if p.drift:
        customer.drifted_at = ctx.start + timedelta(days=drift_day)
    for day in range(first, days):
        rate = p.days_per_week / 7
        shift = 0.0
        if day >= drift_day:
            rate, shift = 0.02, 0.8  # rare visits, mostly questions and complaints
        if day == first or rng.random() < rate:
            conversation(customer, day, shift, ctx)
    extra_day = rng.randrange(first, days)
    if rng.random() < 0.35:
        birthday = (ctx.start + timedelta(days=rng.randrange(365))).astimezone(ctx.zone)
        if rng.random() < 0.08:  # a few birthdays on the last day, for "today's birthdays"
            birthday = ctx.end.astimezone(ctx.zone)
        add_command(customer, extra_day, f"/birthday {birthday.day:02d}-{birthday.month:02d}", ctx)
    if rng.random() < 0.45:
        add_command(customer, rng.randrange(first, days), "/nps", ctx)
    if p.name == "complainer" and rng.random() < 0.15:
        add_command(customer, days - 1 - rng.randrange(max(1, days // 6)), "/stop", ctx)
    # The first contact comes a few minutes before the first conversation: /start, or (some
    # people) a question straight away.
    join = customer.events[0]
    rest = sorted(customer.events[1:], key=lambda e: e.at)
    at = (rest[0].at if rest else join.at) - timedelta(minutes=rng.randint(2, 6))
    at = min(at, ctx.end - timedelta(minutes=30))  # everyone writes at least once
    if join.value:
        customer.events = [Event(at, "command", join.value), *rest]
    else:
        customer.events = [Event(at, "text", say(customer.lang, "question", rng)), *rest]


def add_command(customer: Customer, day: int, text: str, ctx: PlanContext) -> None:
    at = local_moment(ctx.start, day, ctx.zone, ctx.rng)
    first = customer.events[0].at if customer.events else at
    if first < at < ctx.end:
        customer.events.append(Event(at, "command", text))


def make_customers(
    count: int, *, start: datetime, days: int, zone: tzinfo, rng: random.Random
) -> list[Customer]:
    """`count` customers with their plans over `days` days from `start` (UTC)."""
    ctx = PlanContext(rng, start, start + timedelta(days=days), days, zone)
    people: list[Customer] = []
    for index, persona in enumerate(personas_for(count, rng)):
        lang = "en" if rng.random() < ENGLISH_SHARE else "id"
        first_name = name(lang, rng)
        username = f"{first_name.lower()}{rng.randrange(10, 999)}" if rng.random() < 0.7 else None
        people.append(
            Customer(index, FIRST_TELEGRAM_ID + index, first_name, username, lang, persona)
        )
    for customer in people:
        plan_customer(customer, ctx)
    link_referrals(people, ctx)
    return people


def link_referrals(people: list[Customer], ctx: PlanContext) -> None:
    """Advocates who /invite: some customers who join after them come through their link."""
    rng = ctx.rng
    inviters = [c for c in people if c.persona.invites and rng.random() < c.persona.invites]
    for inviter in inviters:
        day = rng.randrange(max(1, ctx.days // 3))
        add_command(inviter, day, "/invite", ctx)
        inviter.events.sort(key=lambda e: e.at)
    for customer in people:
        start = customer.events[0]
        if start.value != "/start" or rng.random() > 0.15:
            continue
        invited = [
            i
            for i in inviters
            if i is not customer
            and any(e.value == "/invite" and e.at < start.at - timedelta(hours=2) for e in i.events)
        ]
        if invited:
            customer.referrer = rng.choice(invited).index


def choose_button(
    choices: list[tuple[str, str]], customer: Customer, customer_now: datetime, rng: random.Random
) -> str | None:
    """The button this customer presses on a keyboard (never /forget's), or None."""
    offered = {data for _, data in choices}
    persona, now = customer.persona, customer_now
    csat, nps = persona.csat, persona.nps
    if customer.drifted_at is not None and now >= customer.drifted_at:
        csat, nps = DRIFTED_CSAT, DRIFTED_NPS
    for kind, scores in (("csat", csat), ("nps", nps)):
        if any(d.startswith(f"v1:{kind}:") for d in offered):
            data = f"v1:{kind}:{rng.choice(scores)}"
            return data if data in offered else None
    if "v1:resolved:yes" in offered:
        happy = persona.name in {"advocate", "casual"} or rng.random() < 0.4
        return "v1:resolved:yes" if happy else "v1:resolved:no"
    return None
