"""The outreach jobs (leader only): the dispatcher's tick and response tracking.

A repeating job (every DISPATCH_INTERVAL_SECONDS) starts the dispatch loop
(`bot.jobs.dispatcher.Dispatcher`: it sends what is due in the outbox, one at a time) when it
is not running; another (every RESPONSES_INTERVAL_SECONDS) marks the automated messages
customers answered. `send_due_now` does both at once for a virtual clock.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.adapter import db
from bot.context import AkrabContext
from bot.jobs.dispatcher import Dispatcher
from bot.services import outreach_admin

log = logging.getLogger(__name__)

DISPATCH_INTERVAL_SECONDS = 1.0
RESPONSES_INTERVAL_SECONDS = 60.0


async def dispatch_job(context: AkrabContext) -> None:
    job = context.job
    assert job is not None
    dispatcher = job.data
    assert isinstance(dispatcher, Dispatcher)
    await dispatcher.tick()


async def responses_job(context: AkrabContext) -> None:
    """Mark automated messages a customer answered within RESPONSE_WINDOW (set-based)."""
    data = context.bot_data
    marked = await db.run(
        data.engine,
        outreach_admin.track_responses,
        data.engine,
        now=data.clock(),
        window=data.settings.response_window,
    )
    if marked:
        log.info("outreach: %d message(s) answered", marked)


async def send_due_now(application: Any) -> None:
    """Send everything due at the application's clock, unpaced, then mark responses: what the
    leader's jobs do over time, at once (`akrab shell`'s `!advance`, `akrab demo`)."""
    dispatcher = Dispatcher(application, active=lambda: True, paced=False)
    await dispatcher.recover()
    await dispatcher.run()
    data = application.bot_data
    await db.run(
        data.engine,
        outreach_admin.track_responses,
        data.engine,
        now=data.clock(),
        window=data.settings.response_window,
    )


def register(application: Any) -> None:
    queue = application.job_queue
    queue.run_repeating(
        dispatch_job,
        interval=DISPATCH_INTERVAL_SECONDS,
        first=DISPATCH_INTERVAL_SECONDS,
        name="outreach-dispatch",
        data=Dispatcher(application),
    )
    queue.run_repeating(
        responses_job,
        interval=RESPONSES_INTERVAL_SECONDS,
        first=RESPONSES_INTERVAL_SECONDS,
        name="outreach-responses",
    )
