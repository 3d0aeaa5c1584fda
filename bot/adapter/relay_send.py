"""Sending one customer message to an owner chat, whatever its kind, so it always arrives.

Media go again by their file id (`sendPhoto`, `sendSticker`, ...: the bot may re-send what it
received), taken from the raw update while the inbox keeps it; else the message is copied
(`copyMessage`). If Telegram (or a Bot API server) refuses both, the owner still gets the
header, the kind and the words as a text, so no customer message is lost on the way. A send
that timed out is not retried another way: it may have arrived.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import TelegramError, TimedOut

from bot.adapter.inbound import MEDIA_KINDS
from bot.adapter.telegram_bot import MAX_CAPTION, cap
from bot.texts import t
from storage.relay import RelayJob

log = logging.getLogger(__name__)

CAPTIONED = {"photo", "video", "document", "voice"}  # stored kinds that take a caption
# Telegram's message fields for media, and the method that sends one by file id.
SEND_BY_ID = {
    "photo": "send_photo",
    "video": "send_video",
    "document": "send_document",
    "voice": "send_voice",
    "audio": "send_audio",
    "animation": "send_animation",
    "video_note": "send_video_note",
    "sticker": "send_sticker",
}
TAKES_CAPTION = {"photo", "video", "document", "voice", "audio", "animation"}


@dataclass(frozen=True, slots=True)
class Media:
    """What a customer's message carried: a field of Telegram's and how to send it again."""

    field: str  # photo, sticker, location, contact, ...
    file_id: str | None = None
    # a place's or contact's fields (`dataclasses.field`: the name `field` is taken here)
    values: dict[str, Any] = dataclasses.field(default_factory=dict)


def media_of(payload: str | None) -> Media | None:
    """The media of the customer's message in a raw update, if the update is at hand."""
    if not payload:
        return None
    try:
        update = json.loads(payload)
    except ValueError:
        return None
    message = update.get("message") if isinstance(update, dict) else None
    if not isinstance(message, dict):
        return None
    for name in (kind for kind in MEDIA_KINDS if kind in SEND_BY_ID):  # recording's order
        value = message.get(name)
        if name == "photo" and isinstance(value, list) and value:
            value = value[-1]  # the largest size
        if isinstance(value, dict) and isinstance(value.get("file_id"), str):
            return Media(name, value["file_id"])
    place = message.get("location")
    if isinstance(place, dict) and {"latitude", "longitude"} <= place.keys():
        return Media("location", values={k: place[k] for k in ("latitude", "longitude")})
    contact = message.get("contact")
    if isinstance(contact, dict) and contact.get("phone_number") and contact.get("first_name"):
        keys = ("phone_number", "first_name", "last_name")
        return Media("contact", values={k: contact[k] for k in keys if contact.get(k)})
    return None


@dataclass(frozen=True, slots=True)
class Envelope:
    """How a relay is presented: the header text in the owner's language, the alert buttons
    (if any) and the forum topic (if any)."""

    head: str
    lang: str
    markup: InlineKeyboardMarkup | None = None
    thread: int | None = None


async def send_relay(bot: Any, job: RelayJob, envelope: Envelope) -> int:
    """Send the customer's message under its header to `job.owner_chat_id`; the owner-side id
    of the message a reply should answer (the one with the header)."""
    chat_id, head = job.owner_chat_id, envelope.head
    markup, thread = envelope.markup, envelope.thread
    if job.kind in {"text", "command", "callback"}:
        body = head if job.kind == "callback" else f"{head}\n\n{job.text}"
        sent = await bot.send_message(chat_id, body, reply_markup=markup, message_thread_id=thread)
        return int(sent.message_id)
    media = media_of(job.payload)
    captioned = media.field in TAKES_CAPTION if media is not None else job.kind in CAPTIONED
    if captioned:  # a photo arrives as a photo, with the header as caption
        caption = cap(head + (f"\n\n{job.text}" if job.text else ""), MAX_CAPTION)
        extra = {"caption": caption, "reply_markup": markup, "message_thread_id": thread}
        sent = await _again(bot, job, media, extra)
        if sent is not None:
            return int(sent.message_id)
        return await _as_text(bot, job, envelope)
    # A sticker, video note, place or contact: the header, then the thing itself under it.
    header_id = await _as_text(bot, job, envelope)
    extra = {"message_thread_id": thread, "reply_to_message_id": header_id}
    await _again(bot, job, media, extra)
    return header_id


async def _again(bot: Any, job: RelayJob, media: Media | None, extra: dict[str, Any]) -> Any:
    """The media sent again by file id, else copied; None if both were refused."""
    chat_id = job.owner_chat_id
    if media is not None:
        try:
            if media.file_id is not None:  # with a caption only where it takes one (above)
                return await getattr(bot, SEND_BY_ID[media.field])(chat_id, media.file_id, **extra)
            send = bot.send_location if media.field == "location" else bot.send_contact
            return await send(chat_id, **media.values, **extra)
        except TimedOut:
            raise
        except TelegramError as exc:
            log.info(
                "could not send a %s again to chat %s (%s); copying it", job.kind, chat_id, exc
            )
    if job.telegram_message_id is None:
        return None
    try:
        return await bot.copy_message(chat_id, job.chat_id, job.telegram_message_id, **extra)
    except TimedOut:
        raise
    except TelegramError as exc:
        log.warning("could not copy a %s to chat %s: %s", job.kind, chat_id, exc)
        return None


async def _as_text(bot: Any, job: RelayJob, envelope: Envelope) -> int:
    body = f"{envelope.head}\n{t(envelope.lang, 'relay_kind', kind=job.kind)}"
    if job.text:  # a caption, a sticker's emoji, a place, a contact's name and number
        body += f"\n\n{job.text}"
    sent = await bot.send_message(
        chat_id=job.owner_chat_id,
        text=body,
        reply_markup=envelope.markup,
        message_thread_id=envelope.thread,
    )
    return int(sent.message_id)
