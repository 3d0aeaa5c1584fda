"""Group 1: every customer message reaches the owners (the live inbox), after the customer's
own answer in group 0: planned here, sent in the background. A complaint's relay is itself the
alert (alert header and buttons).

What is relayed: any message a customer wrote (text, photo, voice, document, sticker, location,
...), unknown commands, and /feedback with its text; not the customer's other commands, owner
commands they try, button presses or edits. How each kind is sent is the owners' outbox's
(bot/adapter/owner_outbox.py).
"""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.adapter.commands import CUSTOMER_COMMANDS, OWNER_COMMAND_NAMES
from bot.adapter.inbound import message_kind
from bot.context import AkrabContext
from bot.handlers.owner import inbox

log = logging.getLogger(__name__)

# Customers' commands are answered by the bot; an owner command tried by a customer is logged.
NOT_RELAYED = (frozenset(c.name for c in CUSTOMER_COMMANDS) | OWNER_COMMAND_NAMES) - {"feedback"}


def is_relayed(message: Message) -> bool:
    kind, text = message_kind(message)
    if kind != "command" or not text:
        return True
    command = text.split()[0].removeprefix("/").split("@")[0].lower()
    if command == "feedback":
        return len(text.split()) > 1
    return command not in NOT_RELAYED


async def relay_message(update: Update, context: AkrabContext) -> None:
    """Plan the relay of the recorded customer message to every owner chat, once."""
    message = update.message
    customer, message_id = context.customer, context.recorded_message_id
    if message is None or customer is None or message_id is None or not is_relayed(message):
        return
    await inbox.plan(context, customer.id, message_id)
