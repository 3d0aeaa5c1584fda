"""Feedback: /feedback (free text), /rate (CSAT 1-5), /nps (0-10) and their buttons."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.adapter import callbacks
from bot.context import AkrabContext
from bot.handlers.common import customer_session, reply
from bot.texts import t
from storage import feedback

log = logging.getLogger(__name__)


def rating_keyboard(kind: str) -> InlineKeyboardMarkup:
    if kind == "csat":
        rows = [
            [
                InlineKeyboardButton(f"{n} ⭐", callback_data=callbacks.make("csat", n))
                for n in range(1, 6)
            ]
        ]
    else:
        rows = [
            [InlineKeyboardButton(str(n), callback_data=callbacks.make("nps", n)) for n in row]
            for row in (range(0, 6), range(6, 11))
        ]
    return InlineKeyboardMarkup(rows)


def store_text_feedback(context: AkrabContext, comment: str) -> None:
    with customer_session(context) as (session, customer):
        feedback.add_text_feedback(
            session=session,
            customer=customer,
            comment=comment,
            message_id=context.recorded_message_id,
            now=context.bot_data.clock(),
        )


async def feedback_command(update: Update, context: AkrabContext) -> None:
    """/feedback <text> stores it; a bare /feedback makes the next message the feedback."""
    assert context.customer is not None
    assert context.customer.telegram_id is not None
    comment = " ".join(context.args or []).strip()
    if not comment:
        context.bot_data.awaiting_feedback.add(context.customer.telegram_id)
        await reply(update, context, "feedback_ask")
        return
    context.bot_data.awaiting_feedback.discard(context.customer.telegram_id)
    store_text_feedback(context, comment)
    await reply(update, context, "feedback_thanks")


async def awaited_feedback(update: Update, context: AkrabContext) -> bool:
    """If this customer owes us feedback, take this message as it; True when handled."""
    customer = context.customer
    if customer is None or customer.telegram_id not in context.bot_data.awaiting_feedback:
        return False
    message = update.effective_message
    if message is None or not message.text:
        await reply(update, context, "feedback_not_text")
        return True
    context.bot_data.awaiting_feedback.discard(customer.telegram_id)
    store_text_feedback(context, message.text)
    await reply(update, context, "feedback_thanks")
    return True


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
    with customer_session(context) as (session, customer):
        _, previous = feedback.set_rating(
            session=session,
            customer=customer,
            kind=kind,
            score=score,
            prompt_message_id=query.message.message_id,
            now=context.bot_data.clock(),
        )
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
