"""What is not a known command: awaited feedback, acknowledgements, unknown commands."""

from __future__ import annotations

import logging

from telegram import Update

from bot.adapter.commands import OWNER_COMMAND_NAMES
from bot.context import AkrabContext
from bot.handlers.common import reply
from bot.handlers.feedback import awaited_feedback

log = logging.getLogger(__name__)


async def any_message(update: Update, context: AkrabContext) -> None:
    """Take awaited feedback; ask what went wrong at the first complaint of a conversation;
    else acknowledge the first message of a conversation."""
    if context.customer is None:
        return
    if await awaited_feedback(update, context):
        return
    if context.complaint:  # its follow-up was planned with the recording
        await reply(update, context, "complaint_ask")
        return
    if context.new_conversation:
        negative = context.sentiment_label == "negative"
        await reply(update, context, "ack_negative" if negative else "ack")
    # Nothing else is answered: `bot.services.recording.answer_due` is this function's rule,
    # by which the inbox worker leaves every other customer message out of the handlers.


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
