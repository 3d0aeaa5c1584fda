"""Database work off the event loop, through one executor per engine.

SQLite takes one writer at a time: writers in several threads would wait on each other in
SQLite's busy handler (sleeps of milliseconds), so on SQLite every call goes through a single
thread, in order. PostgreSQL gets a small pool, as its connections work in parallel.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session

from bot.adapter.checkpoints import Checkpoints
from storage.db import session_scope

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

POOL_THREADS = 8
# A database that is busy or away: the update is safe in the inbox and is handled again.
RETRYABLE_ERRORS = (OperationalError, InterfaceError, PoolTimeout)


def describe(error: BaseException) -> str:
    """A short description of a database error for a log line: the driver's first line, never
    the SQL or the values it carried (names, texts)."""
    orig = getattr(error, "orig", None) or error
    return (str(orig).splitlines() or [type(orig).__name__])[0][:200]


_executors: dict[int, ThreadPoolExecutor] = {}
_lock = threading.Lock()


def executor_for(engine: Engine) -> ThreadPoolExecutor:
    with _lock:
        executor = _executors.get(id(engine))
        if executor is None:
            threads = 1 if engine.dialect.name == "sqlite" else POOL_THREADS
            executor = ThreadPoolExecutor(threads, thread_name_prefix="akrab-db")
            _executors[id(engine)] = executor
        return executor


async def run(engine: Engine, work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`work(*args, **kwargs)` in the engine's database thread(s)."""
    loop = asyncio.get_running_loop()
    call: Callable[[], Any] = functools.partial(work, *args, **kwargs)
    return await loop.run_in_executor(executor_for(engine), call)  # type: ignore[no-any-return]


def close(engine: Engine) -> None:
    """Finish queued work and stop the engine's threads (at shutdown)."""
    with _lock:
        executor = _executors.pop(id(engine), None)
        group = _groups.pop(id(engine), None)
    if executor is not None:
        executor.shutdown(wait=True)
    if group is not None:
        group.checkpoints.close()


@dataclass(frozen=True, slots=True)
class Batched:
    """One `item` for `work(session, items) -> results`, which takes the items of every caller
    in a group at once (one result per item, in order)."""

    work: Callable[[Session, list[Any]], list[Any]]
    item: Any


Work = Callable[[Session], Any] | Batched
Queued = tuple[Work, asyncio.Future[Any]]


class GroupCommit:
    """Transactions of many callers in one commit (SQLite's commit is most of a small write).

    `submit(work)` queues `work(session)`; the database thread runs everything queued so far
    in one session and commits once, then every caller gets its own result. `Batched` pieces
    with the same function run as one call for all of their items. If anything in a group
    fails, the group is rolled back and each piece runs again alone, so one caller's error
    never becomes another's.
    """

    MAX_GROUP = 64

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._queue: list[Queued] = []
        self._scheduled = False
        self._starting: asyncio.AbstractEventLoop | None = None
        self.checkpoints = Checkpoints(engine)  # SQLite's WAL, beside this thread
        self.unawaited: set[asyncio.Future[Any]] = set()  # `transact_soon` work not done yet

    def submit(self, work: Work) -> asyncio.Future[Any]:
        """Queue `work` now, after everything queued before it; its future."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._queue.append((work, future))
        if self._scheduled and self._starting is not None and self._starting.is_closed():
            self._scheduled = False  # its loop closed before the thread was started
        if not self._scheduled:
            self._scheduled = True
            # Started after the callbacks ready now have run: the lanes that are about to ask
            # join this group rather than the next one.
            self._starting = loop
            loop.call_soon(self._start, loop)
        return future

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._starting = None
        loop.run_in_executor(executor_for(self.engine), self._run_queued, loop)

    def _run_queued(self, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            group = self._take()
            if not group:
                return
            results = self._run_group(group)
            self.checkpoints.wrote()
            # One wake-up of the event loop for the whole group (each costs a GIL hand-over).
            settled = [
                (future, ok, value) for (_, future), (ok, value) in zip(group, results, strict=True)
            ]
            loop.call_soon_threadsafe(_settle_all, settled)

    def _take(self) -> list[Queued]:
        with _lock:
            group, self._queue = self._queue[: self.MAX_GROUP], self._queue[self.MAX_GROUP :]
            if not group:
                self._scheduled = False
            return group

    def _run_group(self, group: list[Queued]) -> list[tuple[bool, Any]]:
        if len(group) > 1:
            try:
                with session_scope(self.engine) as session:
                    values = _run_all(session, [work for work, _ in group])
                return [(True, value) for value in values]
            except (OperationalError, InterfaceError) as exc:  # busy or away: all wait
                return [(False, exc) for _ in group]
            except Exception:  # noqa: S110  (one piece failed: each again alone, below)
                pass
        results: list[tuple[bool, Any]] = []
        for work, _ in group:
            try:
                with session_scope(self.engine) as session:
                    results.append((True, _run_all(session, [work])[0]))
            except Exception as exc:
                results.append((False, exc))
        return results


def _run_all(session: Session, works: list[Work]) -> list[Any]:
    """Every piece's result, in order; `Batched` pieces with one function in one call (at the
    place of the first of them)."""
    batches: dict[Any, list[int]] = {}
    for position, work in enumerate(works):
        if isinstance(work, Batched):
            batches.setdefault(work.work, []).append(position)
    values: list[Any] = [None] * len(works)
    for position, work in enumerate(works):
        if not isinstance(work, Batched):
            values[position] = work(session)
            continue
        positions = batches.pop(work.work, None)
        if positions is None:  # run with the first of its batch
            continue
        results = work.work(session, [works[p].item for p in positions])  # type: ignore[union-attr]
        if len(results) != len(positions):
            raise RuntimeError(f"{work.work!r} gave {len(results)} results for {len(positions)}")
        for p, result in zip(positions, results, strict=True):
            values[p] = result
    return values


def _settle_all(settled: list[tuple[asyncio.Future[Any], bool, Any]]) -> None:
    for future, ok, value in settled:
        if future.done():
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)


_groups: dict[int, GroupCommit] = {}


def _group(engine: Engine) -> GroupCommit:
    group = _groups.get(id(engine))
    if group is None:
        group = _groups[id(engine)] = GroupCommit(engine)
    return group


async def transact(engine: Engine, work: Callable[[Session], T]) -> T:
    """`work(session)` committed (with whatever else is queued) before this returns."""
    return await _group(engine).submit(work)  # type: ignore[no-any-return]


async def transact_batched(
    engine: Engine, work: Callable[[Session, list[Any]], list[T]], item: Any
) -> T:
    """`work(session, [item, …])[…]`, committed before this returns: the items of every caller
    queued with the same `work` go in one call (so `work` must not care about their order)."""
    return await _group(engine).submit(Batched(work, item))  # type: ignore[no-any-return]


def transact_soon(
    engine: Engine, work: Work, what: str, *, failed: Callable[[], Any] | None = None
) -> None:
    """`work` queued now, committed in order with what is queued before and after it, not
    awaited: bookkeeping that must not delay the caller (the journal of a message sent, an
    inbox mark). A failure is logged ("could not <what>"), then `failed()` runs."""
    group = _group(engine)
    future = group.submit(work)
    group.unawaited.add(future)

    def done(finished: asyncio.Future[Any]) -> None:
        group.unawaited.discard(finished)
        error = None if finished.cancelled() else finished.exception()
        if error is not None:
            level = logging.WARNING if isinstance(error, RETRYABLE_ERRORS) else logging.ERROR
            log.log(level, "could not %s: %s", what, describe(error))
            if failed is not None:
                failed()

    future.add_done_callback(done)


async def settled(engine: Engine) -> None:
    """Wait until the `transact_soon` work queued so far is committed (or has failed)."""
    group = _groups.get(id(engine))
    if group is not None and group.unawaited:
        await asyncio.gather(*list(group.unawaited), return_exceptions=True)
