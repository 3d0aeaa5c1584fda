"""Turn a Telegram update into plain values to record (no I/O here)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import Message, Update

from bot.services.recording import Inbound

# Message attributes that name the kind of a non-text message, in the order we test them.
MEDIA_KINDS = (
    "photo",
    "sticker",
    "voice",
    "video",
    "video_note",
    "audio",
    "document",
    "animation",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
)
KIND_ALIASES = {"video_note": "video", "audio": "voice", "animation": "video", "venue": "location"}


def message_kind(message: Message) -> tuple[str, str | None]:
    """The kind of a message and its text (text, caption, or a short description)."""
    if message.text is not None:
        text = message.text
        if text.startswith("/") and any(
            e.type == "bot_command" and e.offset == 0 for e in message.entities
        ):
            return "command", text
        return "text", text
    for attribute in MEDIA_KINDS:
        value = getattr(message, attribute, None)
        if value:
            kind = KIND_ALIASES.get(attribute, attribute)
            if attribute == "location" and message.location is not None:
                return kind, f"{message.location.latitude},{message.location.longitude}"
            if attribute == "contact" and message.contact is not None:
                contact = message.contact
                name = " ".join(filter(None, [contact.first_name, contact.last_name]))
                return kind, f"{name} {contact.phone_number}".strip()
            if attribute == "sticker" and message.sticker is not None:
                return kind, message.caption or message.sticker.emoji
            return kind, message.caption
    return "other", message.caption


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def extract(update: Update, now: datetime) -> Inbound | None:
    """The inbound record for an update in a private chat, or None if there is nothing to record."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or user.is_bot or chat.type != "private":
        return None
    common: dict[str, Any] = {
        "user_id": user.id,
        "chat_id": chat.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "username": user.username,
        "language_code": user.language_code,
    }
    if update.callback_query is not None:
        query = update.callback_query
        return Inbound(
            **common,
            kind="callback",
            text=query.data,
            telegram_message_id=None,
            callback_id=query.id,
            sent_at=now,
        )
    message = update.edited_message or update.message
    if message is not None:
        kind, text = message_kind(message)
        edited = update.edited_message is not None
        return Inbound(
            **common,
            kind=kind,
            text=text,
            telegram_message_id=message.message_id,
            callback_id=None,
            sent_at=_aware(message.date) or now,
            edited_at=(_aware(message.edit_date) or now) if edited else None,
        )
    return None


def chat_of(payload: dict[str, Any]) -> int | None:
    """The chat a raw update belongs to (its processing lane), from the JSON alone."""
    for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
        if isinstance(payload.get(key), dict):
            return _int(payload[key].get("chat", {}).get("id"))
    query = payload.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return _int(message["chat"].get("id"))
        return _int(query.get("from", {}).get("id"))
    for key in ("my_chat_member", "chat_member", "chat_join_request"):
        if isinstance(payload.get(key), dict):
            return _int(payload[key].get("chat", {}).get("id"))
    for value in payload.values():
        if isinstance(value, dict) and isinstance(value.get("from"), dict):
            return _int(value["from"].get("id"))
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
