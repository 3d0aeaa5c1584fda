"""Leader-only upkeep: processed inbox rows go after INBOX_RETENTION."""

from __future__ import annotations

import logging

from bot.adapter import db
from bot.context import AkrabContext
from bot.services import inbox

log = logging.getLogger(__name__)

PRUNE_INTERVAL_SECONDS = 3600.0


async def prune_inbox_job(context: AkrabContext) -> None:
    data = context.bot_data
    before = data.clock() - data.settings.inbox_retention
    pruned = await db.run(data.engine, inbox.prune, data.engine, processed_before=before)
    if pruned:
        log.info("pruned %d processed inbox update(s)", pruned)
