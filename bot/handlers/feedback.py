"""Feedback: /feedback (free text), /rate (CSAT 1-5), /nps (0-10) and their buttons."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlmodel import Session
from telegram import Update
from telegram.error import BadRequest

from bot.adapter import callbacks
from bot.adapter.keyboards import rating_keyboard
from bot.context import AkrabContext
from bot.handlers.common import reply, with_customer
from bot.handlers.owner.alerts import rating_alert
from bot.services import recording
from bot.services.complaints import complaint_from_rating
from bot.texts import t
from storage import feedback, messages, prompts
from storage.models import Customer

log = logging.getLogger(__name__)


def _text_feedback(context: AkrabContext, comment: str) -> Callable[[Session, Customer], None]:
    message_id, now = context.recorded_message_id, context.bot_data.clock()

    def store(session: Session, customer: Customer) -> None:
        assert customer.id is not None
        recording.take_feedback(
            session, customer_id=customer.id, text=comment, message_id=message_id, now=now
        )

    return store


async def feedback_command(update: Update, context: AkrabContext) -> None:
    """/feedback <text> stores it; a bare /feedback makes the next message the feedback."""
    comment = " ".join(context.args or []).strip()
    if not comment:
        now = context.bot_data.clock()

        def ask(session: Session, customer: Customer) -> None:
            assert customer.id is not None
            prompts.ask(session=session, customer_id=customer.id, kind="feedback", now=now)

        await with_customer(context, ask)
        await reply(update, context, "feedback_ask")
        return
    await with_customer(context, _text_feedback(context, comment))
    await reply(update, context, "feedback_thanks")


async def ask_csat(update: Update, context: AkrabContext) -> None:
    """/rate: ask for a 1-5 satisfaction rating with buttons."""
    await reply(update, context, "rate_ask", markup=rating_keyboard("csat"))


async def ask_nps(update: Update, context: AkrabContext) -> None:
    """/nps: ask for a 0-10 recommendation score with buttons."""
    await reply(update, context, "nps_ask", markup=rating_keyboard("nps"))


async def rating_pressed(update: Update, context: AkrabContext, choice: callbacks.Callback) -> None:
    """Store (or change) the answer to this prompt, answer the press, thank the customer."""
    query = update.callback_query
    assert query is not None
    assert query.message is not None
    score, kind = int(choice.value), choice.action
    prompt, now = query.message.message_id, context.bot_data.clock()

    settings = context.bot_data.settings

    def store(session: Session, customer: Customer) -> tuple[bool, int | None, bool]:
        if not messages.sent_to(session=session, customer_id=customer.id, message_id=prompt):
            return False, None, False  # a keyboard from before /forget, or not ours
        _, before = feedback.set_rating(
            session=session,
            customer=customer,
            kind=kind,
            score=score,
            prompt_message_id=prompt,
            now=now,
        )
        assert customer.id is not None
        ask = complaint_from_rating(session, settings, customer.id, kind, score, now)
        return True, before, ask

    ours, previous, complaint = await with_customer(context, store)
    if not ours:
        await query.answer(t(context.lang, "button_invalid"), show_alert=True)
        return
    maximum = callbacks.RATING_MAX[kind]
    if previous is None:
        key = "rating_thanks"
    else:
        key = "rating_same" if previous == score else "rating_changed"
    await query.answer(t(context.lang, key, score=score, max=maximum))
    try:
        await query.edit_message_text(
            t(context.lang, "rating_thanks", score=score, max=maximum),
            reply_markup=rating_keyboard(kind),
        )
    except BadRequest as exc:  # the same button twice: the text is already right
        if "not modified" not in str(exc).lower():
            raise
    if complaint:  # a low score: ask what went wrong (once per complaint conversation)
        await reply(update, context, "complaint_rating_ask")
    await rating_alert(update, context, kind, score, previous)  # a low score: tell the owners
