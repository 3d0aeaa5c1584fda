"""The console's one-tap messages: a rating request, a win-back, thanks with a referral ask.

Each press plans one row in the outbox (`outreach`, status planned, due now) with the text
rendered in the customer's language; the dispatcher sends it under the rules every automated
message follows (opt-out, quiet hours, daily and weekly caps). The dedupe key holds the
customer and the shop's local date, so pressing twice (or two owners pressing) plans one
message a day. The texts are `console_msg_*` in `bot.texts.console` until the outreach
templates (`bot.texts.outreach`) cover these kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.texts import t
from storage import console, outreach
from storage.db import session_scope
from storage.models import Customer

Action = Literal["rating", "winback", "thanks"]
Outcome = Literal["queued", "already", "unreachable", "gone"]


@dataclass(frozen=True, slots=True)
class OneTap:
    kind: str  # the outreach kind (the dispatcher's priority and caps go by it)
    priority: int
    template: str  # the text key it is rendered from


ONE_TAPS: dict[Action, OneTap] = {
    "rating": OneTap("rating", 50, "console_msg_rating"),
    "winback": OneTap("at_risk", 10, "console_msg_winback"),
    "thanks": OneTap("advocate", 10, "console_msg_thanks"),
}


def dedupe_key(action: Action, customer_id: int, now: datetime, timezone: str) -> str:
    day = now.astimezone(ZoneInfo(timezone)).date().isoformat()
    return f"owner_{action}:{customer_id}:{day}"


def render(
    action: Action,
    customer: Customer,
    *,
    shop: str,
    incentive: str | None,
    invite_link: Callable[[str], str],
) -> str:
    """The message the customer will read, in their language."""
    lang = customer.language
    if customer.first_name:
        hello = t(lang, "console_msg_hello", name=customer.first_name)
    else:
        hello = t(lang, "console_msg_hello_anon")
    values: dict[str, object] = {"hello": hello, "shop": shop}
    if action == "winback":
        values["incentive"] = f"\n\n{incentive}" if incentive else ""
    elif action == "thanks":
        values["link"] = invite_link(customer.referral_code)
    return t(lang, ONE_TAPS[action].template, **values)


def plan_one_tap(
    engine: Engine,
    action: Action,
    customer_id: int,
    *,
    now: datetime,
    timezone: str,
    shop: str,
    incentive: str | None = None,
    invite_link: Callable[[str], str],
) -> Outcome:
    """Plan the message for `customer_id` once per local day; say what happened."""
    tap = ONE_TAPS[action]
    with session_scope(engine) as session:
        customer = console.customer_by_id(session=session, customer_id=customer_id)
        if customer is None:
            return "gone"
        if customer.opted_out or customer.blocked:
            return "unreachable"
        text = render(action, customer, shop=shop, incentive=incentive, invite_link=invite_link)
        row = {
            "kind": tap.kind,
            "customer_id": customer_id,
            "dedupe_key": dedupe_key(action, customer_id, now, timezone),
            "template": tap.template,
            "language": customer.language,
            "text": text,
            "priority": tap.priority,
            "due_at": now,
        }
        added = outreach.add_intents(session=session, rows=[row], now=now) == 1
    return "queued" if added else "already"
