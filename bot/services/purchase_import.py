"""`akrab import-purchases FILE.csv`: read purchases, report bad rows, import the good ones once.

Columns (header row required, any order): `customer` (Telegram id or @username), `amount`,
`currency` (empty: IDR), `time`, and optionally `external_id` (the shop's order id).

A row dated in the future (beyond a day of clock skew) is refused, so it never counts as current
spend; so is an IDR amount with cents ("1.5", "12,50"), which is almost always a thousands
separator typed wrong: rupiah have no sub-units in practice.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import Engine

from storage import customers, purchases
from storage.db import session_scope

REQUIRED = ("customer", "amount", "time")
MAX_CENTS = 10**15  # a sanity bound far above any real purchase
FUTURE_TOLERANCE = timedelta(days=1)  # clock skew, and a shop a timezone ahead of its settings
WHOLE_UNITS_ONLY = frozenset({"IDR"})  # currencies whose amounts have no cents in practice


class RowError(ValueError):
    """Why one CSV row cannot be imported (said to the owner with its line number)."""


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def parse_amount(text: str) -> int:
    """A money amount to exact cents: 150000, 150.000 and 150,000 (thousands), 12,50 and 12.50.

    Indonesian style (dot for thousands, comma for decimals) is tried first, so "Rp150.000" is
    150000; then English style. Thousands groups must have three digits, decimals at most two.
    """
    cleaned = re.sub(r"(?i)^(rp|idr|usd|\$)\s*|\s", "", text.strip())
    for thousands, decimal in ((".", ","), (",", ".")):
        t, d = re.escape(thousands), re.escape(decimal)
        match = re.fullmatch(rf"([1-9]\d{{0,2}}(?:{t}\d{{3}})+|\d+)(?:{d}(\d{{1,2}}))?", cleaned)
        if match:
            cents = int(match[1].replace(thousands, "")) * 100 + int(
                (match[2] or "0").ljust(2, "0")
            )
            break
    else:
        raise RowError(f"amount {text!r} is not a positive amount like 150000 or 150.000")
    if cents <= 0 or cents > MAX_CENTS:
        raise RowError(f"amount {text!r} is out of range")
    return cents


def parse_time(text: str, zone: tzinfo) -> datetime:
    """ISO 8601 (date or date and time, with or without offset) or DD/MM/YYYY [HH:MM]."""
    value = text.strip()
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                moment = datetime.strptime(value, pattern)  # noqa: DTZ007 (zone added below)
                break
            except ValueError:
                continue
    if moment is None:
        raise RowError(f"time {text!r} is not a date (use 2026-11-22 or 22/11/2026 14:30)")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def check_not_future(text: str, moment: datetime, now: datetime) -> None:
    """Refuse a purchase dated later than now (plus FUTURE_TOLERANCE): it is not spend yet."""
    if moment > now + FUTURE_TOLERANCE:
        raise RowError(f"date {text!r} is in the future")


def check_cents(text: str, cents: int, currency: str) -> None:
    """Refuse cents in a currency without them: IDR "1.5" is a typo for 1.500, not Rp 1,50."""
    if currency not in WHOLE_UNITS_ONLY or cents % 100 == 0:
        return
    units, fraction = divmod(cents, 100)
    meant = units * 1000 + fraction * 10  # the digits after the separator as the last three
    dotted = f"{meant:,}".replace(",", ".")  # Indonesian style, like the amounts in the file
    raise RowError(
        f"amount {text!r} has cents, but {currency} amounts have none: "
        f"did you mean {dotted} ({meant} {currency})?"
    )


def parse_currency(text: str) -> str:
    value = text.strip().upper() or "IDR"
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise RowError(f"currency {text!r} is not a three-letter code like IDR")
    return value


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for every data row; raises RowError for a bad header."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip().lower() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise RowError(f"the header lacks column(s): {', '.join(missing)}")
        reader.fieldnames = header
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def import_purchases(
    engine: Engine, rows: Iterable[tuple[int, dict[str, str]]], *, zone: tzinfo, now: datetime
) -> ImportReport:
    """Import every good row (each once, ever); collect the bad ones with their reasons."""
    report = ImportReport()
    with session_scope(engine) as session:
        for line, row in rows:
            try:
                who = row.get("customer", "")
                if who.lstrip("-").isdigit():
                    customer = customers.get_customer(session=session, telegram_id=int(who))
                elif who.startswith("@") and len(who) > 1:
                    customer = customers.get_customer_by_username(session=session, username=who)
                else:
                    raise RowError(f"customer {who!r} is neither a Telegram id nor an @username")
                if customer is None or customer.id is None:
                    raise RowError(f"no customer {who!r} has written to the bot")
                cents = parse_amount(row.get("amount", ""))
                currency = parse_currency(row.get("currency", ""))
                check_cents(row.get("amount", ""), cents, currency)
                moment = parse_time(row.get("time", ""), zone)
                check_not_future(row.get("time", ""), moment, now)
            except RowError as exc:
                report.errors.append((line, str(exc)))
                continue
            external = row.get("external_id") or None
            key = (
                external
                or hashlib.sha256(
                    f"{customer.id}|{cents}|{currency}|{moment.isoformat()}".encode()
                ).hexdigest()[:32]
            )
            added = purchases.add_purchase(
                session=session,
                customer_id=customer.id,
                amount_cents=cents,
                currency=currency,
                purchased_at=moment,
                dedupe_key=f"csv:{key}",
                external_id=external,
                now=now,
            )
            if added:
                report.imported += 1
            else:
                report.duplicates += 1
    return report
