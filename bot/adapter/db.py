"""Database work off the event loop, through one executor per engine.

SQLite takes one writer at a time: writers in several threads would wait on each other in
SQLite's busy handler (sleeps of milliseconds), so on SQLite every call goes through a single
thread, in order. PostgreSQL gets a small pool, as its connections work in parallel.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Engine

P = ParamSpec("P")
T = TypeVar("T")

POOL_THREADS = 8
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
    if executor is not None:
        executor.shutdown(wait=True)
