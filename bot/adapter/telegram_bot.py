"""The bot object: PTB's `ExtBot`, plus a journal around every message the bot sends.

Overriding `_send_message` (the one path all `send_*`/`edit_*` methods share in PTB 22) is how
"every message the bot sends is recorded" holds whatever code path sent it. A send to a
customer is journalled as "sending" before the call and "sent" after it (queued, not awaited:
see `_journal`); a call that timed out is "unconfirmed" (it may have arrived, so it is never
resent blindly); see storage/outbound.py.
"""

from __future__ import annotations

import functools
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from telegram import Message
from telegram.error import Forbidden, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.adapter import db
from bot.adapter.inbound import message_kind
from bot.adapter.ratelimit import LIMITED_PREFIXES, PAID, ChatRateLimiter
from bot.services import outbound

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit for a message text, in UTF-16 code units
MAX_CAPTION = 1024
ENDPOINT_KINDS = {
    "sendMessage": "text",
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendVoice": "voice",
    "sendAudio": "voice",
    "sendVideo": "video",
    "sendAnimation": "video",
    "sendSticker": "sticker",
    "sendLocation": "location",
    "sendContact": "contact",
}

# The inbox update being handled in this task (the worker sets it): sends answer it.
CURRENT_UPDATE: ContextVar[int | None] = ContextVar("akrab_current_update", default=None)
# False while sending something that must not touch the database (it may be what failed).
JOURNAL: ContextVar[bool] = ContextVar("akrab_journal", default=True)
# The owner whose words are being sent to a customer (the console's replies): journalled as
# `message.sent_by`, so their sends count as the shop's answers.
SENT_BY: ContextVar[int | None] = ContextVar("akrab_sent_by", default=None)


def cap(text: str, limit: int) -> str:
    """`text` cut to Telegram's `limit` (UTF-16 code units), with "…" when it was cut."""
    if len(text) <= limit // 2 or len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    units = text.encode("utf-16-le")[: (limit - 1) * 2]
    return units.decode("utf-16-le", "ignore") + "…"


class AkrabBot(ExtBot[None]):
    """An `ExtBot` that journals what it sends to customers and notices who blocked it."""

    def __init__(self, *args: Any, engine: Engine | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._engine = engine

    async def get_raw_updates(
        self, *, offset: int | None, poll_seconds: int, limit: int = 100, allowed: list[str]
    ) -> list[dict[str, Any]]:
        """`getUpdates` as Telegram's JSON, so the inbox keeps each update exactly as sent."""
        data = {
            "offset": offset,
            "timeout": poll_seconds,
            "limit": limit,
            "allowed_updates": allowed,
        }
        read_timeout = (self._request[0].read_timeout or 0) + poll_seconds
        result = await self._post("getUpdates", data, read_timeout=read_timeout)
        return list(result or [])

    async def _send_message(  # type: ignore[override]
        self, endpoint: str, data: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        if isinstance(data.get("text"), str):
            data["text"] = cap(data["text"], MAX_TEXT)
        if isinstance(kwargs.get("caption"), str):
            kwargs["caption"] = cap(kwargs["caption"], MAX_CAPTION)
        chat_id = data.get("chat_id")
        private = isinstance(chat_id, int) and chat_id > 0
        row_id = None
        engine = self._engine
        journal = engine is not None and JOURNAL.get()
        limiter = self.rate_limiter if isinstance(self.rate_limiter, ChatRateLimiter) else None
        if limiter is not None and chat_id is not None and endpoint.startswith(LIMITED_PREFIXES):
            await limiter.wait_turn(chat_id)  # before the journal: a crash while waiting is clean
        if engine is not None and journal and private and endpoint in ENDPOINT_KINDS:
            assert isinstance(chat_id, int)
            row_id = await db.transact(
                engine,
                functools.partial(
                    outbound.begin,
                    chat_id=chat_id,
                    kind=ENDPOINT_KINDS[endpoint],
                    text=data.get("text") or kwargs.get("caption"),
                    update_id=CURRENT_UPDATE.get(),
                    now=datetime.now(UTC),
                    sent_by=SENT_BY.get(),
                ),
            )
        paid = PAID.set(chat_id) if limiter is not None else None
        try:
            result = await super()._send_message(endpoint, data, *args, **kwargs)
        except TimedOut:
            log.warning(
                "%s to chat %s timed out: it may have arrived; not resent", endpoint, chat_id
            )
            await self._settle(row_id, "unconfirmed")
            raise
        except Forbidden:
            if engine is not None and isinstance(chat_id, int) and chat_id > 0:
                log.info("chat %s has blocked the bot; marking the customer blocked", chat_id)
                await db.transact(engine, functools.partial(outbound.blocked, chat_id=chat_id))
            await self._settle(row_id, "failed")
            raise
        except TelegramError:
            await self._settle(row_id, "failed")
            raise
        except BaseException:  # cancelled mid-call: it may have arrived
            await self._settle(row_id, "unconfirmed")
            raise
        finally:
            if paid is not None:
                PAID.reset(paid)
        if isinstance(result, Message) and journal:
            self._journal(endpoint, row_id, result)
        return result

    async def _settle(self, row_id: int | None, delivery: str) -> None:
        if row_id is None or self._engine is None:
            return
        try:
            await db.transact(
                self._engine, functools.partial(outbound.not_sent, row_id=row_id, delivery=delivery)
            )
        except Exception:
            log.exception("could not journal send %s as %s", row_id, delivery)

    def _journal(self, endpoint: str, row_id: int | None, message: Message) -> None:
        """Journal what went out, without waiting for the commit: the message is out, and the
        journal is queued before anything the caller does next (a press on its keyboard, the
        inbox mark of the update it answers), so that finds it committed. A crash before the
        commit leaves the row "sending", which the next start marks unconfirmed."""
        if self._engine is None or message.chat.type != "private":
            return
        kind, text = message_kind(message)
        what = f"record the bot's {endpoint} to chat {message.chat_id}"
        if endpoint.startswith("edit"):
            edited = functools.partial(
                outbound.edited,
                chat_id=message.chat.id,
                telegram_message_id=message.message_id,
                text=text,
                at=message.edit_date or message.date,
            )
            db.transact_soon(self._engine, edited, what)
        elif row_id is not None:
            sent = functools.partial(
                outbound.sent,
                row_id=row_id,
                telegram_message_id=message.message_id,
                sent_at=message.date,
                kind=kind,
                text=text,
            )
            db.transact_soon(self._engine, sent, what)
