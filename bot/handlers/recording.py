"""Group -1: record every update from a private chat exactly once, before anything replies.

The recording itself (sentiment, customer, message, and the message's relay to the owners: one
commit) is `bot.services.recording` and `bot.handlers.owner.relay.record_and_plan`,
run off the event loop. A message recorded before stops here, so nothing is recorded or
answered twice; an update whose earlier run died before answering is handled again as it
would have been then. Owners are not customers: nothing of theirs is recorded or scored.
"""

from __future__ import annotations

import collections
import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session
from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.adapter import db
from bot.adapter.inbound import extract
from bot.adapter.owner_outbox import owner_chat_ids
from bot.adapter.telegram_bot import CURRENT_UPDATE
from bot.adapter.update_run import PRERECORDED, Shortcut
from bot.context import AkrabContext, BotData
from bot.handlers.owner import relay as owner_relay
from bot.handlers.owner.replies import owner_message
from bot.services import relay as relay_service
from bot.services.recording import (
    Inbound,
    Recording,
    answer_due,
    is_new_customer,
    language_of,
    reply_key,
)

log = logging.getLogger(__name__)


async def remember_owner_language(context: AkrabContext, owner_id: int, code: str | None) -> None:
    """Keep the owner's language for what is sent to them unasked (relays, alerts)."""
    data = context.bot_data
    if not code:
        return  # Telegram did not say: DEFAULT_LANGUAGE, as for their commands
    language = language_of(code, default=data.settings.default_language)
    if data.owner_languages.get(owner_id) == language:
        return  # nothing new to keep (the table is the truth; this only saves writes)
    remember = functools.partial(
        relay_service.remember_owner_language,
        owner_id=owner_id,
        language=language,
        now=data.clock(),
    )
    try:
        await db.transact(data.engine, remember)
    except Exception as exc:  # never in the way of the owner's command
        log.warning("could not keep the language of owner %s: %s", owner_id, type(exc).__name__)
        return
    data.owner_languages[owner_id] = language


def customer_message(data: BotData, payload: Mapping[str, Any]) -> Inbound | None:
    """A customer's message (not a command, not a press, not an owner's), as plain values."""
    inbound = extract(payload, data.clock())
    if inbound is None or inbound.kind in {"command", "callback"}:
        return None
    if inbound.user_id in data.settings.owner_ids:
        return None
    return inbound


async def shortcut(application: Any, payload: Mapping[str, Any]) -> Shortcut:
    """The inbox worker's way for most updates: a customer's message in their private chat
    (not a command, not a press) is recorded here, from its JSON, as `record_update` would;
    when it asks for no answer (`answer_due`), it is marked processed in the same commit and
    never goes through PTB's handlers (parsing an `Update` alone costs more than recording
    it); one to answer is answered by bot/handlers/direct.py. Anything else goes through the
    handlers."""
    data: BotData = application.bot_data
    inbound = customer_message(data, payload)
    if inbound is None:
        return Shortcut("handlers")
    update_id = payload.get("update_id")
    try:
        result = await _record(data, inbound, update_id, settle=True)
    except db.RETRYABLE_ERRORS as exc:
        log.warning(
            "database busy while recording update %s (%s); retrying", update_id, db.describe(exc)
        )
        return Shortcut("retry")
    step = _outcome(update_id, inbound, result)  # settled: marked processed with it
    _settled(data, {update_id: step})
    return step


class AtReceipt:
    """The shortcut's recording, done in the inbox commit of the batch itself (see
    bot/adapter/receipt.py): each chat's messages in order, a wave of one message per chat
    at a time (`record_and_plan_many`), until one asks for an answer."""

    def __init__(self, application: Any) -> None:
        self.application = application

    def pick(self, payload: dict[str, Any]) -> Inbound | None:
        return customer_message(self.application.bot_data, payload)

    def record(
        self, session: Session, chats: list[list[tuple[int, Inbound]]]
    ) -> dict[int, Shortcut]:
        data: BotData = self.application.bot_data
        owners, now = tuple(owner_chat_ids(data.settings)), data.clock()
        outcomes: dict[int, Shortcut] = {}
        waiting = [collections.deque(chat) for chat in chats]
        while waiting:
            wave = [chat.popleft() for chat in waiting]
            items = [
                owner_relay.RecordItem(inbound, update_id, owners, now, data.settings, True)
                for update_id, inbound in wave
            ]
            results = owner_relay.record_and_plan_many(session, items)
            for (update_id, inbound), result in zip(wave, results, strict=True):
                outcomes[update_id] = _outcome(update_id, inbound, result)
            # A chat whose message is to be answered stops: its lane answers it, then takes
            # the chat's next updates.
            waiting = [
                chat
                for chat, (update_id, _) in zip(waiting, wave, strict=True)
                if chat and outcomes[update_id].step == "settled"
            ]
        return outcomes

    def after(self, outcomes: dict[int, Shortcut]) -> None:
        data: BotData = self.application.bot_data
        for step in outcomes.values():
            if isinstance(step.recorded, Prerecorded):
                data.pending_refresh.add(step.recorded.result.recorded.customer.id)
        _settled(data, outcomes)


def _settled(data: BotData, outcomes: Mapping[Any, Shortcut]) -> None:
    """For the messages recorded and done without the handlers: the owners' outbox sends
    their relays (planned with the recording) now."""
    relayed = False
    for update_id, step in outcomes.items():
        pre = step.recorded
        if step.step != "settled" or not isinstance(pre, Prerecorded):
            continue
        if pre.result.recorded.replay:
            log.info("update %s was recorded before a restart; nothing to answer", update_id)
        relayed = relayed or owner_relay.is_relayed_kind(pre.inbound.kind, pre.inbound.text)
    chats = owner_chat_ids(data.settings)
    if relayed and chats:
        data.owner_outbox.wake(chats)


def _outcome(update_id: Any, inbound: Inbound, result: Recording | None) -> Shortcut:
    if result is None or result.recorded.message_id is None:
        return Shortcut("settled")  # an edit, or recorded and handled before
    pre = Prerecorded(update_id, inbound, result)
    # To answer: bot/handlers/direct.py (PTB's handlers where the worker has no answer step).
    return Shortcut("answer" if answer_due(inbound, result) else "settled", pre)


@dataclass(frozen=True, slots=True)
class Prerecorded:
    """A message the shortcut recorded, for `record_update` to take as it is."""

    update_id: Any
    inbound: Inbound
    result: Recording


async def record_update(update: Update, context: AkrabContext) -> None:
    """Record the update's customer and message; stop duplicates and edits here."""
    data = context.bot_data
    pre = PRERECORDED.get()
    if isinstance(pre, Prerecorded) and pre.update_id == update.update_id:
        _learned(context, pre.inbound, pre.result)
        return
    inbound = extract(update, data.clock())
    if inbound is None:
        return
    if inbound.user_id in data.settings.owner_ids:
        # Owners are not customers: their commands and buttons go to the owner console
        # (group 0, behind the owner gate); anything else is an answer to a customer (or a
        # hint how to answer one), never recorded as a customer's.
        await remember_owner_language(context, inbound.user_id, inbound.language_code)
        if update.callback_query is not None or inbound.kind == "command":
            return
        await owner_message(update, context)
        raise ApplicationHandlerStop
    result = await _record(data, inbound, update.update_id, settle=False)
    if result is None:
        raise ApplicationHandlerStop
    _learned(context, inbound, result)


async def _record(
    data: BotData, inbound: Inbound, update_id: int | None, *, settle: bool
) -> Recording | None:
    """Record a customer's update; None for an edit (recorded, never answered again) or a
    message recorded and handled before. Batched: the updates other lanes are recording now
    go in the same few statements, and each message's relay to the owners (the live inbox) in
    the same commit (and with `settle`, the inbox mark of one that asks for no answer)."""
    chats = tuple(owner_chat_ids(data.settings))
    item = owner_relay.RecordItem(inbound, update_id, chats, data.clock(), data.settings, settle)
    result = await db.transact_batched(data.engine, owner_relay.record_and_plan_many, item)
    recorded = result.recorded if result else None
    if result is None or recorded is None or recorded.message_id is None:
        if recorded is not None:
            log.info("update %s was already recorded and handled; skipping it", update_id)
        return None
    data.pending_refresh.add(recorded.customer.id)
    return result


def _learned(context: AkrabContext, inbound: Inbound, result: Recording) -> None:
    """What the handlers after recording need to know of it."""
    recorded = result.recorded
    if recorded.replay:
        log.info("update %s was recorded before a restart; answering it now", CURRENT_UPDATE.get())
    context.customer = recorded.customer
    context.recorded_message_id = recorded.message_id
    context.new_customer = is_new_customer(inbound, result)
    context.reply_key = reply_key(inbound, result)
