"""The owners' outbox: sends planned relays and alerts (table `owner_relay`) to the owner chats,
in the background, one sender per owner chat.

Handling a customer's update only plans the relay (a row), so an owner chat's ~1 message a
second never holds up customers' answers; the sender takes each row ("sending", after which it
is never resent), sends it, and keeps the owner-side message id ("sent") so a reply to it goes
to that customer. What was planned when a process stopped is sent after the next start
(`wake_planned`, from a repeating job). Sends to owners are not customer messages: they skip
the customer journal, and go through the bot's rate limiter like every send.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

from sqlalchemy import Engine
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, TelegramError, TimedOut

from bot.adapter import callbacks, db
from bot.adapter.relay_send import Envelope, send_relay
from bot.adapter.telegram_bot import JOURNAL
from bot.config import Settings
from bot.services import relay as relay_service
from bot.services.relay import RelayInfo
from bot.texts import t
from storage.relay import RelayJob

log = logging.getLogger(__name__)

TOPIC_GONE = ("thread not found", "topic_deleted", "topic not found", "topic_id_invalid")
ALERT_KEYS = {"csat": "alert_csat", "nps": "alert_nps", "resolved": "alert_unresolved"}
SEGMENT_KEYS = {"segment_new", "segment_advocate", "segment_potential", "segment_at_risk"}


def owner_chat_ids(settings: Settings) -> list[int]:
    """Where relays go: OWNER_CHAT_ID, else every owner's private chat."""
    if settings.owner_chat_id is not None:
        return [settings.owner_chat_id]
    return sorted(settings.owner_ids)


def sentiment_mark(polarity: float | None, complaint: float) -> str:
    if polarity is None:
        return "💬"
    if polarity <= complaint:
        return "😡"
    if polarity < -0.05:
        return "😟"
    return "😊" if polarity > 0.05 else "😐"


def header(lang: str, info: RelayInfo, complaint: float) -> str:
    """One line: mood, name, @username, CES, segment and trend."""
    customer = info.customer
    if customer.telegram_id is None:
        name = t(lang, "customer_erased")
    else:
        name = " ".join(filter(None, [customer.first_name, customer.last_name])) or "?"
    username = f" (@{customer.username})" if customer.username else ""
    if customer.ces is None:
        score = t(lang, "relay_no_score")
    else:
        key = "relay_declining" if customer.declining else f"segment_{customer.segment}"
        known = key in SEGMENT_KEYS or key == "relay_declining"
        segment = t(lang, key) if known else (customer.segment or "?")
        score = t(lang, "relay_score", ces=f"{customer.ces:.0f}", segment=segment)
        if info.trend is not None:
            score += t(lang, "relay_trend", change=f"{info.trend:+.0f}")
    mark = sentiment_mark(info.polarity, complaint)
    return t(lang, "relay_header", mark=mark, name=name, username=username, score=score)


def alert_buttons(lang: str, customer_id: int) -> InlineKeyboardMarkup:
    reply = callbacks.make("o_reply", customer_id)
    card = callbacks.make("o_card", customer_id)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t(lang, "button_reply"), callback_data=reply),
                InlineKeyboardButton(t(lang, "button_card"), callback_data=card),
            ]
        ]
    )


def alert_line(lang: str, job: RelayJob, info: RelayInfo, complaint: float) -> str | None:
    """The alert's first line: a low rating or "not resolved" (the press), or a complaint."""
    if job.kind == "callback":
        try:
            press = callbacks.parse(job.text)
        except callbacks.InvalidCallback:
            return None
        key = ALERT_KEYS.get(press.action)
        return None if key is None else t(lang, key, score=press.value)
    if info.polarity is not None and info.polarity <= complaint:
        return t(lang, "alert_complaint", polarity=f"{info.polarity:+.2f}")
    return None


class OwnerOutbox:
    """Background senders of planned owner relays, one per owner chat (see the module)."""

    def __init__(self, bot: Any, engine: Engine, settings: Settings, clock: Any) -> None:
        self.bot, self.engine, self.settings, self.clock = bot, engine, settings, clock
        self.forum: bool | None = None  # whether OWNER_CHAT_ID is a forum (asked once)
        self._dirty: set[int] = set()
        self._running: dict[int, asyncio.Task[None]] = {}

    def wake(self, chat_ids: list[int]) -> None:
        """Send what is planned for these chats (a sender already running picks it up)."""
        for chat_id in chat_ids:
            self._dirty.add(chat_id)
            if chat_id not in self._running:
                task = asyncio.get_running_loop().create_task(self._run(chat_id))
                self._running[chat_id] = task

    async def wake_planned(self) -> None:
        """Wake the chats that have planned relays (left by a stopped process, say)."""
        self.wake(await db.transact(self.engine, relay_service.chats_with_planned))

    async def stop(self) -> None:
        """Stop the senders (at shutdown): a relay being sent stays "sending" (maybe
        delivered), the rest stay planned for the next start."""
        tasks = list(self._running.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def drain(self) -> None:
        """Wait until every sender is done (tests, shutdown)."""
        while self._running:
            await asyncio.gather(*list(self._running.values()), return_exceptions=True)

    async def _run(self, chat_id: int) -> None:
        try:
            while chat_id in self._dirty:
                self._dirty.discard(chat_id)
                while jobs := await db.transact(
                    self.engine,
                    functools.partial(relay_service.planned_relays, owner_chat_id=chat_id),
                ):
                    for job in jobs:
                        await self._send_job(job)
        except Exception:  # the database went away: the rows stay planned for the next wake
            log.exception(
                "the owner outbox of chat %s stopped; it resumes on the next wake", chat_id
            )
        finally:
            del self._running[chat_id]

    async def _send_job(self, job: RelayJob) -> None:
        info = await db.transact(
            self.engine,
            functools.partial(
                relay_service.start_relay,
                relay_id=job.relay_id,
                customer_id=job.customer_id,
                message_id=None if job.kind == "callback" else job.message_id,
                owner_chat_id=job.owner_chat_id,
                now=self.clock(),
            ),
        )
        if info is None:
            return  # another process took it
        token = JOURNAL.set(False)
        try:
            owner_message_id = await self._deliver(job, info)
        except TimedOut:  # it may have arrived: stays "sending", never resent
            log.warning("relay %s to chat %s timed out", job.relay_id, job.owner_chat_id)
            return
        except TelegramError as exc:
            log.warning("relay %s to chat %s refused: %s", job.relay_id, job.owner_chat_id, exc)
            await db.transact(
                self.engine, functools.partial(relay_service.fail_relay, relay_id=job.relay_id)
            )
            return
        finally:
            JOURNAL.reset(token)
        confirm = functools.partial(
            relay_service.confirm_relay, relay_id=job.relay_id, owner_message_id=owner_message_id
        )
        await db.transact(self.engine, confirm)

    async def _deliver(self, job: RelayJob, info: RelayInfo) -> int:
        chat_id = job.owner_chat_id
        if not await self._is_forum(chat_id):
            return await self._send(job, info, None)
        thread = await self._topic(info, chat_id, fresh=False)
        try:
            return await self._send(job, info, thread)
        except BadRequest as exc:
            if not any(gone in str(exc).lower() for gone in TOPIC_GONE):
                raise
            log.info("the topic of customer %s was deleted; opening a new one", job.customer_id)
        return await self._send(job, info, await self._topic(info, chat_id, fresh=True))

    async def _send(self, job: RelayJob, info: RelayInfo, thread: int | None) -> int:
        # The owner's own language in their private chat; the shop's in a shared group.
        lang = info.owner_language or self.settings.default_language
        complaint = self.settings.complaint_polarity
        head = header(lang, info, complaint)
        alert = alert_line(lang, job, info, complaint)
        markup = None if alert is None else alert_buttons(lang, job.customer_id)
        head = head if alert is None else f"{alert}\n{head}"
        return await send_relay(self.bot, job, Envelope(head, lang, markup, thread))

    async def _is_forum(self, chat_id: int) -> bool:
        if chat_id != self.settings.owner_chat_id:
            return False
        if self.forum is None:
            try:
                chat = await self.bot.get_chat(chat_id)
            except TelegramError as exc:
                log.warning("could not look up OWNER_CHAT_ID %s: %s", chat_id, exc)
                return False
            self.forum = bool(getattr(chat, "is_forum", False))
        return self.forum

    async def _topic(self, info: RelayInfo, chat_id: int, *, fresh: bool) -> int:
        """The customer's forum topic in `chat_id`, created on first use (or anew: `fresh`)."""
        customer = info.customer
        if not fresh:
            found = await db.transact(
                self.engine,
                functools.partial(relay_service.topic_of, customer_id=customer.id, chat_id=chat_id),
            )
            if found is not None:
                return found
        name = " ".join(filter(None, [customer.first_name, customer.last_name])) or "?"
        if customer.username:
            name += f" @{customer.username}"
        created = await self.bot.create_forum_topic(chat_id, f"{name} #{customer.id}"[:128])
        thread = int(created.message_thread_id)
        store = functools.partial(
            relay_service.set_topic,
            customer_id=customer.id,
            chat_id=chat_id,
            thread_id=thread,
            now=self.clock(),
        )
        await db.transact(self.engine, store)
        return thread
