"""The inbox worker's "processed" marks, written in batches (bot/adapter/worker.py).

A lane done with an update notes it here, and the mark is queued in the database thread at
once (not awaited): it goes into the next commit with whatever else is queued then, such as the
journal of the reply just sent, and the marks of every lane in that group are one statement.
A mark that fails is kept for the flush, which every FLUSH_INTERVAL (and when the worker drains
or stops) marks what is kept and renews the claim on the updates still in flight, so another
process does not take them over as abandoned.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from bot.adapter import db
from bot.services import inbox as inbox_service

log = logging.getLogger(__name__)

FLUSH_INTERVAL = 0.2  # seconds between batched "processed" marks


class Marks:
    """Updates handled and not yet marked processed, for one worker."""

    def __init__(self, engine: Engine, lease: timedelta, clock: Callable[[], datetime]) -> None:
        self.engine, self.lease, self.clock = engine, lease, clock
        self.done: list[tuple[int, str | None]] = []  # (update id, why it was not handled)
        self._last_renew = time.monotonic()

    def note(self, update_id: int, why: str | None) -> None:
        """`update_id` is handled (`why` not, if given): mark it processed soon."""
        mark = (update_id, why)
        db.transact_soon(
            self.engine,
            db.Batched(self._mark_all, mark),
            f"mark update {update_id} processed yet",
            failed=lambda: self.done.append(mark),
        )

    def _mark_all(self, session: Session, marks: list[tuple[int, str | None]]) -> list[None]:
        inbox_service.settle(session, done=marks, renew=[], now=self.clock())
        return [None] * len(marks)

    async def flush(self, inflight: Collection[int]) -> None:
        """Mark what is done processed, and renew `inflight` now and then."""
        done, self.done = self.done, []
        renew: list[int] = []
        if time.monotonic() - self._last_renew > self.lease.total_seconds() / 3:
            renew = sorted(inflight)
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
            log.warning(
                "could not mark %d update(s) processed yet: %s", len(done), db.describe(exc)
            )
            self.done[:0] = done

    async def flush_forever(self, inflight: Collection[int]) -> None:
        while True:
            await asyncio.sleep(FLUSH_INTERVAL)
            await self.flush(inflight)
