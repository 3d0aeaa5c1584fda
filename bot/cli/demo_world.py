"""The simulated world of `akrab demo` that the driver and the hooks share: the clock, the
running application with its offline Telegram, the owner, the customers and the counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from bot.adapter.offline import OfflineTelegram
from bot.app import AkrabApplication
from bot.cli.demo_people import Customer
from bot.config import Settings


class SimClock:
    """The simulated time the application and the offline Telegram both read."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class DemoStats:
    customers: int = 0
    updates: int = 0
    presses: int = 0
    answers: int = 0  # customers' answers to messages they did not ask for (outreach, owner)
    owner_replies: int = 0
    owner_actions: int = 0  # the owner's commands and presses (the campaign's /broadcast flow)
    purchases: int = 0
    purchase_errors: int = 0
    score_runs: int = 0
    outreach_hours: int = 0  # simulated hours in which the outreach hook ran
    campaign: str | None = None
    personas: dict[str, int] = field(default_factory=dict)


@dataclass
class World:
    """What the hooks get: the running application and the simulated world around it."""

    app: AkrabApplication
    telegram: OfflineTelegram
    engine: Engine
    settings: Settings
    clock: SimClock
    owner: dict[str, Any]
    customers: list[Customer]
    stats: DemoStats

    async def feed(self, updates: list[dict[str, Any]]) -> None:
        """Hand updates to the inbox as a receiver would, and wait until they are handled."""
        if not updates:
            return
        worker = self.app.bot_data.worker
        await worker.receive(updates)
        await worker.drain()
        await self.app.bot_data.owner_outbox.drain()  # the owner's relays, sent in the background
        self.stats.updates += len(updates)
        self.telegram.calls.clear()

    async def as_owner(self, text: str, **fields: Any) -> None:
        """The owner sends `text` (a command, or a reply with `reply_to_message=`)."""
        self.stats.owner_actions += 1
        await self.feed([self.telegram.message_update(self.owner, text=text, **fields)])

    async def owner_press(self, message: dict[str, Any], data: str) -> None:
        self.stats.owner_actions += 1
        await self.feed([self.telegram.callback_update(self.owner, message, data)])


def sticker(emoji: str) -> dict[str, Any]:
    return {
        "file_id": "demo",
        "file_unique_id": "demo",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
    }
