"""A customer blocking or unblocking the bot (Telegram's `my_chat_member` updates)."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update

from bot.context import AkrabContext
from bot.handlers.common import in_session
from storage import customers

log = logging.getLogger(__name__)


async def membership_changed(update: Update, context: AkrabContext) -> None:
    """Mark the customer blocked when they block the bot in a private chat, unblocked after."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    blocked = change.new_chat_member.status == ChatMember.BANNED
    log.info("chat %s %s the bot", change.chat.id, "blocked" if blocked else "unblocked")
    chat_id = change.chat.id
    await in_session(
        context,
        lambda session: customers.mark_blocked(session=session, chat_id=chat_id, blocked=blocked),
    )
