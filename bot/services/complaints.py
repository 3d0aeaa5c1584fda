"""A complaint as it happens: plan its follow-up at once, and say whether to reply now.

The immediate reply ("what went wrong?") comes once per complaint conversation: the follow-up
row's dedupe key names the conversation (its first message), so the first complaint of a
conversation inserts it and any later one finds it there. The complaint planner
(bot/services/planning.py) computes the same key, so whichever comes first plans it once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.config import Settings
from bot.services import conversations
from bot.services.conversations import Known
from scoring import planning as rules
from storage import planning as store
from storage import planning_chats, prompts
from storage.ingest import Recorded
from storage.models import Customer

CONTEXT = timedelta(days=1)  # how far back the conversation's messages are read


def complaint_from_recorded(
    session: Session,
    settings: Settings,
    recorded: Recorded,
    *,
    kind: str,
    polarity: float | None,
    at: datetime,
    conversation: Known | None,
) -> bool:
    """Is this message, just recorded in `session`, a complaint and the first of its
    conversation? If so its follow-up is planned and the next message is awaited as feedback
    (True: reply now). Runs in the recording's own transaction, from what it knows:
    `conversation`, where the message's conversation started when recording knows it
    (bot/services/conversations.py: the message opens it, or continues one remembered), so it
    need not be read back, nor planned again once its follow-up is in."""
    if not rules.is_complaint_text(kind, polarity, settings.complaint_polarity):
        return False
    customer = recorded.customer
    if conversation is not None and conversation.followed_up:
        return False
    # Recording a message unblocks its sender (storage.ingest), and a sender is never erased.
    facts = _Sender(customer.id, customer.language, customer.first_name, customer.opted_out, False)
    if conversation is None:
        conversation = _read_back(session, customer.id, at)
        if conversation is None:
            return False
    planned = _plan_follow_up(session, settings, facts, at, conversation.start_id)
    conversations.note(session, customer.id, replace(conversation, followed_up=True))
    return planned


def complaint_from_rating(
    session: Session, settings: Settings, customer_id: int, kind: str, score: int, at: datetime
) -> bool:
    """Is this CSAT/NPS answer a complaint, and the first of its conversation? (as above)"""
    if not rules.is_complaint_rating(kind, score):
        return False
    customer = session.get(Customer, customer_id)
    if customer is None or customer.erased_at is not None:
        return False
    facts = _Sender(
        customer_id, customer.language, customer.first_name, customer.opted_out, customer.blocked
    )
    return _first_of_conversation(session, settings, facts, at)


@dataclass(frozen=True, slots=True)
class _Sender:
    id: int
    language: str
    first_name: str | None
    opted_out: bool
    blocked: bool


def _first_of_conversation(
    session: Session, settings: Settings, customer: _Sender, at: datetime
) -> bool:
    """Plan the follow-up of the conversation under way at `at` unless it has one; whether it
    was planned now."""
    conversation = _read_back(session, customer.id, at)
    if conversation is None:
        return False
    return _plan_follow_up(session, settings, customer, at, conversation.start_id)


def _read_back(session: Session, customer_id: int, at: datetime) -> Known | None:
    """The conversation under way at `at`, from the customer's messages of the last day."""
    found = planning_chats.recent_inbound(
        session=session, customer_id=customer_id, since=at - CONTEXT
    )
    start = rules.conversation_start(found, at, rules.CONVERSATION_GAP)
    if start is None:
        return None
    return Known(at, start, next(row.sent_at for row in found if row.id == start))


def _plan_follow_up(
    session: Session, settings: Settings, customer: _Sender, at: datetime, start: int
) -> bool:
    """Plan the follow-up of the conversation that starts at message `start`, unless it has
    one (its row is there, whoever planned it); whether it was planned now."""
    customer_id = customer.id
    key = rules.dedupe_key("complaint_followup", customer_id, start)
    slot = rules.complaint_slot(at, settings.complaint_followup)
    name = customer.first_name or ""
    text = settings.templates.render(
        "complaint_followup", customer.language, name=name, shop=settings.shop_name
    )
    row = {
        "kind": "complaint_followup",
        "customer_id": customer_id,
        "dedupe_key": key,
        "template": "complaint_followup",
        "language": customer.language,
        "text": text,
        "priority": rules.PRIORITY["complaint_followup"],
        "due_at": slot.due_at,
        "expires_at": slot.expires_at,
    }
    if customer.opted_out or customer.blocked:
        # No automated follow-up for them, but the row still marks the conversation as
        # answered, so they are asked once, not at every message.
        row.update(status="skipped", reason="opted_out" if customer.opted_out else "blocked")
    if store.add_planned(session=session, rows=[row], now=at) == 0:
        return False
    prompts.ask(session=session, customer_id=customer_id, kind="feedback", now=at)
    return True
