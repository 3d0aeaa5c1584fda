"""Run every outreach planner at one moment: read candidates (one statement per planner),
apply the rules (scoring/planning.py), render the texts, insert the rows in bulk.

`plan(session, settings, now)` is what the planner job, `akrab outreach plan` and the shell's
`!advance` call. With `dry_run` nothing is written: the summary says what would be planned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from sqlmodel import Session

from bot.config import Settings
from bot.texts.templates_file import Templates
from scoring import holiday_keys
from scoring import planning as rules
from storage import planning as store
from storage import planning_chats as chats

log = logging.getLogger(__name__)

ANNIVERSARY_MAX_YEARS = 20
CONTEXT = timedelta(days=1)  # how far before a window the conversation's messages are read
Row = dict[str, Any]
NAME_MARK = "\x00name\x00"
LANGS = ("id", "en")


@dataclass
class KindSummary:
    """What one planner planned (or, in a dry run, would plan)."""

    planned: int = 0
    examples: list[Row] = field(default_factory=list)


Summary = dict[str, KindSummary]


@dataclass(frozen=True)
class Planner:
    """The facts every planner shares for one run."""

    session: Session
    settings: Settings
    now: datetime
    templates: Templates
    dry_run: bool = False

    def parts(self, kind: str, lang: str, holiday: str) -> store.TextParts:
        """The text of `kind` split where the name goes (for texts rendered in SQL)."""
        shop = self.settings.shop_name
        marked = self.templates.render(kind, lang, name=NAME_MARK, shop=shop, holiday=holiday)
        plain = self.templates.render(kind, lang, name="", shop=shop, holiday=holiday)
        return store.TextParts(marked.split(NAME_MARK), plain)

    def row(self, kind: str, recipient: Any, key: str, slot: rules.Slot, **values: Any) -> Row:
        lang = recipient.language
        shop, name = self.settings.shop_name, recipient.first_name or ""
        text = self.templates.render(kind, lang, name=name, shop=shop, **values)
        if kind == "at_risk" and self.settings.at_risk_incentive:
            extra = self.templates.render(
                "incentive", lang, name=name, shop=shop, incentive=self.settings.at_risk_incentive
            )
            text = f"{text}\n\n{extra}"
        return {
            "kind": kind,
            "customer_id": recipient.id,
            "dedupe_key": key,
            "template": kind,
            "language": lang,
            "text": text,
            "priority": rules.PRIORITY[kind],
            "due_at": slot.due_at,
            "expires_at": slot.expires_at,
        }


def birthdays(p: Planner) -> list[Row]:
    tz = p.settings.tz
    today = rules.local_date(p.now, tz)
    slot = rules.day_slot(today, rules.BIRTHDAY_HOUR, tz)
    found = store.birthday_candidates(
        session=p.session, days=rules.days_observed_on(today), year=today.year
    )
    return [p.row("birthday", c, f"birthday:{c.id}:{today.year}", slot) for c in found]


def holidays(p: Planner) -> KindSummary:
    """Holiday greetings go in one INSERT … SELECT (a row for every customer)."""
    tz = p.settings.tz
    today = rules.local_date(p.now, tz)
    slot = rules.day_slot(today, rules.HOLIDAY_HOUR, tz)
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
    sources = rules.anniversary_sources(today, ANNIVERSARY_MAX_YEARS)
    ranges = [rules.local_day_range(day, tz) for day in sources]
    slot = rules.day_slot(today, rules.ANNIVERSARY_HOUR, tz)
    rows: list[Row] = []
    for c in store.anniversary_candidates(session=p.session, ranges=ranges, year=today.year):
        years = rules.anniversary_years(c.first_seen, p.now, tz)
        if years is not None:
            key = f"anniversary:{c.id}:{today.year}"
            rows.append(p.row("anniversary", c, key, slot, years=years))
    return rows


def ratings(p: Planner) -> list[Row]:
    idle = p.settings.csat_idle
    idle_to = p.now - idle
    idle_from = idle_to - rules.RATING_LATENESS
    found = chats.rating_rows(
        session=p.session, idle_from=idle_from, idle_to=idle_to, since=idle_from - CONTEXT
    )
    rows: list[Row] = []
    threshold = p.settings.complaint_polarity
    for _, group in groupby(found, key=lambda item: item[0].customer_id):
        items = list(group)
        first, last_asked, _ = items[0]
        messages = [
            rules.Inbound(
                r.message_id or 0,
                r.sent_at,
                r.kind,
                rules.is_complaint_text(r.kind, polarity, threshold),
            )
            for r, _, polarity in items
        ]
        facts = rules.RatingFacts(
            messages=messages,
            last_csat_at=first.flag if isinstance(first.flag, datetime) else None,
            last_rating_asked_at=last_asked,
        )
        intent = rules.rating_intent(facts, p.now, idle)
        if intent is not None:
            start, slot = intent
            key = rules.dedupe_key("rating", first.customer_id, start)
            rows.append(p.row("rating", _who(first), key, slot))
    return rows


def complaints(p: Planner) -> list[Row]:
    followup = p.settings.complaint_followup
    since = p.now - followup - rules.COMPLAINT_LATENESS
    found = chats.complaint_rows(
        session=p.session,
        since=since,
        context_since=since - CONTEXT,
        polarity=p.settings.complaint_polarity,
    )
    rows: list[Row] = []
    found.sort(key=lambda r: r.customer_id)
    for customer_id, group in groupby(found, key=lambda r: r.customer_id):
        items = list(group)
        messages = [
            rules.Inbound(r.message_id, r.sent_at, r.kind)
            for r in items
            if r.message_id is not None
        ]
        times = [r.sent_at for r in items if r.flag]
        for start, slot in rules.complaint_intents(messages, times, followup).items():
            if slot.expires_at > p.now:
                key = rules.dedupe_key("complaint_followup", customer_id, start)
                rows.append(p.row("complaint_followup", _who(items[0]), key, slot))
    return rows


def at_risk(p: Planner) -> list[Row]:
    tz, s = p.settings.tz, p.settings
    day_start, day_end = rules.local_day_range(rules.local_date(p.now, tz), tz)
    found = chats.at_risk_rows(
        session=p.session,
        cooled_since=p.now - s.at_risk_cooldown,
        day_start=day_start,
        day_end=day_end,
    )
    if not found:
        return []
    by_id = {r.id: r for r in found}
    room = s.at_risk_daily_cap - found[0].planned_today
    candidates = [
        rules.AtRiskCandidate(r.id, r.segment, r.declining, r.spend_cents, r.best_ces)
        for r in found
    ]
    slot = rules.at_risk_slot(p.now, tz)
    day = rules.local_date(p.now, tz).isoformat()
    return [
        p.row("at_risk", by_id[c.customer_id], f"at_risk:{c.customer_id}:{day}", slot)
        for c in rules.at_risk_pick(candidates, room)
    ]


def _who(row: chats.ChatRow) -> store.Recipient:
    return store.Recipient(row.customer_id, row.language, row.first_name)


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
EXAMPLES = 3


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
