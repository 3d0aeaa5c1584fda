"""Run every outreach planner at one moment: read candidates (one statement per planner),
apply the rules (scoring/planning.py, scoring/planning_days.py), render the texts, insert the
rows in bulk.

`plan(session, settings, now)` is what the planner job, `akrab outreach plan` and the shell's
`!advance` call. With `dry_run` nothing is written: the summary says what would be planned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlmodel import Session

from bot.config import Settings
from bot.services.planner_base import EXAMPLES, LANGS, KindSummary, Planner, Row, Summary
from bot.services.planning_chats import at_risk, complaints, ratings
from scoring import holiday_keys
from scoring import planning as rules
from scoring import planning_days as yearly
from storage import planning as store

__all__ = ["PLANNERS", "KindSummary", "Summary", "plan"]

log = logging.getLogger(__name__)

ANNIVERSARY_MAX_YEARS = 20


def birthdays(p: Planner) -> list[Row]:
    tz = p.settings.tz
    today = rules.local_date(p.now, tz)
    slot = rules.day_slot(today, yearly.BIRTHDAY_HOUR, tz)
    found = store.birthday_candidates(
        session=p.session, days=yearly.days_observed_on(today), year=today.year
    )
    return [p.row("birthday", c, f"birthday:{c.id}:{today.year}", slot) for c in found]


def holidays(p: Planner) -> KindSummary:
    """Holiday greetings go in one INSERT … SELECT (a row for every customer)."""
    tz = p.settings.tz
    today = rules.local_date(p.now, tz)
    slot = rules.day_slot(today, yearly.HOLIDAY_HOUR, tz)
    summary = KindSummary()
    for key in holiday_keys.holidays_on(today, p.settings.greetings):
        texts = {
            lang: p.parts("holiday", lang, holiday_keys.display_name(key, lang)) for lang in LANGS
        }
        planned, examples = store.plan_holiday(
            session=p.session,
            holiday=key,
            day=today.isoformat(),
            texts=texts,
            priority=rules.PRIORITY["holiday"],
            due_at=slot.due_at,
            expires_at=slot.expires_at,
            now=p.now,
            dry_run=p.dry_run,
        )
        summary.planned += planned
        summary.examples.extend(examples[: EXAMPLES - len(summary.examples)])
    return summary


def anniversaries(p: Planner) -> list[Row]:
    tz = p.settings.tz
    today = rules.local_date(p.now, tz)
    sources = yearly.anniversary_sources(today, ANNIVERSARY_MAX_YEARS)
    ranges = [rules.local_day_range(day, tz) for day in sources]
    slot = rules.day_slot(today, yearly.ANNIVERSARY_HOUR, tz)
    rows: list[Row] = []
    for c in store.anniversary_candidates(session=p.session, ranges=ranges, year=today.year):
        years = yearly.anniversary_years(c.first_seen, p.now, tz)
        if years is not None:
            key = f"anniversary:{c.id}:{today.year}"
            rows.append(p.row("anniversary", c, key, slot, years=years))
    return rows


def finish(p: Planner, kind: str, rows: list[Row]) -> KindSummary:
    """Insert the rows a planner chose that are not planned yet. Known keys are left out
    with a read first, so a run that finds nothing new writes nothing (on SQLite it then
    never waits for the write lock). A dry run only counts them."""
    known = store.existing_keys(session=p.session, keys=[r["dedupe_key"] for r in rows])
    fresh = [r for r in rows if r["dedupe_key"] not in known]
    if p.dry_run or not fresh:
        return KindSummary(len(fresh) if p.dry_run else 0, fresh[:EXAMPLES] if p.dry_run else [])
    planned = store.add_planned(session=p.session, rows=fresh, now=p.now)
    return KindSummary(planned, fresh[:EXAMPLES] if planned else [])


ROW_PLANNERS: dict[str, Callable[[Planner], list[Row]]] = {
    "complaint_followup": complaints,
    "rating": ratings,
    "birthday": birthdays,
    "anniversary": anniversaries,
    "at_risk": at_risk,
}
PLANNERS = ("complaint_followup", "rating", "birthday", "holiday", "anniversary", "at_risk")


def plan(
    session: Session,
    settings: Settings,
    now: datetime,
    *,
    dry_run: bool = False,
    kinds: Iterable[str] | None = None,
) -> Summary:
    """Run the planners (all, or `kinds`) at `now`; returns what each planned."""
    planner = Planner(session, settings, now, settings.templates, dry_run)
    summary: Summary = {}
    for kind in kinds or PLANNERS:
        if kind == "holiday":
            summary[kind] = holidays(planner)
        else:
            summary[kind] = finish(planner, kind, ROW_PLANNERS[kind](planner))
        if summary[kind].planned and not dry_run:
            log.info("planned %d %s message(s)", summary[kind].planned, kind)
    return summary
