"""What is not a known command: awaited feedback, acknowledgements, unknown commands."""

from __future__ import annotations

import logging

from telegram import Update

from bot.adapter.commands import OWNER_COMMAND_NAMES
from bot.context import AkrabContext
from bot.handlers.common import reply

log = logging.getLogger(__name__)


async def any_message(update: Update, context: AkrabContext) -> None:
    """Answer a customer's message as recording decided (`bot.services.recording.reply_key`:
    awaited feedback, the first complaint of a conversation, a conversation's first message);
    nothing else is answered. bot/handlers/direct.py answers most of these without PTB."""
    if context.customer is None or context.reply_key is None:
        return
    await reply(update, context, context.reply_key)


async def unknown_command(update: Update, context: AkrabContext) -> None:
    """A command we do not have: say so and point to /help."""
    if context.customer is None or update.effective_message is None:
        return
    word = (update.effective_message.text or "/").split()[0]
    command, _, addressee = word.partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # a command for another bot (/help@otherbot): not ours to answer
    if command.removeprefix("/").lower() in OWNER_COMMAND_NAMES:
        user = update.effective_user
        log.warning("user %s tried the owner command %s", user.id if user else "?", command)
    await reply(update, context, "unknown_command", command=command)
