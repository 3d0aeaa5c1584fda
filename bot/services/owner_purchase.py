"""/catat <@username|id> <amount> [note]: the owner records a purchase from the chat.

Amounts are read exactly as the CSV import reads them (`purchase_import.parse_amount` and
its rupiah-have-no-cents check), so "150.000", "150000" and "Rp 1.500.000" are the same
everywhere. The purchase counts at once: the customer's CES is refreshed (the monetary
component), as the per-customer refresh after a message does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Engine

from bot.services.ces_runs import refresh_customer
from bot.services.owner_card import Who, find_exact, label, parse_who
from bot.services.purchase_import import RowError, check_cents, parse_amount
from scoring.ces import CesConfig
from storage import console, purchases
from storage.db import session_scope

CURRENCY = "IDR"
CURRENCY_WORDS = frozenset({"rp", "rp.", "idr"})  # "Rp 150.000" arrives as two words
NOTE_CHARS = 200

Problem = Literal["usage", "bad_amount", "cents", "unknown"]


@dataclass(frozen=True, slots=True)
class CatatRequest:
    who: Who
    amount: str
    note: str | None


@dataclass(frozen=True, slots=True)
class PurchaseRecorded:
    customer_id: int
    name: str
    amount_cents: int
    total_cents: int
    purchases: int
    ces: float | None
    added: bool  # False: this very command was recorded before (a redelivered update)


def parse_catat(args: list[str]) -> CatatRequest | None:
    """The command's words as a request; None when they do not have its shape."""
    if len(args) < 2:
        return None
    who = parse_who(args[0], names=False)
    if who is None:
        return None
    words = args[1:]
    if words[0].lower() in CURRENCY_WORDS and len(words) > 1:
        words = [f"{words[0]} {words[1]}", *words[2:]]
    note = " ".join(words[1:]).strip()[:NOTE_CHARS] or None
    return CatatRequest(who, words[0], note)


def read_amount(text: str) -> int | Problem:
    """Cents, or why the amount is refused (as the CSV import would refuse it)."""
    try:
        cents = parse_amount(text)
    except RowError:
        return "bad_amount"
    try:
        check_cents(text, cents, CURRENCY)
    except RowError:
        return "cents"
    return cents


def record_purchase(
    engine: Engine,
    cfg: CesConfig,
    request: CatatRequest,
    *,
    now: datetime,
    timezone: str,
    command_key: str,
) -> PurchaseRecorded | Problem:
    """Record the purchase once per command (`command_key`: the owner's chat and message)."""
    cents = read_amount(request.amount)
    if isinstance(cents, str):
        return cents
    with session_scope(engine) as session:
        customer = find_exact(session, request.who)
        if customer is None or customer.id is None:
            return "unknown"
        customer_id, name = customer.id, label(customer)
        added = purchases.add_purchase(
            session=session,
            customer_id=customer_id,
            amount_cents=cents,
            currency=CURRENCY,
            purchased_at=now,
            dedupe_key=f"owner:{command_key}",
            now=now,
            source="owner",
            note=request.note,
        )
        total, count = console.spend_total(session=session, customer_id=customer_id)
    outcome = refresh_customer(engine, cfg, customer_id, now=now, timezone=timezone)
    ces = outcome[1].ces if outcome is not None else None
    return PurchaseRecorded(customer_id, name, cents, total, count, ces, added)
