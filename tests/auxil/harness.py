"""A real Akrab `Application` on a real database, with Telegram replaced by `OfflineTelegram`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from bot.adapter.offline import OfflineTelegram, buttons, user
from bot.app import AkrabApplication, build_application, post_init
from bot.config import Settings

# A sticker as Telegram sends it (the media the tests send most).
STICKER = {
    "file_id": "s",
    "file_unique_id": "s",
    "type": "regular",
    "width": 1,
    "height": 1,
    "is_animated": False,
    "is_video": False,
    "emoji": "😀",
}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 1, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class BotHarness:
    """Drive the bot as customers would and read what it sent back."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.clock = Clock()
        self.telegram = OfflineTelegram(clock=lambda: self.clock.now.timestamp())
        self.engine = engine
        self.app: AkrabApplication = build_application(
            settings, engine=engine, request=self.telegram, clock=self.clock, rate_limit=False
        )
        self.users: dict[int, dict[str, Any]] = {}

    async def __aenter__(self) -> BotHarness:
        await self.app.initialize()
        await post_init(self.app)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.app.shutdown()

    def user(self, user_id: int, language_code: str = "id", **profile: Any) -> dict[str, Any]:
        if user_id not in self.users:
            first = profile.pop("first_name", f"User{user_id}")
            self.users[user_id] = user(user_id, first, language_code=language_code, **profile)
        return self.users[user_id]

    async def feed(self, data: dict[str, Any]) -> dict[str, Any]:
        """Hand a raw update to the inbox, as polling would, and wait until it is handled."""
        worker = self.app.bot_data.worker
        await worker.receive([data])
        await worker.drain()
        await self.app.bot_data.owner_outbox.drain()  # relays to owners go in the background
        return data

    async def send(self, user_id: int, text: str, **fields: Any) -> int:
        """Send a text (or a command) as `user_id`; returns the Telegram message id."""
        data = self.telegram.message_update(self.user(user_id), text=text, **fields)
        await self.feed(data)
        return int(data["message"]["message_id"])

    async def send_kind(self, user_id: int, **fields: Any) -> dict[str, Any]:
        return await self.feed(self.telegram.message_update(self.user(user_id), **fields))

    async def press(self, user_id: int, data: str) -> dict[str, Any]:
        """Press the button carrying `data` on the newest bot message that has it."""
        for message in reversed(self.telegram.bot_messages(user_id)):
            if any(d == data for _, d in buttons(message)):
                return await self.feed(
                    self.telegram.callback_update(self.user(user_id), message, data)
                )
        raise AssertionError(f"no button {data!r} in chat {user_id}")

    async def forge(self, user_id: int, data: str) -> dict[str, Any]:
        """Press with data that is not on the keyboard (a modified client)."""
        message = self.telegram.bot_messages(user_id)[-1]
        return await self.feed(self.telegram.callback_update(self.user(user_id), message, data))

    def texts(self, chat_id: int) -> list[str]:
        return [
            m.get("text") or m.get("caption") or "" for m in self.telegram.bot_messages(chat_id)
        ]

    def last_text(self, chat_id: int) -> str:
        return self.texts(chat_id)[-1]

    def calls(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.telegram.calls if c.method == method]
