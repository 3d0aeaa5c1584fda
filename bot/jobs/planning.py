"""The outreach planners' repeating job (leader only): plan what is due, off the event loop.

What to send lives in the `outreach` table; this job only fills it (the dispatcher sends).
"""

from __future__ import annotations

import logging

from bot.adapter import db
from bot.context import AkrabContext
from bot.services.planning import Summary, plan
from storage.db import session_scope

log = logging.getLogger(__name__)

PLAN_INTERVAL_SECONDS = 60.0


async def plan_job(context: AkrabContext) -> Summary:
    """Run every planner at the bot's clock time in a worker thread."""
    data = context.bot_data
    now = data.clock()

    def work() -> Summary:
        with session_scope(data.engine) as session:
            return plan(session, data.settings, now)

    return await db.run(data.engine, work)
