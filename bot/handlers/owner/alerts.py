"""Alerts to the owners, at once: a low rating (CSAT <= 2, NPS <= 6) and a complaint follow-up
answered "not resolved" (the complaint message itself is alerted by its relay, see relay.py).

Each alert is planned on the customer's button press (its recorded message: the outbox reads
the kind and score from its data), once per owner chat, and a changed answer alerts only when it
turns bad: never twice for one rating.
The complaint follow-up's buttons (`v1:resolved:yes|no`) are answered here too.
"""

from __future__ import annotations

import logging

from sqlmodel import Session
from telegram import Update

from bot.adapter import callbacks
from bot.context import AkrabContext
from bot.handlers.common import with_customer
from bot.handlers.owner import inbox
from bot.texts import t
from storage import feedback, messages
from storage.models import Customer

log = logging.getLogger(__name__)

LOW = {"csat": 2, "nps": 6, "resolved": 0}  # at or below: an alert


def is_low(kind: str, score: int | None) -> bool:
    return score is not None and kind in LOW and score <= LOW[kind]


async def rating_alert(
    update: Update, context: AkrabContext, kind: str, score: int, previous: int | None
) -> None:
    """Alert the owners when this answer is low and the one it replaces (if any) was not."""
    if not is_low(kind, score) or is_low(kind, previous):
        return
    customer, press_id = context.customer, context.recorded_message_id
    if customer is None or press_id is None:
        return
    planned = await inbox.plan(context, customer.id, press_id)
    log.info("alert for %s %s from customer %s: %d chat(s)", kind, score, customer.id, planned)


async def resolved_pressed(
    update: Update, context: AkrabContext, choice: callbacks.Callback
) -> None:
    """The customer's answer to the complaint follow-up: store it, thank them; "no" alerts."""
    query = update.callback_query
    assert query is not None
    assert query.message is not None
    score, prompt = (1 if choice.value == "yes" else 0), query.message.message_id
    now = context.bot_data.clock()

    def store(session: Session, customer: Customer) -> tuple[bool, int | None]:
        if not messages.sent_to(session=session, customer_id=customer.id, message_id=prompt):
            return False, None  # not a follow-up we sent to this customer
        _, before = feedback.set_rating(
            session=session,
            customer=customer,
            kind="resolved",
            score=score,
            prompt_message_id=prompt,
            now=now,
        )
        return True, before

    ours, previous = await with_customer(context, store)
    if not ours:
        await query.answer(t(context.lang, "button_invalid"), show_alert=True)
        return
    await query.answer()
    if previous != score:
        key = "resolved_thanks_yes" if score else "resolved_thanks_no"
        await context.bot.send_message(query.message.chat.id, t(context.lang, key))
    await rating_alert(update, context, "resolved", score, previous)
