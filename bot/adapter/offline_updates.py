"""The user side of the offline Telegram: users, chats and the updates they send.

`OfflineTelegram` (bot/adapter/offline.py) answers the bot; `UpdateBuilder`, its base, makes
the raw updates a customer would send (the same JSON `getUpdates` returns), with message and
update ids from the same counters as the bot's own messages.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Mapping
from typing import Any

BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Akrab",
    "username": "akrab_offline_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


class UpdateBuilder:
    """Update builders; the subclass provides the clock, the id counters and the lock."""

    clock: Callable[[], float]  # message dates, in Unix seconds
    sent: dict[int, dict[int, dict[str, Any]]]  # the bot's messages: chat -> id -> message
    _message_ids: dict[int, itertools.count[int]]
    _update_ids: itertools.count[int]
    _lock: threading.Lock

    def next_message_id(self, chat_id: int) -> int:
        with self._lock:
            counter = self._message_ids.setdefault(chat_id, itertools.count(1))
            return next(counter)

    def continue_after(self, last_ids: Mapping[int, int]) -> None:
        """Go on from these chats' highest message ids (a database from an earlier run)."""
        with self._lock:
            for chat_id, last in last_ids.items():
                self._message_ids[chat_id] = itertools.count(last + 1)

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        return list(self.sent.get(chat_id, {}).values())

    def message_update(
        self, user: dict[str, Any], *, chat_id: int | None = None, **fields: Any
    ) -> dict[str, Any]:
        """An update with a new message from `user` (fields: text, sticker, photo, ...)."""
        chat = chat_id if chat_id is not None else user["id"]
        message = {
            "message_id": self.next_message_id(chat),
            "date": int(self.clock()),
            "chat": chat_json(chat, user),
            "from": user,
            **fields,
        }
        text = fields.get("text")
        if isinstance(text, str) and text.startswith("/"):
            length = len(text.split()[0]) if text.split() else 1
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"update_id": next(self._update_ids), "message": message}

    def edit_update(
        self, user: dict[str, Any], message_id: int, text: str, *, edit_date: int | None = None
    ) -> dict[str, Any]:
        return {
            "update_id": next(self._update_ids),
            "edited_message": {
                "message_id": message_id,
                "date": int(self.clock()) - 1,
                "edit_date": edit_date or int(self.clock()),
                "chat": chat_json(user["id"], user),
                "from": user,
                "text": text,
            },
        }

    def callback_update(
        self, user: dict[str, Any], message: dict[str, Any], data: str
    ) -> dict[str, Any]:
        """A button press on bot `message` (the data need not be on its keyboard: forgeries)."""
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": f"cb{next(self._update_ids)}",
                "from": user,
                "chat_instance": f"ci{user['id']}",
                "message": message,
                "data": data,
            },
        }


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, callback data) of every inline button on a stored bot message."""
    markup = message.get("reply_markup") or {}
    return [
        (button["text"], button.get("callback_data", ""))
        for row in markup.get("inline_keyboard", [])
        for button in row
    ]


def chat_json(chat_id: int, user: dict[str, Any] | None = None) -> dict[str, Any]:
    if chat_id > 0:
        chat: dict[str, Any] = {"id": chat_id, "type": "private"}
        if user:
            chat["first_name"] = user.get("first_name", "")
            if user.get("username"):
                chat["username"] = user["username"]
        return chat
    return {"id": chat_id, "type": "group", "title": "Group"}


def user(
    user_id: int,
    first_name: str = "Budi",
    *,
    language_code: str | None = "id",
    username: str | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code is not None:  # some Telegram clients send none
        result["language_code"] = language_code
    if username:
        result["username"] = username
    return result
