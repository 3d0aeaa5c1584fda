"""The outreach dispatcher (leader only): sends what is due in the outbox, one at a time.

A repeating job (`bot.jobs.outreach`, every DISPATCH_INTERVAL_SECONDS) starts the dispatch loop
when it is not running. The loop leases due rows (bot/services/dispatch.py applies the rules),
then for each: waits for its slot at OUTREACH_RATE, moves it to `sending` (committed), and
sends it through the bot, so the send journal records it once as an outbound message of that
customer and the ChatRateLimiter keeps Telegram's limits. One send at a time: a kill leaves at
most one row `sending`, which start-up turns `unconfirmed` (never resent by itself).

Faults: 429 -> back to planned after `retry_after`, not counted; 5xx / network -> planned with
backoff, `failed` after MAX_ATTEMPTS; timeout -> `unconfirmed`; Forbidden -> the customer is
marked blocked (by the bot object) and the row `failed`; another refusal (400) -> `failed`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.adapter import db
from bot.adapter.keyboards import outreach_markup
from bot.adapter.ratelimit import NO_RETRY, retry_seconds
from bot.adapter.telegram_bot import JOURNAL, MAX_TEXT, cap
from bot.services import dispatch
from bot.services import dispatch_send as send_
from storage.outreach import Due

# The outreach jobs' logger, as before the dispatcher had a module of its own: lines read the same.
log = logging.getLogger("bot.jobs.outreach")

MAX_RETRY_PAUSE = 60.0
CATCH_UP = 1.0  # seconds of slots a slow send may leave to be made up


class Dispatcher:
    """One per process (kept in the job's data): the loop task, its pacing, the recovery."""

    def __init__(
        self,
        application: Any,
        *,
        active: Callable[[], bool] | None = None,
        paced: bool = True,
    ) -> None:
        self.application = application
        self.paced = paced  # False: a virtual clock (the shell, the demo) sends at once
        self.active = active or (lambda: bool(application.running))
        data = application.bot_data
        self.settings, self.engine, self.clock = data.settings, data.engine, data.clock
        self.rules = dispatch.rules_from(self.settings)
        self.rate = min(30.0, float(self.settings.outreach_rate))
        self.started = self.clock()  # rows `sending` from before this are a dead process's
        self.recovered = False
        self.task: asyncio.Task[None] | None = None
        self._next_slot = 0.0
        self._done: send_.Sent | None = None  # sent, its row not yet marked so

    async def tick(self) -> None:
        await self.recover()
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run_logged(), name="outreach-dispatch")

    async def _run_logged(self) -> None:
        try:
            await self.run()
        except Exception as exc:  # the database is busy or away: the next tick tries again
            log.warning("outreach dispatch stopped (%s); retrying", type(exc).__name__)

    async def recover(self) -> None:
        """Once, before the first claim: rows a dead process left `sending` -> unconfirmed."""
        if not self.recovered:
            count = await db.run(self.engine, send_.recover, self.engine, before=self.started)
            self.recovered = True
            if count:
                log.warning("%d outreach message(s) were being sent at a stop: unconfirmed", count)

    async def run(self) -> None:
        """Lease and send until nothing is due (or the bot stops)."""
        while self.active():
            batch = await db.run(
                self.engine,
                dispatch.claim,
                self.engine,
                rules=self.rules,
                now=self.clock(),
                limit=max(1, int(self.rate * 2)),
            )
            for key, count in batch.settled.items():
                log.info("outreach: %d row(s) %s", count, key)
            if not batch.send and not batch.settled:
                return
            try:
                for row in batch.send:
                    if not self.active():
                        return
                    await self._pace()
                    await self.send(row)
            finally:
                await self.flush()

    async def _pace(self) -> None:
        """Slots 1/OUTREACH_RATE apart; a send slower than its slot is made up by the next
        ones (up to CATCH_UP seconds behind), so the average keeps the rate. The bot's
        ChatRateLimiter still holds every second to Telegram's limit."""
        if not self.paced:
            return
        now = time.monotonic()
        slot = max(now - CATCH_UP, self._next_slot)
        self._next_slot = slot + 1.0 / self.rate
        if slot > now:
            await asyncio.sleep(slot - now)

    async def send(self, row: Due) -> str:
        """Send one leased row; the status it ended in."""
        engine, clock = self.engine, self.clock
        assert row.chat_id is not None
        text = cap(row.text, MAX_TEXT)
        done = self._done  # stays set (for the flush) if this transaction fails
        started, journal = await db.run(
            engine,
            send_.start,
            engine,
            row.id,
            now=clock(),
            chat_id=row.chat_id,
            text=text,
            done=done,
        )
        self._done = None
        if not started:
            return "taken"  # someone else moved it (another process, a cancel)
        markup = outreach_markup(row.kind, row.language)
        tokens = NO_RETRY.set(True), JOURNAL.set(False)  # journalled here, with the outbox row
        try:
            message = await self.application.bot.send_message(
                row.chat_id, text, reply_markup=markup
            )
        except RetryAfter as exc:
            wait = retry_seconds(exc)
            log.info("outreach %s: Telegram asked to wait %.0f s; requeued", row.id, wait)
            await self._retry(row, journal, f"RetryAfter: {wait:.0f}", retry_after=wait)
            await asyncio.sleep(min(wait, MAX_RETRY_PAUSE))
            return "planned"
        except TimedOut:
            return await self._unsent(row, journal, "unconfirmed", "TimedOut: may have arrived")
        except Forbidden as exc:  # the bot object has marked the customer blocked
            return await self._unsent(row, journal, "failed", f"Forbidden: {exc.message}")
        except BadRequest as exc:
            return await self._unsent(row, journal, "failed", f"BadRequest: {exc.message}")
        except NetworkError as exc:
            status = await self._retry(row, journal, f"{type(exc).__name__}: {exc.message}")
            log.warning("outreach %s: %s (%s)", row.id, type(exc).__name__, status)
            return status
        except TelegramError as exc:
            error = f"{type(exc).__name__}: {exc.message}"
            return await self._unsent(row, journal, "failed", error)
        except BaseException:  # cancelled or broken mid-call: it may have arrived
            with contextlib.suppress(Exception):
                await self._unsent(row, journal, "unconfirmed", "interrupted during the call")
            raise
        finally:
            NO_RETRY.reset(tokens[0])
            JOURNAL.reset(tokens[1])
        # committed with the next row's start (one transaction, so never two rows `sending`)
        self._done = send_.Sent(row.id, journal, message.message_id, clock(), text)
        return "sent"

    async def flush(self) -> None:
        """Commit the last send as sent (the end of a batch)."""
        done, self._done = self._done, None
        if done is not None:
            await db.run(self.engine, send_.finish_sent, self.engine, done)

    async def _retry(
        self, row: Due, journal: int | None, error: str, retry_after: float | None = None
    ) -> str:
        return await db.run(
            self.engine,
            send_.retry_later,
            self.engine,
            row.id,
            journal,
            now=self.clock(),
            attempts=row.attempts + 1,
            error=error[:500],
            retry_after=retry_after,
        )

    async def _unsent(self, row: Due, journal: int | None, status: str, error: str) -> str:
        log.warning("outreach %s: %s (%s)", row.id, status, error.split(":")[0])
        await db.run(
            self.engine,
            send_.unsent,
            self.engine,
            row.id,
            journal,
            now=self.clock(),
            status=status,
            error=error[:500],
        )
        return status
