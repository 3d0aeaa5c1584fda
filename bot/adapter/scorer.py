"""Sentiment scoring in a helper process, on the other core than the event loop and database.

Python runs one thread at a time, and scoring a text (language detection, our Indonesian
model, TextBlob and VADER) was about a fifth of the work of every customer message. The inbox
worker hands the texts of a batch to `Scorer.submit` the moment they arrive, so the helper
scores them while the batch is committed and its updates go through the handlers; the
recording step then takes the score for exactly its text (`result`). It never depends on the
helper: a text that is not scored in time, a helper that is still starting, busy or gone,
and any text the hint missed are scored in the bot's own process, as before. A helper that
dies is started again at the next batch, at most once a minute.

The helper is `python -m bot.adapter.scorer`: JSON lines on its standard input,
`[batch, [text, ...]]`, and on its standard output `[batch, [[polarity, label, lang] or
null, ...]]`, after a first line `["ready", analyzer version]`. It stops at the end of its input,
so it never outlives the bot, even one killed with SIGKILL.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
import time
from typing import Any

from scoring import sentiment
from storage.messages import SentimentFields

log = logging.getLogger(__name__)

WAIT = 0.25  # seconds the recording step waits for a score before scoring the text itself
RESTART_AFTER = 60.0  # seconds between starts of a helper that stopped
MAX_WAITING = 4096  # texts sent and not yet taken; beyond it, texts are scored in-process
_GONE: Any = object()  # the helper stopped before it answered


class Scorer:
    """The bot's side of the helper: texts out, scores back, futures by update id."""

    def __init__(self) -> None:
        self._process: asyncio.subprocess.Process | None = None
        self._wanted = False  # start() was called: keep a helper running
        self.delivered = 0  # scores handed to the recording step
        self._reader: asyncio.Task[None] | None = None
        self._ready = False
        self._up = asyncio.Event()
        self._started_at = -RESTART_AFTER
        self._batch = 0
        self._batches: dict[int, list[asyncio.Future[Any]]] = {}  # batch -> futures, in order
        self._waiting: dict[int, tuple[str, asyncio.Future[SentimentFields | None]]] = {}

    async def start(self) -> None:
        """Start the helper (in the background: texts are scored in-process until it is up)."""
        self._wanted, self._started_at = True, time.monotonic()
        try:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.adapter.scorer",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                limit=1 << 22,
            )
        except OSError as exc:
            log.warning("sentiment helper did not start (%s); scoring in-process", exc)
            return
        self._reader = asyncio.create_task(self._read(self._process), name="akrab-scorer")

    @property
    def ready(self) -> bool:
        """The helper is up and scores with this analyzer."""
        return self._ready

    async def wait_ready(self) -> None:
        """Wait until the helper is up (after start())."""
        await self._up.wait()

    def submit(self, texts: dict[int, str]) -> None:
        """Send the texts of some updates (update id -> text) to be scored."""
        if self._process is None or self._process.returncode is not None:
            if self._wanted and time.monotonic() - self._started_at > RESTART_AFTER:
                asyncio.get_running_loop().create_task(self.start())
            return
        if not self._ready or not texts or len(self._waiting) + len(texts) > MAX_WAITING:
            return
        stdin = self._process.stdin
        if stdin is None or stdin.is_closing():
            return
        loop = asyncio.get_running_loop()
        self._batch += 1
        ids = [update_id for update_id in texts if update_id not in self._waiting]
        futures = []
        for update_id in ids:
            future: asyncio.Future[Any] = loop.create_future()
            self._waiting[update_id] = (texts[update_id], future)
            futures.append(future)
        self._batches[self._batch] = futures
        line = json.dumps([self._batch, [texts[i] for i in ids]])
        stdin.write(line.encode() + b"\n")

    def forget(self, update_ids: Any) -> None:
        """Drop what will not be asked for (updates that were not new)."""
        for update_id in update_ids:
            self._waiting.pop(update_id, None)

    async def result(self, update_id: int) -> tuple[str, SentimentFields | None] | None:
        """The text sent for this update and its score, or None if there is none in time."""
        entry = self._waiting.pop(update_id, None)
        if entry is None:
            return None
        text, future = entry
        if not future.done():
            try:
                await asyncio.wait_for(asyncio.shield(future), WAIT)
            except TimeoutError:
                return None
        value = future.result()
        if value is _GONE:
            return None
        self.delivered += 1
        return text, value

    async def close(self) -> None:
        self._wanted = False
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), 2.0)
        except TimeoutError:
            process.kill()
            await process.wait()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        self._fail_all()

    async def _read(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        try:
            async for line in process.stdout:
                batch, values = json.loads(line)
                if batch == "ready":
                    self._ready = values == sentiment.ANALYZER_VERSION
                    if self._ready:
                        self._up.set()
                    else:
                        log.warning("sentiment helper runs another analyzer; not used")
                    continue
                self._settle(batch, values)
        except (ValueError, OSError) as exc:
            log.warning("sentiment helper answered badly (%s)", type(exc).__name__)
        finally:
            self._ready = False
            self._up.clear()
            if self._process is process:
                log.warning("sentiment helper stopped; scoring in-process for now")
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
            self._fail_all()

    def _settle(self, batch: int, values: list[Any]) -> None:
        for future, value in zip(self._batches.pop(batch, []), values, strict=False):
            if future.done():
                continue
            fields = None
            if value is not None:
                polarity, label, lang = value
                fields = SentimentFields(polarity, label, lang, sentiment.ANALYZER_VERSION)
            future.set_result(fields)

    def _fail_all(self) -> None:
        """Nothing more will come back: waiting callers score their texts themselves."""
        batches, self._batches = self._batches, {}
        for futures in batches.values():
            for future in futures:
                if not future.done():
                    future.set_result(_GONE)


def _score(text: str) -> list[Any] | None:
    try:
        result = sentiment.analyze(text)
    except Exception:  # as in-process: the message is recorded without a score
        return None
    return [result.polarity, result.label, result.lang]


def serve() -> None:
    """The helper: score lines of texts from standard input until it ends."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write to the channel
    for warm in ("halo kak, makasih ya", "The package arrived, thank you!"):
        sentiment.analyze(warm)  # load every model before saying ready
    out.write(json.dumps(["ready", sentiment.ANALYZER_VERSION]).encode() + b"\n")
    out.flush()
    for line in sys.stdin.buffer:
        batch, texts = json.loads(line)
        out.write(json.dumps([batch, [_score(text) for text in texts]]).encode() + b"\n")
        out.flush()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        serve()
