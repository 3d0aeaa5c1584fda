"""One update's run through the inbox worker (bot/adapter/worker.py): what it carries, and
its two steps, the application's shortcut and PTB's handlers.

The worker first hands an update's JSON to the application's shortcut, which says what it did
(`Shortcut`); a recorded message to answer goes to the application's answer step; an update
that still needs PTB's handlers runs through them with `RUN` (set by the error handler: retry
or give up) and `PRERECORDED` (what the shortcut already recorded) in context.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)


@dataclass
class UpdateRun:
    """What happened while one update ran through the handlers (set by the error handler)."""

    update_id: int
    retry: bool = False  # the database refused: run the whole update again later
    gave_up: str | None = None  # a bug: why it was not handled


RUN: ContextVar[UpdateRun | None] = ContextVar("akrab_update_run", default=None)
# What the shortcut learned of the update now in PTB's handlers (bot/handlers/recording.py).
PRERECORDED: ContextVar[Any] = ContextVar("akrab_prerecorded", default=None)
SETTLED = "settled"  # handled and marked processed in the inbox already


class Shortcut(NamedTuple):
    """What the application's shortcut did with an update's JSON, before any `Update` is
    parsed: `settled` (handled, marked processed in the same commit), `retry` (the database
    refused: try again later), `answer` (recorded: the application's answer step sends what
    it asks for, given `recorded`) or `handlers` (run PTB's handlers, with `recorded` as
    PRERECORDED; so is `answer` where there is no answer step)."""

    step: Literal["settled", "retry", "answer", "handlers"]
    recorded: Any = None


async def run_shortcut(
    shortcut: Callable[[dict[str, Any]], Awaitable[Shortcut]] | None,
    update_id: int,
    data: dict[str, Any],
) -> Shortcut:
    if shortcut is None:
        return Shortcut("handlers")
    try:
        return await shortcut(data)
    except Exception as exc:  # a bug there: the handlers record it, or say what failed
        log.warning("update %s: shortcut failed (%s)", update_id, type(exc).__name__)
        return Shortcut("handlers")


def load(update_id: int, payload: str) -> dict[str, Any] | str:
    """An inbox row's stored JSON, or why it cannot be read (logged)."""
    try:
        data = json.loads(payload)
        if not isinstance(data, dict):
            raise TypeError("not an object")
    except Exception as exc:
        log.error("update %s cannot be read (%s); skipped", update_id, type(exc).__name__)
        return f"unreadable: {type(exc).__name__}"
    return data


def parse(
    application: Application[Any, Any, Any, Any, Any, Any], update_id: int, data: Any
) -> Update | None:
    try:
        return Update.de_json(data, application.bot)
    except Exception as exc:
        log.error("update %s cannot be read (%s); skipped", update_id, type(exc).__name__)
        return None


async def run_handlers(
    application: Application[Any, Any, Any, Any, Any, Any],
    update_id: int,
    update: Update,
    recorded: Any,
) -> UpdateRun:
    """One pass through PTB's handlers; what the error handler made of it."""
    run = UpdateRun(update_id)
    run_token, pre_token = RUN.set(run), PRERECORDED.set(recorded)
    try:
        await application.process_update(update)
    finally:
        PRERECORDED.reset(pre_token)
        RUN.reset(run_token)
    return run
