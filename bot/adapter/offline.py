"""An offline Telegram: a `BaseRequest` that answers Bot API calls locally.

`akrab shell`, the handler tests and `bench/ingest.py` run the real `Application` and handlers
through this instead of the network. It keeps what the bot sent per chat, so a caller can show
or check the replies and press their buttons. The updates a user sends are built by its base,
`bot.adapter.offline_updates.UpdateBuilder`.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.adapter.offline_updates import BOT_USER, UpdateBuilder, buttons, chat_json, user

__all__ = ["BOT_USER", "Call", "Fault", "OfflineTelegram", "buttons", "user"]

ALWAYS_TRUE = {
    "answerCallbackQuery",
    "deleteMyCommands",
    "deleteWebhook",
    "sendChatAction",
    "setChatMenuButton",
    "setMyCommands",
    "setMyDescription",
    "setMyShortDescription",
    "deleteMessage",
    "close",
    "logOut",
}
MEDIA = {
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendVoice": "voice",
    "sendVideo": "video",
    "sendSticker": "sticker",
    "sendAudio": "audio",
    "sendAnimation": "animation",
    "sendVideoNote": "video_note",
}
FIELDS = {
    "sendLocation": ("location", ("latitude", "longitude")),
    "sendContact": ("contact", ("phone_number", "first_name")),
}


@dataclass
class Fault:
    method: str
    error_code: int
    description: str
    chat_id: int | None = None
    count: int = 1
    retry_after: int | None = None


@dataclass
class Call:
    method: str
    params: dict[str, Any]


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


@dataclass
class OfflineTelegram(UpdateBuilder, BaseRequest):
    """Answers the Bot API in memory; `calls` records every request in order."""

    calls: list[Call] = field(default_factory=list)
    sent: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)  # chat -> id -> msg
    faults: list[Fault] = field(default_factory=list)
    # Group chats that are forums (getChat says is_forum), and their topics: chat -> open ids.
    forums: set[int] = field(default_factory=set)
    topics: dict[int, set[int]] = field(default_factory=dict)
    clock: Callable[[], float] = time.time  # message dates, in Unix seconds
    _message_ids: dict[int, itertools.count[int]] = field(default_factory=dict)
    # Update ids only grow, across runs too (the inbox keeps processed ids for a while).
    _update_ids: itertools.count[int] = field(
        default_factory=lambda: itertools.count(time.time_ns() // 1000)
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- BaseRequest ---------------------------------------------------------------------------
    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        params = {
            k: _decode(v) for k, v in (request_data.parameters if request_data else {}).items()
        }
        self.calls.append(Call(endpoint, params))
        fault = self._take_fault(endpoint, params.get("chat_id"))
        if fault is not None:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": fault.error_code,
                "description": fault.description,
            }
            if fault.retry_after is not None:
                body["parameters"] = {"retry_after": fault.retry_after}
            return fault.error_code, json.dumps(body).encode()
        status, result = self._answer(endpoint, params)
        if status != 200:
            return status, json.dumps(
                {"ok": False, "error_code": status, "description": result}
            ).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # -- the fake server -----------------------------------------------------------------------
    def _take_fault(self, endpoint: str, chat_id: Any) -> Fault | None:
        for fault in self.faults:
            if fault.method in (endpoint, "*") and fault.chat_id in (None, chat_id):
                fault.count -= 1
                if fault.count <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _answer(self, endpoint: str, params: dict[str, Any]) -> tuple[int, Any]:
        if endpoint == "getMe":
            return 200, BOT_USER
        if endpoint == "getUpdates":
            return 200, []
        if endpoint in ALWAYS_TRUE:
            return 200, True
        thread = params.get("message_thread_id")
        topics = self.topics.get(int(params.get("chat_id") or 0), set())
        if thread is not None and endpoint.startswith(("send", "copy")) and thread not in topics:
            return 400, "Bad Request: message thread not found"
        if endpoint == "getChat":
            chat = self._chat_of(int(params["chat_id"]))
            return 200, {**chat, "accent_color_id": 0, "max_reaction_count": 11}
        if endpoint == "createForumTopic":
            chat_id = int(params["chat_id"])
            if chat_id not in self.forums:
                return 400, "Bad Request: the chat is not a forum"
            thread = self.next_message_id(chat_id)
            self.topics.setdefault(chat_id, set()).add(thread)
            return 200, {"message_thread_id": thread, "name": params["name"], "icon_color": 0}
        if endpoint == "copyMessage":
            copied = self._store(params, caption=params.get("caption"))
            copied["copy_of"] = [int(params["from_chat_id"]), int(params["message_id"])]
            return 200, {"message_id": copied["message_id"]}
        if endpoint in FIELDS:  # a place or a contact: the fields it was sent with
            name, keys = FIELDS[endpoint]
            return 200, self._store(params, fields={name: {k: params.get(k) for k in keys}})
        if endpoint == "sendMessage":
            text = str(params.get("text", ""))
            if not text.strip():
                return 400, "Bad Request: message text is empty"
            if len(text) > 4096:
                return 400, "Bad Request: message is too long"
            return 200, self._store(params, text=text)
        if endpoint in MEDIA:
            return 200, self._store(params, caption=params.get("caption"), media=MEDIA[endpoint])
        if endpoint in {"editMessageText", "editMessageReplyMarkup"}:
            return self._edit(endpoint, params)
        return 404, f"Not Found: method {endpoint} is not supported offline"

    def _store(
        self,
        params: dict[str, Any],
        *,
        text: str | None = None,
        caption: Any = None,
        media: str | None = None,
        fields: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message: dict[str, Any] = {
            "message_id": self.next_message_id(chat_id),
            "date": int(self.clock()),
            "chat": self._chat_of(chat_id),
            "from": BOT_USER,
        }
        if text is not None:
            message["text"] = text
        if media is not None:
            message[media] = (
                [{"file_id": "offline", "file_unique_id": "offline", "width": 1, "height": 1}]
                if media == "photo"
                else {"file_id": "offline", "file_unique_id": "offline"}
            )
            if caption:
                message["caption"] = str(caption)
        if fields is not None:
            message.update(fields)
        elif caption and media is None:  # a copy: the caption it was given
            message["caption"] = str(caption)
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = int(params["message_thread_id"])
            message["is_topic_message"] = True
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.sent.setdefault(chat_id, {})[message["message_id"]] = message
        return message

    def _edit(self, endpoint: str, params: dict[str, Any]) -> tuple[int, Any]:
        chat_id = int(params.get("chat_id", 0))
        stored = self.sent.get(chat_id, {}).get(int(params.get("message_id", 0)))
        if stored is None:
            return 400, "Bad Request: message to edit not found"
        new = dict(stored)
        if endpoint == "editMessageText":
            new["text"] = params.get("text")
        if params.get("reply_markup"):
            new["reply_markup"] = params["reply_markup"]
        else:
            new.pop("reply_markup", None)
        if new == stored:
            return 400, "Bad Request: message is not modified"
        new["edit_date"] = int(self.clock())
        self.sent[chat_id][stored["message_id"]] = new
        return 200, new

    def _chat_of(self, chat_id: int) -> dict[str, Any]:
        chat = chat_json(chat_id)
        if chat_id in self.forums:
            chat.update(type="supergroup", is_forum=True)
        return chat
