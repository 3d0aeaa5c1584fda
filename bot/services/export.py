"""The customers' CSV export for the owner (`/export`, `akrab export customers FILE.csv`).

UTF-8 **with a byte-order mark**: Excel, which most shop owners open a CSV with, reads a file
without one in the computer's legacy code page and garbles names such as "Dewi 🌸" or "José";
with the mark it reads UTF-8, and every other CSV reader (Python's `utf-8-sig`, LibreOffice,
Google Sheets, pandas) accepts it. Comma separated, a header row, numbers with "." as decimal
mark (machine-readable in every locale), times in the shop's time zone (TIMEZONE). A text cell
that starts with = + - @ gets a leading ' so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlmodel import Session

from storage import export

BOM = "\ufeff"
HEADER = tuple(name if name != "spend_cents" else "spend" for name in export.COLUMNS)
TEXT_COLUMNS = frozenset({"username", "first_name", "last_name"})
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(name: str, value: Any, zone: ZoneInfo) -> str:
    """One value as the CSV shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    if name == "spend_cents":
        amount = Decimal(int(value)) / 100
        whole = amount == amount.to_integral()
        return str(amount.quantize(Decimal(1) if whole else Decimal("0.01")))
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value)
    if name in TEXT_COLUMNS and text.startswith(FORMULA_START):
        return "'" + text
    return text


def rows(session: Session, zone: ZoneInfo) -> Iterator[list[str]]:
    for row in export.customer_rows(session=session):
        yield [cell(name, value, zone) for name, value in zip(export.COLUMNS, row, strict=True)]


def write_csv(out: TextIO, data: Iterable[list[str]]) -> int:
    """The BOM, the header and the rows to `out` (opened with newline=""); how many rows."""
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    count = 0
    for row in data:
        writer.writerow(row)
        count += 1
    return count


def customers_csv(session: Session, zone: ZoneInfo) -> tuple[bytes, int]:
    """The whole export as bytes (for a Telegram document) and the number of customers."""
    buffer = io.StringIO(newline="")
    count = write_csv(buffer, rows(session, zone))
    return buffer.getvalue().encode("utf-8"), count
