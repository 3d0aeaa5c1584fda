"""Typed services shared by the handlers, and the per-update context that carries them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from storage.ingest import CustomerSnapshot

if TYPE_CHECKING:
    from bot.adapter.owner_outbox import OwnerOutbox
    from bot.adapter.worker import InboxWorker


def utc_now() -> datetime:
    return datetime.now(UTC)


class BotData:
    """Everything handlers need; PTB creates it empty, the composition root (`bot.app`) fills it."""

    settings: Settings
    engine: Engine
    worker: InboxWorker
    owner_outbox: OwnerOutbox  # relays and alerts to the owners, sent in the background

    def __init__(self) -> None:
        self.clock: Callable[[], datetime] = utc_now
        # Customers whose CES is due for a refresh (see bot/jobs/score_refresh.py).
        self.pending_refresh: set[int] = set()
        # Owners' languages as last stored (storage/relay.py's owner_profile is the truth).
        self.owner_languages: dict[int, str] = {}


class AkrabContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """PTB's context plus what the recording step learned about the sender of this update."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.customer: CustomerSnapshot | None = None
        self.recorded_message_id: int | None = None
        self.new_customer: bool = False
        # The answer recording chose for a plain message (bot.services.recording.reply_key).
        self.reply_key: str | None = None

    @property
    def lang(self) -> str:
        if self.customer is not None:
            return self.customer.language
        return self.bot_data.settings.default_language
