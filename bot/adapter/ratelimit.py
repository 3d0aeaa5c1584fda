"""Telegram's limits, per chat: a 429 or a slow chat holds up only its own chat.

PTB's `AIORateLimiter` pauses every request of the bot after one 429; Telegram's limits are
about 30 messages a second overall and about one a second per chat, so this limiter keeps both
(a sliding one-second window overall, a minimum spacing per chat), waits `retry_after` for the
chat that got it, and retries 5xx and network errors with backoff for a bounded time. A timeout
is never retried here: the message may have arrived (see bot/adapter/telegram_bot.py).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import random
import time
import warnings
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

LIMITED_PREFIXES = ("send", "edit", "copy", "forward")
# The chat whose slot the caller already waited for (see `ChatRateLimiter.wait_turn`).
PAID: ContextVar[Any] = ContextVar("akrab_rate_paid", default=None)
# Set by a caller that retries by itself (the outreach dispatcher requeues a row instead of
# holding its queue): 429s and network errors are raised at once (a 429 still pauses the chat).
NO_RETRY: ContextVar[bool] = ContextVar("akrab_rate_no_retry", default=False)


def retry_seconds(exc: RetryAfter) -> float:
    """`retry_after` in seconds (PTB 22 warns that it becomes a timedelta; either works)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return float(wait.total_seconds() if hasattr(wait, "total_seconds") else wait)


class ChatRateLimiter(BaseRateLimiter[None]):
    """At most `overall_per_second` sends a second and one per `chat_interval` per chat."""

    def __init__(
        self,
        *,
        overall_per_second: float = 29.0,
        chat_interval: float = 1.05,
        retry_for: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.overall = max(1, int(overall_per_second))
        self.chat_interval = chat_interval
        self.retry_for = retry_for
        self.clock = clock
        self._sent: collections.deque[float] = collections.deque()
        self._overall_lock = asyncio.Lock()
        self._next_turn: dict[Any, float] = {}

    @classmethod
    def unlimited(cls) -> ChatRateLimiter:
        """No spacing at all (offline tests, the shell), with the same retries."""
        return cls(overall_per_second=1_000_000, chat_interval=0.0)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat = data.get("chat_id")
        limited = chat is not None and endpoint.startswith(LIMITED_PREFIXES)
        deadline = self.clock() + self.retry_for
        failures = 0
        paid = limited and PAID.get() == chat
        while True:
            if limited and not paid:
                await self.wait_turn(chat)
            paid = False
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_seconds(exc)
                if NO_RETRY.get() or self.clock() + seconds > deadline:
                    self._pause_chat(chat, seconds)
                    raise
                log.info(
                    "Telegram asked to wait %.1f s before %s to chat %s", seconds, endpoint, chat
                )
                self._pause_chat(chat, seconds)
                if not limited:
                    await asyncio.sleep(seconds)
            except (TimedOut, BadRequest):
                raise
            except NetworkError as exc:  # 5xx from Telegram, or no connection
                failures += 1
                delay = min(10.0, 0.5 * 2 ** (failures - 1)) * random.uniform(0.8, 1.2)
                if NO_RETRY.get() or self.clock() + delay > deadline:
                    raise
                log.warning(
                    "%s to chat %s failed (%s); retry %d in %.1f s",
                    endpoint,
                    chat,
                    exc,
                    failures,
                    delay,
                )
                await asyncio.sleep(delay)

    async def wait_turn(self, chat: Any) -> None:
        """Wait until a send to `chat` may go: its own spacing, then the overall window. The
        bot waits here before it journals a send, so a crash during the wait leaves nothing
        half sent."""
        await self._chat_turn(chat)
        await self._overall_turn()

    async def _chat_turn(self, chat: Any) -> None:
        """Reserve this chat's next slot and wait for it (reservations keep order per chat)."""
        now = self.clock()
        turn = max(now, self._next_turn.get(chat, 0.0))
        self._next_turn[chat] = turn + self.chat_interval
        if len(self._next_turn) > 10_000:  # forget chats whose slot is long past
            self._next_turn = {c: t for c, t in self._next_turn.items() if t > now}
        if turn > now:
            await asyncio.sleep(turn - now)

    def _pause_chat(self, chat: Any, seconds: float) -> None:
        self._next_turn[chat] = max(self._next_turn.get(chat, 0.0), self.clock() + seconds)

    async def _overall_turn(self) -> None:
        """A slot in the sliding one-second window shared by every chat (first come, first)."""
        async with self._overall_lock:
            while True:
                now = self.clock()
                while self._sent and now - self._sent[0] >= 1.0:
                    self._sent.popleft()
                if len(self._sent) < self.overall:
                    self._sent.append(now)
                    return
                await asyncio.sleep(1.0 - (now - self._sent[0]))
