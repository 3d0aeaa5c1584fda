"""/customer: find a customer the way an owner names them, and their card.

The card's score part is the `akrab customer` report (`bot.services.customer_report.render`);
the console adds the spend, the flags that stop automated messages, and the last messages.
The card is Telegram HTML (the report's component table in <pre>, so its columns line up).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from bot.services.ces_runs import refresh_customer
from bot.services.customer_report import amount, render
from bot.texts import t
from scoring.ces import CesConfig
from storage import console, customers, scores
from storage.db import session_scope
from storage.models import Customer, Message

MAX_QUERY = 64
MATCH_LIMIT = 8  # a longer list asks the owner to type more of the name
LAST_MESSAGES = 5
MESSAGE_CHARS = 120  # each message on the card is cut to this
USERNAME = re.compile(r"@[A-Za-z0-9_]{1,32}")
TELEGRAM_ID = re.compile(r"-?[0-9]{1,19}")


@dataclass(frozen=True, slots=True)
class Who:
    """How the owner named a customer: an @username, a Telegram id, or (part of) a name."""

    kind: Literal["username", "telegram_id", "name"]
    value: str


@dataclass(frozen=True, slots=True)
class Match:
    customer_id: int
    label: str  # "Sari Dewi (@sari)"


@dataclass(frozen=True, slots=True)
class Card:
    customer_id: int
    html: str
    reachable: bool  # not opted out, not blocked: automated messages can reach them


def parse_who(text: str, *, names: bool = True) -> Who | None:
    """The owner's argument as a `Who`; None when it is none of the three (or `names` is False
    and it is a name)."""
    value = " ".join(text.split())
    if not value or len(value) > MAX_QUERY:
        return None
    if value.startswith("@"):
        return Who("username", value) if USERNAME.fullmatch(value) else None
    if TELEGRAM_ID.fullmatch(value):
        return Who("telegram_id", value)
    if names and any(c.isalpha() for c in value):
        return Who("name", value)
    return None


def label(customer: Customer) -> str:
    name = " ".join(filter(None, [customer.first_name, customer.last_name])) or "?"
    return f"{name} (@{customer.username})" if customer.username else name


def find_exact(session: Session, who: Who) -> Customer | None:
    """The one customer an @username or a Telegram id names (erased ones are gone)."""
    if who.kind == "username":
        found = customers.get_customer_by_username(session=session, username=who.value)
    elif who.kind == "telegram_id":
        found = customers.get_customer(session=session, telegram_id=int(who.value))
    else:
        return None
    return found if found is not None and found.erased_at is None else None


def find(engine: Engine, who: Who) -> list[Match]:
    """The customers `who` names: one for an @username or id, up to MATCH_LIMIT + 1 for a name
    (one more than shown, so the caller knows there are more)."""
    with session_scope(engine) as session:
        if who.kind == "name":
            found = console.find_by_name(session=session, name=who.value, limit=MATCH_LIMIT + 1)
        else:
            exact = find_exact(session, who)
            found = [exact] if exact is not None else []
        return [Match(c.id, label(c)) for c in found if c.id is not None]


def message_line(message: Message, zone: ZoneInfo) -> str:
    who = "👤" if message.direction == "in" else "🏪"
    when = message.sent_at.astimezone(zone).strftime("%d-%m %H:%M")
    text = " ".join((message.text or f"[{message.kind}]").split())
    if len(text) > MESSAGE_CHARS:
        text = text[: MESSAGE_CHARS - 1] + "…"
    return f"{who} {when} {text}"


def days_ago(lang: str, moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return t(lang, "console_never")
    days = max(0, (now - moment).days)
    return t(lang, "console_today") if days == 0 else t(lang, "console_days_ago", days=days)


def build_card(
    engine: Engine, cfg: CesConfig, customer_id: int, *, now: datetime, timezone: str, lang: str
) -> Card | None:
    """The customer's card with a freshly computed CES; None if there is no such customer."""
    with session_scope(engine) as session:
        customer = console.customer_by_id(session=session, customer_id=customer_id)
    if customer is None:
        return None
    outcome = refresh_customer(engine, cfg, customer_id, now=now, timezone=timezone)
    if outcome is None:
        return None
    raw, result, declining = outcome
    with session_scope(engine) as session:
        series = scores.ces_series(session=session, customer_id=customer_id)
        recent = console.last_messages(
            session=session, customer_id=customer_id, limit=LAST_MESSAGES
        )
        cents, count = console.spend_total(session=session, customer_id=customer_id)
    report = render(
        name=f"{label(customer)}, Telegram {customer.telegram_id}",
        raw=raw,
        result=result,
        declining=declining,
        series=series,
        lang=lang,
    )
    lines = [
        t(lang, "console_card_spend", amount=amount(lang, Decimal(cents) / 100), count=count)
        if count
        else t(lang, "console_card_no_spend"),
        t(lang, "console_card_last_seen", when=days_ago(lang, customer.last_seen, now)),
    ]
    if customer.opted_out:
        lines.append(t(lang, "console_card_opted_out"))
    if customer.blocked:
        lines.append(t(lang, "console_card_blocked"))
    lines.append("")
    lines.append(t(lang, "console_card_messages" if recent else "console_card_no_messages"))
    zone = ZoneInfo(timezone)
    lines.extend(message_line(m, zone) for m in recent)
    text = f"<pre>{html.escape(report)}</pre>\n" + html.escape("\n".join(lines))
    return Card(customer_id, text, reachable=not (customer.opted_out or customer.blocked))
