"""How one setting's text becomes its value, for `bot.config.Settings`: durations, local time
ranges, name=value pairs, URLs, owner ids, the webhook secret, the timezone and the templates
file. Each raises ValueError with the message the user sees after the variable's name.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import SecretStr

DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$", re.IGNORECASE)
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def http_url(value: object, problem: str) -> str | None:
    """An http(s) URL setting, stripped; None when empty; ValueError(`problem`) otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValueError("must be a URL")
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(problem)
    return value.strip()


TIME_RANGE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_time_range(text: str) -> tuple[time, time]:
    """ "21:00-08:00" to (21:00, 08:00) (it may cross midnight); ValueError for anything else."""
    match = TIME_RANGE.match(text)
    bad = ValueError(f"expected local times such as 21:00-08:00, got {text!r}")
    if match is None:
        raise bad
    h1, m1, h2, m2 = (int(group) for group in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise bad
    start, end = time(h1, m1), time(h2, m2)
    if start == end:
        raise ValueError(f"start and end are the same time in {text!r}")
    return start, end


def parse_duration(text: str) -> timedelta:
    """ "90s", "30m", "2h", "1d" to a timedelta; raises ValueError for anything else."""
    match = DURATION.match(text)
    if match is None:
        raise ValueError(f"expected a duration such as 90s, 30m, 2h or 1d, got {text!r}")
    return timedelta(seconds=float(match[1]) * UNIT_SECONDS[match[2].lower()])


def parse_pairs(text: str) -> dict[str, str]:
    """ "a=1, b=2" to {"a": "1", "b": "2"}; raises ValueError for anything else."""
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(f"expected name=value pairs separated by commas, got {item!r}")
        pairs[name.strip().lower()] = value.strip()
    return pairs


def parse_owner_ids(value: str) -> frozenset[int]:
    """ "123, 456" (or ";"-separated) to {123, 456}; raises ValueError for anything else."""
    items = [item.strip() for item in value.replace(";", ",").split(",") if item.strip()]
    if not all(item.lstrip("-").isdigit() for item in items):
        raise ValueError("must be Telegram user ids separated by commas, e.g. 123,456")
    return frozenset(int(item) for item in items)


def webhook_secret(value: object) -> str | None:
    """WEBHOOK_SECRET, stripped; None when empty; ValueError unless it keeps Telegram's rule."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value.get_secret_value() if isinstance(value, SecretStr) else value).strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", text):
        raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
    return text


def check_timezone(value: str) -> str:
    """`value` when it is an IANA time zone name; ValueError otherwise."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown timezone {value!r} (use an IANA name like Asia/Jakarta)"
        ) from None
    return value


def templates_path(value: object) -> Path | None:
    """TEMPLATES_FILE as a path to an existing .toml, .yaml or .yml file; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    path = Path(str(value)).expanduser()
    if path.suffix.lower() not in {".toml", ".yaml", ".yml"}:
        raise ValueError("must be a .toml, .yaml or .yml file")
    if not path.is_file():
        raise ValueError(f"no such file: {path}")
    return path
