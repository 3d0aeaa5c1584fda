"""The yearly days the calendar planners greet on: birthdays, holidays and first-contact
anniversaries, with 29 February greeted on the 28th in other years. Pure rules on the
customer's local date (the slots and local days are `scoring.planning`).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, tzinfo

from scoring.planning import Slot, day_slot, local_date

BIRTHDAY_HOUR = time(9, 0)  # local, on the birthday
HOLIDAY_HOUR = time(8, 0)  # local, on the holiday
ANNIVERSARY_HOUR = time(10, 0)  # local, on the day of the first contact


def observed(year: int, month: int, day: int) -> date:
    """The date a yearly day (birthday, anniversary) falls on in `year`: 29-02 is 28-02 in a
    year without one."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def days_observed_on(today: date) -> list[tuple[int, int]]:
    """The (month, day) pairs whose yearly day falls on `today` (28-02 also takes 29-02 in a
    year without 29-02)."""
    pairs = [(today.month, today.day)]
    if (today.month, today.day) == (2, 28) and not calendar.isleap(today.year):
        pairs.append((2, 29))
    return pairs


def valid_birthday(month: int | None, day: int | None) -> bool:
    if month is None or day is None or not 1 <= month <= 12:
        return False
    return 1 <= day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])


def birthday_slot(month: int, day: int, now: datetime, tz: tzinfo) -> Slot | None:
    """The greeting of a birthday that falls on today's local date, else None."""
    today = local_date(now, tz)
    if not valid_birthday(month, day) or observed(today.year, month, day) != today:
        return None
    return day_slot(today, BIRTHDAY_HOUR, tz)


def anniversary_years(first_seen: datetime, now: datetime, tz: tzinfo) -> int | None:
    """How many years ago the first contact was, when today (local) is its anniversary."""
    first, today = local_date(first_seen, tz), local_date(now, tz)
    years = today.year - first.year
    if years < 1 or observed(today.year, first.month, first.day) != today:
        return None
    return years


def anniversary_sources(today: date, max_years: int) -> list[date]:
    """Every first-contact local date whose anniversary (1..max_years) is `today`."""
    sources: list[date] = []
    for years in range(1, max_years + 1):
        year = today.year - years
        for month, day in days_observed_on(today):
            if (month, day) != (2, 29) or calendar.isleap(year):
                sources.append(date(year, month, day))
    return sources
