"""Turn a Telegram update into plain values to record (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from telegram import Message, Update

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


@dataclass(frozen=True, slots=True)
class Inbound:
    """What a customer did in one update, as plain values."""

    user_id: int
    chat_id: int
    first_name: str | None
    last_name: str | None
    username: str | None
    language_code: str | None
    kind: str  # text, command, photo, sticker, ..., callback, other
    text: str | None
    telegram_message_id: int | None
    callback_id: str | None
    sent_at: datetime
    edited_at: datetime | None = None

    @property
    def is_edit(self) -> bool:
        return self.edited_at is not None


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


def language_of(language_code: str | None) -> str:
    """Telegram's interface language to ours: Indonesian for `id`, English for anything else."""
    return "id" if (language_code or "").lower().startswith(("id", "in")) else "en"
