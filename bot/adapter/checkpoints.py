"""SQLite's WAL checkpoints in a thread of their own, beside the writer.

A checkpoint copies the WAL into the database file and syncs the disk twice: milliseconds,
which SQLite runs inside whichever commit crosses its threshold, in front of the customer
whose message that commit carried. Here the database thread (bot/adapter/db.py) calls
`wrote()` after each commit; after `CHECKPOINT_EVERY` seconds of writes one PASSIVE checkpoint
runs in this thread, never waiting for (or holding up) the writer. The writer checkpoints
itself only when the WAL outgrows `storage.db.AUTOCHECKPOINT_PAGES`.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine

from storage.db import checkpoint_passive, is_sqlite_file

log = logging.getLogger(__name__)

CHECKPOINT_EVERY = 0.25  # seconds of writing between background checkpoints


class Checkpoints:
    """One engine's background checkpoints: at most one at a time."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.enabled = is_sqlite_file(engine)
        self._executor: ThreadPoolExecutor | None = None
        self._last = time.monotonic()
        self._running = False

    def wrote(self) -> None:
        """Called by the database thread after each commit."""
        if not self.enabled or self._running or time.monotonic() - self._last < CHECKPOINT_EVERY:
            return
        self._running = True
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="akrab-checkpoint")
        try:
            self._executor.submit(self._run)
        except RuntimeError:  # shut down: the writer's own checkpoints take over
            self._running = False

    def close(self) -> None:
        """Wait for a checkpoint under way and stop the thread (at shutdown)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    def _run(self) -> None:
        try:
            checkpoint_passive(self.engine)
        except Exception as exc:  # busy, or the file went away: the next one tries again
            log.debug("background WAL checkpoint did not run: %s", type(exc).__name__)
        finally:
            self._last = time.monotonic()
            self._running = False
