"""Planning deliveries to the owners: a relay or alert is a row per owner chat (once per
customer message or button press), sent in the background by the owners' outbox
(bot/adapter/owner_outbox.py), so customers' answers never wait for an owner chat."""

from __future__ import annotations

import functools
import logging

from bot.adapter import db
from bot.adapter.owner_outbox import owner_chat_ids
from bot.context import AkrabContext
from bot.services import relay as relay_service

log = logging.getLogger(__name__)


async def plan(context: AkrabContext, customer_id: int, message_id: int) -> int:
    """Plan the relay of recorded message `message_id` to every owner chat, once; wake the
    senders. How many deliveries were planned now (0: planned before, or no owners)."""
    data = context.bot_data
    chats = owner_chat_ids(data.settings)
    if not chats:
        return 0
    planned = await db.transact(
        data.engine,
        functools.partial(
            relay_service.plan_relays,
            customer_id=customer_id,
            message_id=message_id,
            owner_chat_ids=chats,
            now=data.clock(),
        ),
    )
    if not planned:
        log.info("message %s was planned for the owners before", message_id)
    data.owner_outbox.wake(chats)  # also sends what a stopped run planned and never sent
    return planned
