"""Answering a recorded customer message without PTB's handlers (the inbox worker's "answer"
step).

A plain customer message that asks for an answer (`bot.services.recording.reply_key`: awaited
feedback, a conversation's first complaint or first message) is recorded at receipt or by the
shortcut (bot/handlers/recording.py), which knows the answer already. Parsing the `Update` and
running it through every handler would only find `fallback.any_message` sending that text,
then the live inbox's relay: this sends it straight away, through the same bot (journal, rate
limits, retries), and treats errors as the error handler does (bot/handlers/errors.py).
"""

from __future__ import annotations

import logging
from typing import Any

from bot.adapter.owner_outbox import owner_chat_ids
from bot.adapter.update_run import UpdateRun
from bot.context import BotData
from bot.handlers.errors import tell_chat, verdict
from bot.handlers.owner.relay import is_relayed_kind
from bot.handlers.recording import Prerecorded
from bot.services.recording import reply_key
from bot.texts import t

log = logging.getLogger(__name__)


async def answer(application: Any, update_id: int, pre: Prerecorded) -> UpdateRun:
    """Send the answer recording chose for `pre`; what became of the update (`retry`: the
    database refused the journal, so the whole update runs again later)."""
    data: BotData = application.bot_data
    run = UpdateRun(update_id)
    result, inbound = pre.result, pre.inbound
    if result.recorded.replay:
        log.info("update %s was recorded before a restart; answering it now", update_id)
    key = reply_key(inbound, result)
    language = result.recorded.customer.language
    if key is not None:
        try:
            await application.bot.send_message(inbound.chat_id, t(language, key))
        except Exception as error:
            what = verdict(error, update_id)
            if what == "retry":
                run.retry = True
                return run
            if what == "gave_up":
                run.gave_up = type(error).__name__
                await tell_chat(application.bot, inbound.chat_id, language, "error_later")
    # The live inbox, after the customer's own answer (as group 1 of the handlers does it).
    chats = owner_chat_ids(data.settings)
    if chats and is_relayed_kind(inbound.kind, inbound.text):
        data.owner_outbox.wake(chats)
    return run
