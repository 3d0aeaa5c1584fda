"""Scheduled callbacks: thin, each calling a service off the event loop.

`register` adds them to PTB's JobQueue. Jobs that must run once for the whole shop (pruning,
and later the planners and the dispatcher) run only in the leader process; per-process work
(refreshing the CES of customers this process just recorded) runs everywhere.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.jobs import housekeeping, owner_outbox, planning, score_refresh
from bot.jobs import outreach as outreach_jobs


def register(
    application: Application[Any, Any, Any, Any, Any, Any], settings: Settings, *, leader: bool
) -> None:
    queue = application.job_queue
    if queue is None:
        return
    queue.run_repeating(
        score_refresh.refresh_job,
        interval=score_refresh.REFRESH_INTERVAL_SECONDS,
        first=score_refresh.REFRESH_INTERVAL_SECONDS,
        name="ces-refresh",
    )
    if leader:
        queue.run_repeating(
            housekeeping.prune_inbox_job,
            interval=housekeeping.PRUNE_INTERVAL_SECONDS,
            first=60,
            name="inbox-prune",
        )
        queue.run_repeating(
            planning.plan_job,
            interval=planning.PLAN_INTERVAL_SECONDS,
            first=5,
            name="outreach-plan",
        )
        outreach_jobs.register(application)  # the dispatcher and response tracking
        queue.run_repeating(
            owner_outbox.resume_job,
            interval=owner_outbox.RESUME_INTERVAL_SECONDS,
            first=5,
            name="owner-outbox-resume",
        )
