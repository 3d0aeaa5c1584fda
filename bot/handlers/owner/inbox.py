"""Delivering to the owners: which chats (each owner's private chat, or the customer's topic in
the OWNER_CHAT_ID forum), the header of a relay or alert, and the claim-send-confirm of each
delivery so that nothing is delivered twice.

Sends to owners are not customer messages: they go out without the customer journal, through
the bot's rate limiter like every send.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, TelegramError, TimedOut

from bot.adapter import callbacks, db
from bot.adapter.telegram_bot import JOURNAL
from bot.context import AkrabContext
from bot.services import relay as relay_service
from bot.services.relay import RelayInfo
from bot.texts import t

log = logging.getLogger(__name__)

TOPIC_GONE = ("thread not found", "topic_deleted", "topic not found", "topic_id_invalid")
# Send to one owner chat (thread: the customer's topic, or None); the owner-side message id.
Deliver = Callable[[int, int | None], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class OwnerChat:
    chat_id: int
    forum: bool


def owner_lang(context: AkrabContext) -> str:
    """The language of messages the bot starts in owner chats (no owner update to go by)."""
    return context.bot_data.settings.default_language


async def owner_chats(context: AkrabContext) -> list[OwnerChat]:
    """OWNER_CHAT_ID (a forum or not, asked of Telegram once), else every owner's private chat."""
    data = context.bot_data
    chat_id = data.settings.owner_chat_id
    if chat_id is None:
        return [OwnerChat(owner, False) for owner in sorted(data.settings.owner_ids)]
    if data.owner_chat_is_forum is None:
        try:
            chat = await context.bot.get_chat(chat_id)
        except TelegramError as exc:
            log.warning("could not look up OWNER_CHAT_ID %s: %s", chat_id, exc)
            return [OwnerChat(chat_id, False)]
        data.owner_chat_is_forum = bool(getattr(chat, "is_forum", False))
    return [OwnerChat(chat_id, data.owner_chat_is_forum)]


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
        segment_name = t(lang, key) if key in _SEGMENT_KEYS else (customer.segment or "?")
        score = t(lang, "relay_score", ces=f"{customer.ces:.0f}", segment=segment_name)
        if info.trend is not None:
            score += t(lang, "relay_trend", change=f"{info.trend:+.0f}")
    mark = sentiment_mark(info.polarity, complaint)
    return t(lang, "relay_header", mark=mark, name=name, username=username, score=score)


_SEGMENT_KEYS = {
    "segment_new",
    "segment_advocate",
    "segment_potential",
    "segment_at_risk",
    "relay_declining",
}


def alert_buttons(lang: str, customer_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(lang, "button_reply"), callback_data=callbacks.make("o_reply", customer_id)
                ),
                InlineKeyboardButton(
                    t(lang, "button_card"), callback_data=callbacks.make("o_card", customer_id)
                ),
            ]
        ]
    )


async def topic(context: AkrabContext, info: RelayInfo, chat_id: int, *, fresh: bool) -> int:
    """The customer's forum topic in `chat_id`, created on first use (or anew: `fresh`)."""
    data = context.bot_data
    customer = info.customer
    if not fresh:
        found = await db.transact(
            data.engine,
            lambda s: relay_service.topic_of(s, customer_id=customer.id, chat_id=chat_id),
        )
        if found is not None:
            return found
    name = " ".join(filter(None, [customer.first_name, customer.last_name])) or "?"
    if customer.username:
        name += f" @{customer.username}"
    created = await context.bot.create_forum_topic(chat_id, f"{name} #{customer.id}"[:128])
    thread = created.message_thread_id
    now = data.clock()
    await db.transact(
        data.engine,
        lambda s: relay_service.set_topic(
            s, customer_id=customer.id, chat_id=chat_id, thread_id=thread, now=now
        ),
    )
    return thread


async def deliver_once(
    context: AkrabContext, info: RelayInfo, message_id: int | None, deliver: Deliver
) -> int:
    """Deliver to every owner chat once per (`message_id`, chat): claim, send, confirm. How
    many deliveries went out now."""
    data = context.bot_data
    customer_id, delivered = info.customer.id, 0
    for chat in await owner_chats(context):
        now = data.clock()
        relay_id = await db.transact(
            data.engine,
            functools.partial(
                relay_service.claim_relay,
                customer_id=customer_id,
                message_id=message_id,
                owner_chat_id=chat.chat_id,
                now=now,
            ),
        )
        if relay_id is None:
            log.info("message %s was relayed to chat %s before", message_id, chat.chat_id)
            continue
        token = JOURNAL.set(False)
        try:
            owner_message_id = await _send(context, info, chat, deliver)
        except TimedOut:  # it may have arrived: the claim stays, never resent
            log.warning("relay of message %s to chat %s timed out", message_id, chat.chat_id)
            continue
        except TelegramError as exc:
            log.warning("could not relay message %s to chat %s: %s", message_id, chat.chat_id, exc)
            await db.transact(
                data.engine, functools.partial(relay_service.release_relay, relay_id=relay_id)
            )
            continue
        finally:
            JOURNAL.reset(token)
        await db.transact(
            data.engine,
            functools.partial(
                relay_service.confirm_relay, relay_id=relay_id, owner_message_id=owner_message_id
            ),
        )
        delivered += 1
    return delivered


async def _send(context: AkrabContext, info: RelayInfo, chat: OwnerChat, deliver: Deliver) -> int:
    if not chat.forum:
        return await deliver(chat.chat_id, None)
    thread = await topic(context, info, chat.chat_id, fresh=False)
    try:
        return await deliver(chat.chat_id, thread)
    except BadRequest as exc:
        if not any(gone in str(exc).lower() for gone in TOPIC_GONE):
            raise
        log.info("the topic of customer %s was deleted; opening a new one", info.customer.id)
    thread = await topic(context, info, chat.chat_id, fresh=True)
    return await deliver(chat.chat_id, thread)
