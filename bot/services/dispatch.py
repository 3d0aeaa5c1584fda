"""Which outbox rows go now (the rules of scoring/outreach_rules.py), and what became of each
send: plain values, no Telegram. The dispatcher (bot/jobs/dispatcher.py) drives it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.config import Settings
from scoring import outreach_rules as rules_
from storage import outreach
from storage.db import session_scope
from storage.outreach import Due

LEASE = timedelta(seconds=60)  # a leased row nobody sent within this is free again


@dataclass(frozen=True, slots=True)
class Claim:
    """What one pass leased: the rows to send now, and what happened to the others."""

    send: list[Due]
    settled: dict[str, int]  # "defer" / "skip:opted_out" / "expire:late" ... -> count


def rules_from(settings: Settings) -> rules_.Rules:
    return rules_.Rules(
        tz=settings.tz,
        quiet_hours=settings.quiet_hours,
        daily_cap=settings.outreach_daily_cap,
        weekly_cap=settings.outreach_weekly_cap,
    )


def claim(engine: Engine, *, rules: rules_.Rules, now: datetime, limit: int) -> Claim:
    """Lease up to `limit` due rows, apply the rules in the same transaction: the deferred,
    skipped and expired are settled, the rest come back to be sent (each still `planned`:
    `start` moves it to `sending` right before its call)."""
    with session_scope(engine) as session:
        due, sends = outreach.lease_due(session=session, now=now, lease=LEASE, limit=limit)
        if not due:
            return Claim([], {})
        states = {
            d.customer_id: rules_.CustomerState(
                opted_out=d.opted_out,
                blocked=d.blocked,
                erased=d.erased,
                sent=sends.get(d.customer_id, ()),
            )
            for d in due
        }
        candidates = [
            rules_.Candidate(d.id, d.customer_id, d.kind, d.priority, d.due_at, d.expires_at)
            for d in due
        ]
        decisions = rules_.decide(candidates, states, rules, now)
        status = {rules_.DEFER: "planned", rules_.SKIP: "skipped", rules_.EXPIRE: "expired"}
        chats = {d.id: d.chat_id for d in due}
        settle: list[dict[str, object]] = []
        counts: dict[str, int] = {}
        go: set[int] = set()
        for decision in decisions:
            if decision.action == rules_.SEND and chats.get(decision.id) is not None:
                go.add(decision.id)
                continue
            if decision.action == rules_.SEND:  # a customer without a private chat
                decision = rules_.Decision(decision.id, rules_.SKIP, reason="no_chat")
            key = (
                decision.action
                if decision.action == rules_.DEFER
                else (f"{decision.action}:{decision.reason}")
            )
            counts[key] = counts.get(key, 0) + 1
            settle.append(
                {
                    "row_id": decision.id,
                    "status": status[decision.action],
                    "reason": decision.reason,
                    "due_at": decision.due_at or _due_of(due, decision.id),
                }
            )
        outreach.settle(session=session, decisions=settle)
        return Claim([d for d in due if d.id in go], counts)


def _due_of(rows: Sequence[Due], row_id: int) -> datetime:
    return next(r.due_at for r in rows if r.id == row_id)
