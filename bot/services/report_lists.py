"""The owner report's people lists: whom to contact today (with the reasons behind their CES),
who is waiting for an answer, and today's birthdays. Read by `bot.services.report.build_report`.
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.config import Settings
from bot.services.ces_runs import raw_measures, window_for
from bot.services.relay import open_time
from bot.services.report_types import ContactItem, WaitingItem, Who
from scoring.ces import Reason, compute, explain
from storage import measures, report_people

CONTACT_LIMIT = 8
WAITING_LIMIT = 5
BIRTHDAY_LIMIT = 10
# How far back a question still counts as unanswered today (older ones are history).
UNANSWERED_HORIZON = timedelta(days=7)


def who(person: report_people.Person) -> Who:
    name = " ".join(filter(None, [person.first_name, person.last_name])).strip()
    return Who(
        customer_id=person.customer_id,
        name=name or (f"@{person.username}" if person.username else f"#{person.customer_id}"),
        username=person.username,
        telegram_id=person.telegram_id,
    )


UNANSWERED_SCAN = 500  # candidates read before the opening-hours check


def unanswered_for_report(
    session: Session, settings: Settings, now: datetime, *, limit: int = WAITING_LIMIT
) -> tuple[list[WaitingItem], int]:
    """Customers waiting for the shop: a message (not a command or button press) from the last
    `UNANSWERED_HORIZON` with no owner-written reply after it, waiting at least
    UNANSWERED_AFTER of opening hours (the live inbox's rule, `relay.open_time`); the longest
    waiting first, and how many in all (of the UNANSWERED_SCAN longest waiting)."""
    found, _ = report_people.unanswered(
        session=session,
        since=now - UNANSWERED_HORIZON,
        cutoff=now - settings.unanswered_after,
        limit=UNANSWERED_SCAN,
    )
    hours, tz = settings.opening_hours, settings.tz
    waiting = [w for w in found if open_time(w.since, now, hours, tz) >= settings.unanswered_after]
    return [WaitingItem(who(w.person), w.since, w.text) for w in waiting[:limit]], len(waiting)


def contact_today(
    session: Session, settings: Settings, now: datetime
) -> tuple[list[ContactItem], int]:
    """At-risk and declining customers, each with what drives the score (the reasons of
    `akrab customer`), computed for the few listed only."""
    people, total = report_people.to_contact(session=session, limit=CONTACT_LIMIT)
    cfg = replace(
        settings.ces_config, shop_has_purchases=measures.shop_has_purchases(session=session)
    )
    window = window_for(cfg, now, settings.timezone)
    items = []
    for person in people:
        rows = list(
            measures.customer_measures(
                session=session, window=window, customer_id=person.customer_id
            )
        )
        reasons: tuple[Reason, ...] = ()
        drop = None
        if rows:
            result = compute(rows[0], cfg)
            reasons = explain(raw_measures(rows[0]), result)
            if rows[0].peak_ces is not None and person.ces is not None:
                drop = max(0.0, rows[0].peak_ces - person.ces)
        items.append(
            ContactItem(who(person), person.segment, person.ces, person.declining, drop, reasons)
        )
    return items, total


def birthdays_today(session: Session, settings: Settings, now: datetime) -> tuple[list[Who], int]:
    """Today's birthdays in the shop's time zone; 29 February ones on the 28th in other years."""
    today = now.astimezone(settings.tz).date()
    leap_day_missing = (today.month, today.day) == (2, 28) and not calendar.isleap(today.year)
    people, total = report_people.birthdays(
        session=session,
        day=today.day,
        month=today.month,
        limit=BIRTHDAY_LIMIT,
        with_29_february=leap_day_missing,
    )
    return [who(p) for p in people], total
