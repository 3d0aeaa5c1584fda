"""The planners that follow what customers did: rating requests, complaint follow-ups and
at-risk win-backs (the rules are scoring/planning.py, the reads storage/planning_chats.py)."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby

from bot.services.planner_base import CONTEXT, Planner, Row
from scoring import planning as rules
from storage import planning as store
from storage import planning_chats as chats


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
    planned = chats.at_risk_planned(session=p.session, day_start=day_start, day_end=day_end)
    room = s.at_risk_daily_cap - planned
    if room <= 0:
        return []  # today's win-backs are all planned: no need to rank the candidates again
    found = chats.at_risk_rows(session=p.session, cooled_since=p.now - s.at_risk_cooldown)
    if not found:
        return []
    by_id = {r.id: r for r in found}
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
