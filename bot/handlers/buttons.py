"""Inline button presses: validated once here, then one handler per action."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.adapter import callbacks
from bot.context import AkrabContext
from bot.handlers.feedback import rating_pressed
from bot.handlers.forget import forget_pressed
from bot.handlers.owner import campaign
from bot.handlers.owner.alerts import resolved_pressed
from bot.handlers.owner.card import card_pressed, one_tap_pressed
from bot.handlers.owner.replies import reply_pressed
from bot.texts import t

log = logging.getLogger(__name__)

Action = Callable[[Update, AkrabContext, callbacks.Callback], Coroutine[Any, Any, None]]

# One handler per button action; a new action needs a line here, never falls into another.
ACTION_HANDLERS: dict[str, Action] = {
    "csat": rating_pressed,
    "nps": rating_pressed,
    "forget": forget_pressed,
    # The owner console; "o_reply" (shown on the card) gets its handler from the live inbox.
    "o_card": card_pressed,
    "o_rate": one_tap_pressed,
    "o_winback": one_tap_pressed,
    "o_thanks": one_tap_pressed,
    # Campaigns (bot/handlers/owner/campaign.py).
    "bcseg": campaign.segment_pressed,
    "bcb": campaign.variant_b_pressed,
    "bcgo": campaign.confirm_pressed,
    "bcx": campaign.drop_pressed,
    "camp": campaign.show_pressed,
    "campx": campaign.stop_pressed,
    # The live inbox (bot/handlers/owner/{alerts,replies}.py).
    "resolved": resolved_pressed,
    "o_reply": reply_pressed,
}


def pattern(action: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(callbacks.VERSION)}:{re.escape(action)}:")


def on_keyboard(update: Update) -> bool:
    """Whether the pressed data is one of the buttons Telegram shows on that message."""
    query = update.callback_query
    if query is None or query.message is None:
        return False
    markup = getattr(query.message, "reply_markup", None)
    if markup is None:
        return False
    return any(b.callback_data == query.data for row in markup.inline_keyboard for b in row)


def guarded(action: Action) -> Callable[[Update, AkrabContext], Coroutine[Any, Any, None]]:
    """Parse and check the press, then call `action`; refuse forged or stale data politely."""

    async def handle(update: Update, context: AkrabContext) -> None:
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
        if choice.action in callbacks.OWNER_ACTIONS:  # the owner gate, for buttons
            if query.from_user.id not in context.bot_data.settings.owner_ids:
                log.warning("refused owner button from non-owner %s", query.from_user.id)
                await query.answer(t(context.lang, "button_invalid"), show_alert=True)
                return
            await action(update, context, choice)
            return
        if context.customer is None:  # presses in groups are not ours to handle
            await query.answer()
            return
        await action(update, context, choice)

    handle.__name__ = handle.__qualname__ = f"guarded_{action.__name__}"
    return handle


async def refuse(update: Update, context: AkrabContext) -> None:
    """A press whose data names no action we have: forged, or from an older bot."""
    query = update.callback_query
    assert query is not None
    log.warning("refused button press from user %s: unknown action", query.from_user.id)
    await query.answer(t(context.lang, "button_invalid"), show_alert=True)
