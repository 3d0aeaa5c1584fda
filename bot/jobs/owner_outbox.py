"""Send what the owners' outbox still has planned: relays and alerts left by a process that
stopped before sending them (the live path wakes the senders itself)."""

from __future__ import annotations

from bot.context import AkrabContext

RESUME_INTERVAL_SECONDS = 30.0


async def resume_job(context: AkrabContext) -> None:
    await context.bot_data.owner_outbox.wake_planned()
