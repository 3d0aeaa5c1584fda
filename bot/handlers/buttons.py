"""Every inline button press: validated here, then routed by its action."""

from __future__ import annotations

import logging

from telegram import Update

from bot import callbacks
from bot.context import AkrabContext
from bot.handlers.feedback import rating_pressed
from bot.handlers.forget import forget_pressed
from bot.texts import t

log = logging.getLogger(__name__)


def on_keyboard(update: Update) -> bool:
    """Whether the pressed data is one of the buttons Telegram shows on that message."""
    query = update.callback_query
    if query is None or query.message is None:
        return False
    markup = getattr(query.message, "reply_markup", None)
    if markup is None:
        return False
    return any(b.callback_data == query.data for row in markup.inline_keyboard for b in row)


async def button_pressed(update: Update, context: AkrabContext) -> None:
    """Parse and check the press; refuse forged or stale data politely."""
    query = update.callback_query
    assert query is not None
    try:
        choice = callbacks.parse(query.data)
        if not on_keyboard(update):
            raise callbacks.InvalidCallback("data is not on the message's keyboard")
    except callbacks.InvalidCallback as exc:
        log.warning("refused button press from user %s: %s", query.from_user.id, exc)
        await query.answer(t(context.lang, "button_invalid"), show_alert=True)
        return
    if context.customer is None:  # presses in groups are not ours to handle
        await query.answer()
        return
    if choice.action in callbacks.RATING_MAX:
        await rating_pressed(update, context, choice)
    else:
        await forget_pressed(update, context, choice)
