"""How the owner report (its text and its chart) writes numbers, dates and names.

Numbers are written the language's way: Indonesian groups thousands with "." and uses "," as
decimal mark (1.234, 12,5%), English the other way round (1,234, 12.5%).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.report_types import KindRate
from bot.texts import TEXTS, t

MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def _swap(lang: str, text: str) -> str:
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


def integer(lang: str, n: float) -> str:
    """1.234 / 1,234."""
    return _swap(lang, f"{round(n):,}")


def decimal(lang: str, x: float, places: int = 1) -> str:
    """12,5 / 12.5 (thousands grouped too)."""
    return _swap(lang, f"{x:,.{places}f}")


def pct(lang: str, x: float | None) -> str:
    return "–" if x is None else f"{decimal(lang, x)}%"


def signed(lang: str, x: float, places: int = 0) -> str:
    """+3 / −2 / ±0 (a true minus sign)."""
    text = integer(lang, abs(x)) if places == 0 else decimal(lang, abs(x), places)
    if text.strip("0.,") == "":
        return f"±{text}"
    return f"+{text}" if x > 0 else f"−{text}"


def day(lang: str, moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.day} {MONTHS.get(lang, MONTHS['en'])[local.month - 1]} {local.year}"


def ago(lang: str, since: datetime, now: datetime) -> str:
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return t(lang, "rep_minutes", n=minutes)
    if minutes < 48 * 60:
        return t(lang, "rep_hours", n=minutes // 60)
    return t(lang, "rep_days", n=minutes // (24 * 60))


def kind_name(lang: str, rate: KindRate) -> str:
    if rate.campaign_id is not None:
        segment = t(lang, f"segment_{rate.kind}") if f"segment_{rate.kind}" in TEXTS else rate.kind
        return t(lang, "rep_campaign", id=rate.campaign_id, segment=segment)
    key = f"rep_kind_{rate.kind}"
    return t(lang, key) if key in TEXTS else rate.kind


def segment_name(lang: str, segment: str | None) -> str:
    key = f"segment_{segment}"
    return t(lang, key) if key in TEXTS else str(segment)
