"""The date of `/birthday`, as customers type it: 17-08, 17-8, 17/08, 7/3 or 17.08 (day first)."""

from __future__ import annotations

import calendar
import re
from typing import Literal

BIRTHDAY = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})")
Problem = Literal["format", "no_such_month", "no_such_day"]


def parse_birthday(text: str) -> tuple[int, int] | Problem:
    """(day, month), or why not: `format` when it is not DAY-MONTH at all ("", "kemarin",
    "1-1-2000"), `no_such_month` for a month outside 1-12 (15-13), `no_such_day` for a day the
    month does not have (31-02, 00-05). 29-02 is a valid birthday."""
    match = BIRTHDAY.fullmatch(text.strip())
    if match is None:
        return "format"
    day, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return "no_such_month"
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:  # 2000 is a leap year
        return "no_such_day"
    return day, month
