"""Group 1: every customer message reaches the owners (the live inbox), after the customer's
own answer in group 0. A complaint's relay is itself the alert (alert header and buttons).

What is relayed: any message a customer wrote (text, photo, voice, document, sticker, location,
...), unknown commands, and /feedback with its text; not the customer's other commands, button
presses or edits. A text goes as one message (header, blank line, text); media that can carry a
caption are copied with the header as caption; the rest (stickers, locations, ...) as the header
followed by a copy in reply to it.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError

from bot.adapter import db
from bot.adapter.commands import CUSTOMER_COMMANDS
from bot.adapter.inbound import message_kind
from bot.adapter.telegram_bot import MAX_CAPTION, cap
from bot.context import AkrabContext
from bot.handlers.owner import inbox
from bot.services import relay as relay_service
from bot.services.relay import RelayInfo
from bot.texts import t

log = logging.getLogger(__name__)

CAPTIONED = {"photo", "video", "document", "voice", "audio", "animation"}
NOT_RELAYED = frozenset(c.name for c in CUSTOMER_COMMANDS) - {"feedback"}


def is_relayed(message: Message) -> bool:
    kind, text = message_kind(message)
    if kind != "command" or not text:
        return True
    command = text.split()[0].removeprefix("/").split("@")[0].lower()
    if command == "feedback":
        return len(text.split()) > 1
    return command not in NOT_RELAYED


def _media_attribute(message: Message) -> str | None:
    for attribute in ("photo", "animation", "video", "document", "voice", "audio"):
        if getattr(message, attribute, None):
            return attribute
    return None


async def relay_message(update: Update, context: AkrabContext) -> None:
    """Relay the recorded customer message to every owner chat, once."""
    message = update.message
    customer, message_id = context.customer, context.recorded_message_id
    if message is None or customer is None or message_id is None or not is_relayed(message):
        return
    data = context.bot_data
    now = data.clock()
    info = await db.transact(
        data.engine,
        lambda s: relay_service.relay_info(
            s, customer_id=customer.id, message_id=message_id, now=now
        ),
    )
    if info is None:
        return
    await inbox.deliver_once(context, info, message_id, _deliverer(context, info, message))


def compose(lang: str, info: RelayInfo, complaint: float) -> str:
    """The relay's header, with the alert line first for a complaint."""
    head = inbox.header(lang, info, complaint)
    if info.polarity is not None and info.polarity <= complaint:
        head = t(lang, "alert_complaint", polarity=f"{info.polarity:+.2f}") + "\n" + head
    return head


def _deliverer(context: AkrabContext, info: RelayInfo, message: Message) -> inbox.Deliver:
    lang = inbox.owner_lang(context)
    complaint = context.bot_data.settings.complaint_polarity
    head = compose(lang, info, complaint)
    alert = info.polarity is not None and info.polarity <= complaint
    markup = inbox.alert_buttons(lang, info.customer.id) if alert else None
    kind, text = message_kind(message)
    bot = context.bot

    async def deliver(chat_id: int, thread: int | None) -> int:
        if kind in {"text", "command"}:
            sent = await bot.send_message(
                chat_id, f"{head}\n\n{text}", reply_markup=markup, message_thread_id=thread
            )
            return sent.message_id
        if _media_attribute(message) is not None:
            caption = head + (f"\n\n{message.caption}" if message.caption else "")
            copied = await bot.copy_message(
                chat_id,
                message.chat_id,
                message.message_id,
                caption=cap(caption, MAX_CAPTION),
                reply_markup=markup,
                message_thread_id=thread,
            )
            return copied.message_id
        sent = await bot.send_message(
            chat_id,
            f"{head}\n{t(lang, 'relay_kind', kind=kind)}",
            reply_markup=markup,
            message_thread_id=thread,
        )
        try:  # the sticker, place or contact itself, under its header
            await bot.copy_message(
                chat_id,
                message.chat_id,
                message.message_id,
                message_thread_id=thread,
                reply_to_message_id=sent.message_id,
            )
        except TelegramError as exc:
            log.warning("could not copy a %s to chat %s: %s", kind, chat_id, exc)
        return sent.message_id

    return deliver
