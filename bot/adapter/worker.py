"""Processing from the inbox: one lane per chat (in order), chats in parallel (bounded).

A receiver (bot/adapter/polling.py, bot/adapter/webhook.py, or a test) hands raw updates to
`InboxWorker.receive`, which commits them (one transaction a batch) before it returns, so the
receiver may then tell Telegram they arrived. Each update then runs in its chat's lane: the
application's shortcut first (most customer messages are recorded and done there, see
bot/adapter/update_run.py), PTB's handlers for the rest. A database error (locked, down)
while handling retries the update with backoff (the message is safe in the inbox); any other
error gives up on it with a log line. Rows are marked processed in batches; an update whose
processing was cut short by a crash is claimed again at the next start.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from telegram import Update
from telegram.ext import Application

from bot.adapter import db
from bot.adapter.inbound import chat_of
from bot.adapter.telegram_bot import CURRENT_UPDATE
from bot.adapter.update_run import PRERECORDED, RUN, SETTLED, Shortcut, UpdateRun
from bot.services import inbox as inbox_service
from storage import inbox
from storage.inbox import InboxRow

log = logging.getLogger(__name__)

FLUSH_INTERVAL = 0.2  # seconds between batched "processed" marks
RETRY_MAX_DELAY = 1.0  # a retried update waits at most this long between tries
NOTICE_AFTER = 8.0  # seconds of retrying before the customer hears about the delay


class InboxWorker:
    """Lanes over the inbox for one application."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        engine: Engine,
        *,
        parallel: int = 16,
        lease: timedelta = timedelta(seconds=15),
        clock: Callable[[], datetime],
        on_delay: Callable[[Update], Any] | None = None,
        shortcut: Callable[[dict[str, Any]], Awaitable[Shortcut]] | None = None,
    ) -> None:
        self.application = application
        self.engine = engine
        self.lease = lease
        self.clock = clock
        self.on_delay = on_delay  # async callback: tell the customer their answer is delayed
        self.shortcut = shortcut  # the application's way past PTB's handlers (see Shortcut)
        self.handled: Callable[[int], Any] | None = None  # called as each update is done
        self._lanes: dict[Any, collections.deque[InboxRow]] = {}
        self._slots = asyncio.Semaphore(parallel)
        self._tasks: set[asyncio.Task[None]] = set()
        self._inflight: set[int] = set()
        self._parsed: dict[int, dict[str, Any]] = {}  # received JSON of queued updates
        self._done: list[tuple[int, str | None]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._stopping = False
        self._idle = asyncio.Event()
        self._idle.set()
        self._last_renew = time.monotonic()

    # -- receiving ------------------------------------------------------------------------------
    async def receive(self, updates: Sequence[dict[str, Any]]) -> list[InboxRow]:
        """Commit raw updates to the inbox and queue the new ones; raises when the database
        cannot take them (then nothing is confirmed and Telegram keeps them)."""
        parsed = {u["update_id"]: u for u in updates if isinstance(u.get("update_id"), int)}
        rows = [
            InboxRow(update_id, chat_of(u), json.dumps(u, separators=(",", ":")))
            for update_id, u in parsed.items()
        ]
        now = self.clock()
        new = await db.transact(
            self.engine, lambda session: inbox.add_updates(session=session, rows=rows, now=now)
        )
        for row in new:  # handled from the JSON in hand, not read back from the payload
            self._parsed.setdefault(row.update_id, parsed[row.update_id])
        self.submit(new)
        return new

    async def recover(self, *, everything: bool) -> int:
        """Claim and queue unprocessed rows: all of them (`everything`: no other process can
        hold one), or those whose claim went stale."""
        now = self.clock()
        stale_before = now if everything else now - self.lease
        rows = await db.run(
            self.engine, inbox_service.claim, self.engine, now=now, stale_before=stale_before
        )
        if rows:
            log.info("resuming %d update(s) whose processing was interrupted", len(rows))
        self.submit(rows)
        return len(rows)

    def submit(self, rows: Sequence[InboxRow]) -> None:
        for row in rows:
            if row.update_id in self._inflight:
                continue
            self._inflight.add(row.update_id)
            self._idle.clear()
            key = row.chat_id if row.chat_id is not None else ("update", row.update_id)
            lane = self._lanes.get(key)
            if lane is not None:
                lane.append(row)
                continue
            self._lanes[key] = collections.deque([row])
            task = asyncio.create_task(self._run_lane(key), name=f"akrab-lane-{key}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        self._flusher = asyncio.create_task(self._flush_forever(), name="akrab-inbox-flush")

    async def drain(self) -> None:
        """Wait until every queued update is handled and marked processed."""
        await self._idle.wait()
        await self.flush()

    async def stop(self, *, grace: float = 5.0) -> None:
        """Let lanes finish for up to `grace` seconds; what is left stays in the inbox."""
        self._stopping = True
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._flusher is not None:
            self._flusher.cancel()
            await asyncio.gather(self._flusher, return_exceptions=True)
        await self.flush()

    # -- lanes ----------------------------------------------------------------------------------
    async def _run_lane(self, key: Any) -> None:
        async with self._slots:
            lane = self._lanes[key]
            while lane and not self._stopping:
                row = lane[0]
                why = await self._handle(row)
                lane.popleft()
                self._inflight.discard(row.update_id)
                if why not in ("stopping", SETTLED):
                    self._done.append((row.update_id, why))
                if why != "stopping" and self.handled is not None:
                    self.handled(row.update_id)
            for row in lane:  # stopping: left for the next start
                self._inflight.discard(row.update_id)
                self._parsed.pop(row.update_id, None)
            del self._lanes[key]
        if not self._inflight:
            self._idle.set()

    async def _handle(self, row: InboxRow) -> str | None:
        """Run one update (the shortcut, else the handlers) until it is handled; why it was
        not, if so (SETTLED: handled and marked processed already)."""
        data = self._parsed.pop(row.update_id, None)
        try:
            if data is None:
                data = json.loads(row.payload)
            if not isinstance(data, dict):
                raise TypeError("not an object")
        except Exception as exc:
            log.error("update %s cannot be read (%s); skipped", row.update_id, type(exc).__name__)
            return f"unreadable: {type(exc).__name__}"
        token = CURRENT_UPDATE.set(row.update_id)
        started, delay, told = time.monotonic(), 0.1, False
        update: Update | None = None
        try:
            while True:
                step = await self._shortcut(row.update_id, data)
                if step.step == SETTLED:
                    return SETTLED
                if step.step == "handlers":
                    if update is None:
                        update = self._parse(row.update_id, data)
                        if update is None:
                            return "unreadable: Update"
                    run = await self._run_handlers(row.update_id, update, step.recorded)
                    if not run.retry:
                        return run.gave_up
                if self._stopping:
                    return "stopping"
                if not told and self.on_delay and time.monotonic() - started > NOTICE_AFTER:
                    told = True
                    update = update or self._parse(row.update_id, data)
                    if update is not None:
                        await self.on_delay(update)
                await asyncio.sleep(delay)
                delay = min(RETRY_MAX_DELAY, delay * 2)
        finally:
            CURRENT_UPDATE.reset(token)

    async def _run_handlers(self, update_id: int, update: Update, recorded: Any) -> UpdateRun:
        """One pass through PTB's handlers; what the error handler made of it."""
        run = UpdateRun(update_id)
        run_token, pre_token = RUN.set(run), PRERECORDED.set(recorded)
        try:
            await self.application.process_update(update)
        finally:
            PRERECORDED.reset(pre_token)
            RUN.reset(run_token)
        return run

    async def _shortcut(self, update_id: int, data: dict[str, Any]) -> Shortcut:
        if self.shortcut is None:
            return Shortcut("handlers")
        try:
            return await self.shortcut(data)
        except Exception as exc:  # a bug there: the handlers record it, or say what failed
            log.warning("update %s: shortcut failed (%s)", update_id, type(exc).__name__)
            return Shortcut("handlers")

    def _parse(self, update_id: int, data: dict[str, Any]) -> Update | None:
        try:
            return Update.de_json(data, self.application.bot)
        except Exception as exc:
            log.error("update %s cannot be read (%s); skipped", update_id, type(exc).__name__)
            return None

    # -- marking processed ----------------------------------------------------------------------
    async def flush(self) -> None:
        done, self._done = self._done, []
        renew = []
        if time.monotonic() - self._last_renew > self.lease.total_seconds() / 3:
            renew = sorted(self._inflight)
            self._last_renew = time.monotonic()
        if not done and not renew:
            return
        try:
            now = self.clock()
            await db.transact(
                self.engine,
                lambda session: inbox_service.settle(session, done=done, renew=renew, now=now),
            )
        except Exception as exc:  # the database is busy: keep them for the next flush
            log.warning("could not mark %d update(s) processed yet: %s", len(done), exc)
            self._done[:0] = done

    async def _flush_forever(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_INTERVAL)
            await self.flush()
