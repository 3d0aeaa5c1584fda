"""Turn a Telegram update into plain values to record (no I/O here)."""

from __future__ import annotations

from collections.abc import Mapping
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


def _field(source: Any, name: str) -> Any:
    """`source.name` of a PTB object, or `source[name]` of the update's raw JSON."""
    if isinstance(source, Mapping):
        return source.get("from" if name == "from_user" else name)
    return getattr(source, name, None)


def message_kind(message: Message | Mapping[str, Any]) -> tuple[str, str | None]:
    """The kind of a message and its text (text, caption, or a short description), from a
    PTB `Message` or from the message's raw JSON (the inbox worker's shortcut), alike."""
    text = _field(message, "text")
    if isinstance(text, str):
        if text.startswith("/") and any(
            _field(e, "type") == "bot_command" and _field(e, "offset") == 0
            for e in _field(message, "entities") or ()
        ):
            return "command", text
        return "text", text
    caption = _field(message, "caption")
    caption = caption if isinstance(caption, str) else None
    for attribute in MEDIA_KINDS:
        value = _field(message, attribute)
        if not value:
            continue
        kind = KIND_ALIASES.get(attribute, attribute)
        if attribute == "location":
            return kind, f"{_field(value, 'latitude')},{_field(value, 'longitude')}"
        if attribute == "contact":
            name = " ".join(filter(None, [_field(value, "first_name"), _field(value, "last_name")]))
            return kind, f"{name} {_field(value, 'phone_number') or ''}".strip()
        if attribute == "sticker":
            return kind, caption or _field(value, "emoji")
        return kind, caption
    return "other", caption


def _sent(timestamp: Any) -> datetime | None:
    if isinstance(timestamp, datetime):  # a PTB object's (aware, or naive UTC)
        return timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=UTC)
    if isinstance(timestamp, int) and not isinstance(timestamp, bool):  # the JSON's Unix time
        return datetime.fromtimestamp(timestamp, UTC)
    return None


def extract(update: Update | Mapping[str, Any], now: datetime) -> Inbound | None:
    """The inbound record for an update in a private chat, or None if there is nothing to
    record; from a PTB `Update` or from the update's raw JSON (the same answer for both)."""
    payload = update if isinstance(update, Mapping) else update.to_dict()
    query, message = payload.get("callback_query"), None
    if isinstance(query, Mapping):
        user, holder = query.get("from"), query.get("message")
        chat = holder.get("chat") if isinstance(holder, Mapping) else None
    else:
        query = None
        message = payload.get("edited_message") or payload.get("message")
        if not isinstance(message, Mapping):
            return None
        user, chat = message.get("from"), message.get("chat")
    if not isinstance(chat, Mapping) or not isinstance(user, Mapping) or user.get("is_bot"):
        return None
    user_id, chat_id = _int(user.get("id")), _int(chat.get("id"))
    if chat.get("type") != "private" or user_id is None or chat_id is None:
        return None
    common: dict[str, Any] = {
        "user_id": user_id,
        "chat_id": chat_id,
        "first_name": _text(user.get("first_name")),
        "last_name": _text(user.get("last_name")),
        "username": _text(user.get("username")),
        "language_code": _text(user.get("language_code")),
    }
    if query is not None:
        return Inbound(
            **common,
            kind="callback",
            text=_text(query.get("data")),
            telegram_message_id=None,
            callback_id=_text(query.get("id")),
            sent_at=now,
        )
    assert message is not None
    kind, text = message_kind(message)
    edited = "edited_message" in payload and payload["edited_message"] is message
    return Inbound(
        **common,
        kind=kind,
        text=text,
        telegram_message_id=_int(message.get("message_id")),
        callback_id=None,
        sent_at=_sent(message.get("date")) or now,
        edited_at=(_sent(message.get("edit_date")) or now) if edited else None,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


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
