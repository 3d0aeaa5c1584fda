"""Indonesian public holidays under stable keys of our own, from the `holidays` package.

The package computes the moving dates (Idul Fitri, Idul Adha, Imlek, Nyepi, Waisak, …) for
every year; its names change between versions and carry "(estimated)" for dates not yet
decreed, so names are matched by pattern, never by equality. Pure: no I/O.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import holidays

# key: (pattern on the package's English name, Indonesian name, English name). Order matters:
# the first pattern that matches wins (so "Eid al-Fitr Second Day" is not Idul Fitri).
HOLIDAYS: dict[str, tuple[str, str, str]] = {
    "new_year": (r"^new year'?s day$", "Tahun Baru", "New Year"),
    "imlek": (r"^(lunar|chinese) new year", "Imlek", "Lunar New Year"),
    "isra_miraj": (r"^isra.*mi.?raj", "Isra Mikraj", "Isra and Mi'raj"),
    "nyepi": (r"^day of silence|nyepi", "Hari Raya Nyepi", "Nyepi, the Day of Silence"),
    "idul_fitri_2": (r"^eid al-fitr second day", "Idul Fitri hari kedua", "Eid al-Fitr, day two"),
    "idul_fitri": (r"^eid al-fitr$", "Idul Fitri", "Eid al-Fitr"),
    "good_friday": (r"^good friday$", "Jumat Agung", "Good Friday"),
    "easter": (r"^easter( sunday)?$", "Paskah", "Easter"),
    "labor_day": (r"labou?r day$", "Hari Buruh", "Labour Day"),
    "ascension": (r"^ascension", "Kenaikan Isa Almasih", "Ascension Day"),
    "idul_adha": (r"^eid al-adha$", "Idul Adha", "Eid al-Adha"),
    "waisak": (r"^vesak|waisak", "Hari Raya Waisak", "Vesak"),
    "pancasila": (r"^pancasila day$", "Hari Lahir Pancasila", "Pancasila Day"),
    "islamic_new_year": (r"^islamic new year$", "Tahun Baru Islam", "Islamic New Year"),
    "independence_day": (
        r"^independence day$",
        "Hari Kemerdekaan",
        "Indonesian Independence Day",
    ),
    "maulid": (r"^prophet'?s birthday$", "Maulid Nabi", "the Prophet's Birthday"),
    "christmas": (r"^christmas day$", "Natal", "Christmas"),
}
KEYS = tuple(HOLIDAYS)
# Greet only days everyone in Indonesia shares, whatever their religion (README, "Planning").
DEFAULT_GREETINGS = ("new_year", "independence_day")
_COMPILED = [(key, re.compile(pattern)) for key, (pattern, _, _) in HOLIDAYS.items()]
_ESTIMATED = re.compile(r"\(\*?(estimated|perkiraan)\)|\*", re.IGNORECASE)


class UnknownHoliday(ValueError):
    """A holiday key that is not one of KEYS."""


def key_of(name: str) -> str | None:
    """Our key for one of the package's English holiday names (None: not one we know)."""
    normal = " ".join(_ESTIMATED.sub("", name).lower().split())
    for key, pattern in _COMPILED:
        if pattern.search(normal):
            return key
    return None


@lru_cache(maxsize=32)
def holidays_in(year: int) -> dict[date, tuple[str, ...]]:
    """Every Indonesian public holiday of `year` we have a key for: {date: keys}."""
    found: dict[date, tuple[str, ...]] = {}
    for day, names in holidays.country_holidays("ID", years=year, language="en_US").items():
        keys = tuple(k for k in (key_of(n) for n in names.split("; ")) if k is not None)
        if keys:
            found[day] = keys
    return found


def holidays_on(day: date, chosen: frozenset[str]) -> list[str]:
    """The chosen holiday keys that fall on `day`."""
    return [key for key in holidays_in(day.year).get(day, ()) if key in chosen]


def parse_greetings(text: str | None) -> frozenset[str]:
    """GREETING_HOLIDAYS ("new_year,idul_fitri"; empty: the default; "none": no holiday) to
    keys; raises UnknownHoliday naming the first unknown key."""
    if text is None or not text.strip():
        return frozenset(DEFAULT_GREETINGS)
    items = [item.strip().lower() for item in text.split(",") if item.strip()]
    if items == ["none"]:
        return frozenset()
    for item in items:
        if item not in HOLIDAYS:
            raise UnknownHoliday(f"unknown holiday {item!r} (valid: none, {', '.join(KEYS)})")
    return frozenset(items)


def display_name(key: str, lang: str) -> str:
    """The holiday's name for greetings, in `lang` (Indonesian or English)."""
    _, indonesian, english = HOLIDAYS[key]
    return indonesian if lang == "id" else english
