"""Long polling into the inbox: the offset moves only past updates already committed.

`getUpdates` confirms everything below the offset it is called with, so a batch is committed
to the inbox (one transaction) before the next call names an offset past it. When the
database cannot take a batch, the offset stays: Telegram keeps the updates and sends them
again after a backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram.error import Conflict, InvalidToken, TelegramError

from bot.adapter.telegram_bot import AkrabBot
from bot.adapter.worker import InboxWorker

log = logging.getLogger(__name__)

POLL_TIMEOUT = 10  # seconds Telegram holds an empty long poll
BACKOFF_MAX = 10.0


class Backoff:
    """Exponential waits from 0.25 s up to BACKOFF_MAX, cut short by `stop`."""

    def __init__(self) -> None:
        self.delay = 0.25

    def reset(self) -> None:
        self.delay = 0.25

    async def sleep(self, stop: asyncio.Event) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=self.delay)
        self.delay = min(BACKOFF_MAX, self.delay * 2)


async def poll(
    bot: AkrabBot,
    worker: InboxWorker,
    stop: asyncio.Event,
    *,
    allowed: list[str],
    poll_seconds: int = POLL_TIMEOUT,
) -> None:
    """Receive updates until `stop` is set; raises InvalidToken if Telegram refuses the token."""
    offset: int | None = None
    backoff = Backoff()
    while not stop.is_set():
        try:
            batch = await bot.get_raw_updates(
                offset=offset, poll_seconds=poll_seconds, allowed=allowed
            )
        except InvalidToken:
            raise
        except Conflict as exc:
            log.warning("getUpdates conflict (%s): another poller or a webhook; retrying", exc)
            await backoff.sleep(stop)
            continue
        except TelegramError as exc:
            log.warning("getUpdates failed (%s); retrying in %.1f s", exc, backoff.delay)
            await backoff.sleep(stop)
            continue
        if not batch:
            backoff.reset()
            continue
        try:
            await worker.receive(batch)
        except Exception as exc:
            log.error(
                "the database cannot take %d update(s) (%s); Telegram keeps them, retrying in "
                "%.1f s",
                len(batch),
                type(exc).__name__,
                backoff.delay,
            )
            await backoff.sleep(stop)
            continue
        offset = max(int(u["update_id"]) for u in batch) + 1
        backoff.reset()
    if offset is not None:  # confirm the last batch, so a restart does not get it again
        try:
            await bot.get_raw_updates(offset=offset, poll_seconds=0, limit=1, allowed=allowed)
        except TelegramError as exc:
            log.info("could not confirm the last batch (%s): it comes again, once", exc)
