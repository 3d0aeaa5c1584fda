"""Keep each active customer's current CES fresh without slowing down message handling.

The recording step only notes the customer's id (a set insert); a repeating job refreshes the
noted customers every few seconds in a worker thread, through the same per-customer path as
`akrab customer` (`bot.services.ces_runs.refresh_customer`).
"""

from __future__ import annotations

import asyncio
import logging

from bot.context import AkrabContext, BotData
from bot.services.ces_runs import refresh_customer

log = logging.getLogger(__name__)

REFRESH_INTERVAL_SECONDS = 5.0


def refresh_pending(data: BotData) -> int:
    """Refresh every noted customer's CES; returns how many were refreshed."""
    pending, data.pending_refresh = data.pending_refresh, set()
    if not pending:
        return 0
    cfg, now = data.settings.ces_config, data.clock()
    for customer_id in sorted(pending):
        try:
            refresh_customer(
                data.engine, cfg, customer_id, now=now, timezone=data.settings.timezone
            )
        except Exception:  # one customer's failure must not stop the others
            log.exception("could not refresh the CES of customer %s", customer_id)
            data.pending_refresh.add(customer_id)
    return len(pending)


async def refresh_job(context: AkrabContext) -> None:
    """The repeating job: refresh off the event loop, so replies are never held up."""
    await asyncio.to_thread(refresh_pending, context.bot_data)
