"""Group 1: every customer message reaches the owners (the live inbox), after the customer's
own answer in group 0: planned with the recording (group -1), sent in the background. A
complaint's relay is itself the alert (alert header and buttons).

What is relayed: any message a customer wrote (text, photo, voice, document, sticker, location,
...), unknown commands, and /feedback with its text; not the customer's other commands, owner
commands they try, button presses or edits. How each kind is sent is the owners' outbox's
(bot/adapter/owner_outbox.py).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import NamedTuple

from sqlmodel import Session
from telegram import Message, Update

from bot.adapter.commands import CUSTOMER_COMMANDS, OWNER_COMMAND_NAMES
from bot.adapter.inbound import message_kind
from bot.adapter.owner_outbox import owner_chat_ids
from bot.config import Settings
from bot.context import AkrabContext
from bot.services import inbox as inbox_service
from bot.services import recording
from bot.services import relay as relay_service
from bot.services.recording import Inbound, Recording

log = logging.getLogger(__name__)

# Customers' commands are answered by the bot; an owner command tried by a customer is logged.
NOT_RELAYED = (frozenset(c.name for c in CUSTOMER_COMMANDS) | OWNER_COMMAND_NAMES) - {"feedback"}


def is_relayed_kind(kind: str, text: str | None) -> bool:
    """Whether a customer's message of `kind` with `text` goes to the owners."""
    if kind == "callback":
        return False
    if kind != "command" or not text:
        return True
    command = text.split()[0].removeprefix("/").split("@")[0].lower()
    if command == "feedback":
        return len(text.split()) > 1
    return command not in NOT_RELAYED


def is_relayed(message: Message) -> bool:
    return is_relayed_kind(*message_kind(message))


class RecordItem(NamedTuple):
    """One update to record, with what its relay and complaint check need."""

    inbound: Inbound
    update_id: int | None
    owner_chats: tuple[int, ...]
    now: datetime
    settings: Settings
    # From the inbox worker's shortcut: a message that asks for no answer (or a duplicate, an
    # edit) is marked processed in the inbox in this same transaction.
    settle: bool = False


def record_and_plan_many(session: Session, items: list[RecordItem]) -> list[Recording | None]:
    """Recording (group -1, batched over lanes) with, in the same transaction, each
    message's relay to the owners (a message that is stored is one the owners will get,
    whatever stops the process afterwards) and what the message itself asks for next
    (`recording.follow_up`: group 0 then only replies)."""
    results = recording.record_many(
        session,
        [(item.inbound, item.update_id) for item in items],
        default_language=items[0].settings.default_language if items else "id",
    )
    settled: list[tuple[int, str | None]] = []
    for position, (item, result) in enumerate(zip(items, results, strict=True)):
        inbound, chats, now = item.inbound, item.owner_chats, item.now
        message_id = result.recorded.message_id if result else None
        if result is None or message_id is None:
            if item.settle and item.update_id is not None:
                settled.append((item.update_id, None))  # an edit, or recorded and handled before
            continue
        if chats and is_relayed_kind(inbound.kind, inbound.text):
            relay_service.plan_relays(
                session,
                customer_id=result.recorded.customer.id,
                message_id=message_id,
                owner_chat_ids=list(chats),
                now=now,
            )
        results[position] = result = recording.follow_up(
            session, item.settings, inbound, result, now=now
        )
        if item.settle and item.update_id is not None and not recording.answer_due(inbound, result):
            settled.append((item.update_id, None))
    if settled:
        inbox_service.settle(session, done=settled, renew=(), now=items[0].now)
    return results


async def relay_message(update: Update, context: AkrabContext) -> None:
    """Group 1, after the customer's answer: send the relay planned while recording."""
    message = update.message
    if message is None or context.recorded_message_id is None or not is_relayed(message):
        return
    data = context.bot_data
    data.owner_outbox.wake(owner_chat_ids(data.settings))
