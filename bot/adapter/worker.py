"""Processing from the inbox: one lane per chat (in order), chats in parallel (bounded).

A receiver (bot/adapter/polling.py, bot/adapter/webhook.py, or a test) hands raw updates to
`InboxWorker.receive`, which commits them (one transaction a batch) before it returns, so the
receiver may then tell Telegram they arrived. Most customer messages are recorded and done in
that very commit (bot/adapter/receipt.py). Every other update runs in its chat's lane: the
application's shortcut first (bot/adapter/update_run.py) and its answer step, PTB's handlers
for the rest. A database error (locked, down) while handling retries the update with backoff
(the message is safe in the inbox); any other error gives up on it with a log line. Rows are
marked processed as lanes finish them (bot/adapter/inbox_marks.py); an update whose
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

from bot.adapter import db, receipt
from bot.adapter.inbound import chat_of
from bot.adapter.inbox_marks import Marks
from bot.adapter.telegram_bot import CURRENT_UPDATE
from bot.adapter.update_run import (
    SETTLED,
    Shortcut,
    UpdateRun,
    load,
    parse,
    run_handlers,
    run_shortcut,
)
from bot.services import inbox as inbox_service
from storage.inbox import InboxRow

log = logging.getLogger(__name__)

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
        answer: Callable[[int, Any], Awaitable[UpdateRun]] | None = None,
        at_receipt: receipt.AtReceipt | None = None,
    ) -> None:
        self.application = application
        self.engine = engine
        self.lease = lease
        self.clock = clock
        self.on_delay = on_delay  # async callback: tell the customer their answer is delayed
        self.shortcut = shortcut  # the application's way past PTB's handlers (see Shortcut)
        self.answer = answer  # ... and its answer to a message recorded that way
        self.at_receipt = at_receipt  # recording with the inbox commit (bot/adapter/receipt.py)
        self.handled: Callable[[int], Any] | None = None  # called as each update is done
        self._lanes: dict[Any, collections.deque[InboxRow]] = {}
        self._slots = asyncio.Semaphore(parallel)
        self._tasks: set[asyncio.Task[None]] = set()
        self._inflight: set[int] = set()
        self._parsed: dict[int, dict[str, Any]] = {}  # received JSON of queued updates
        self._ready: dict[int, Shortcut] = {}  # recorded at receipt, for the lane to answer
        self._receiving: set[int] = set()  # chats being recorded at receipt now
        self.marks = Marks(engine, lease, clock)
        self._flusher: asyncio.Task[None] | None = None
        self._stopping = False
        self._idle = asyncio.Event()
        self._idle.set()

    # -- receiving ------------------------------------------------------------------------------
    async def receive(self, updates: Sequence[dict[str, Any]]) -> list[InboxRow]:
        """Commit raw updates to the inbox and queue the new ones; raises when the database
        cannot take them (then nothing is confirmed and Telegram keeps them). The plain
        customer messages among them are recorded in that same commit (bot/adapter/receipt.py)
        and are done when this returns."""
        parsed = {u["update_id"]: u for u in updates if isinstance(u.get("update_id"), int)}
        rows = [
            InboxRow(update_id, chat_of(u), json.dumps(u, separators=(",", ":")))
            for update_id, u in parsed.items()
        ]
        now = self.clock()
        early: receipt.Chats = {}
        if self.at_receipt is not None:
            early = receipt.pick(self.at_receipt, parsed, self._busy)
        self._receiving.update(early)
        try:
            new, outcomes = await receipt.commit(self.engine, rows, now, early, self.at_receipt)
        finally:
            self._receiving.difference_update(early)
        queued = []
        for row in new:
            step = outcomes.get(row.update_id)
            if step is not None and step.step == SETTLED:
                if self.handled is not None:
                    self.handled(row.update_id)
                continue
            if step is not None:
                self._ready[row.update_id] = step
            # handled from the JSON in hand, not read back from the payload
            self._parsed.setdefault(row.update_id, parsed[row.update_id])
            queued.append(row)
        self.submit(queued)
        receipt.after(self.at_receipt, outcomes)
        return new

    def _busy(self, chat: int) -> bool:
        return chat in self._lanes or chat in self._receiving

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
        forever = self.marks.flush_forever(self._inflight)
        self._flusher = asyncio.create_task(forever, name="akrab-inbox-flush")

    async def drain(self) -> None:
        """Wait until every queued update is handled and marked processed."""
        await self._idle.wait()
        await self.marks.flush(self._inflight)
        await db.settled(self.engine)  # the journal of what the lanes sent

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
        await self.marks.flush(self._inflight)
        await db.settled(self.engine)

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
                    self.marks.note(row.update_id, why)
                if why != "stopping" and self.handled is not None:
                    self.handled(row.update_id)
            for row in lane:  # stopping: left for the next start
                self._inflight.discard(row.update_id)
                self._parsed.pop(row.update_id, None)
                self._ready.pop(row.update_id, None)
            del self._lanes[key]
        if not self._inflight:
            self._idle.set()

    async def _handle(self, row: InboxRow) -> str | None:
        """Run one update (the shortcut and the answer step, else the handlers) until it is
        handled; why it was not, if so (SETTLED: handled and marked processed already)."""
        data = self._parsed.pop(row.update_id, None) or load(row.update_id, row.payload)
        if isinstance(data, str):
            return data  # why it cannot be read
        token = CURRENT_UPDATE.set(row.update_id)
        started, delay, told = time.monotonic(), 0.1, False
        update: Update | None = None
        ready = self._ready.pop(row.update_id, None)  # recorded at receipt
        try:
            while True:
                step = ready or await run_shortcut(self.shortcut, row.update_id, data)
                ready = None
                if step.step == SETTLED:
                    return SETTLED
                run = None
                if step.step == "answer" and self.answer is not None:
                    run = await self.answer(row.update_id, step.recorded)
                elif step.step in ("answer", "handlers"):  # PTB's handlers
                    update = update or parse(self.application, row.update_id, data)
                    if update is None:
                        return "unreadable: Update"
                    run = await run_handlers(self.application, row.update_id, update, step.recorded)
                if run is not None and not run.retry:
                    return run.gave_up
                if self._stopping:
                    return "stopping"
                if not told and self.on_delay and time.monotonic() - started > NOTICE_AFTER:
                    told = True
                    update = update or parse(self.application, row.update_id, data)
                    if update is not None:
                        await self.on_delay(update)
                await asyncio.sleep(delay)
                delay = min(RETRY_MAX_DELAY, delay * 2)
        finally:
            CURRENT_UPDATE.reset(token)
