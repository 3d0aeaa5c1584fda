"""What one update's run through the inbox worker carries (bot/adapter/worker.py).

The worker first hands an update's JSON to the application's shortcut, which says what it did
(`Shortcut`); an update that still needs PTB's handlers runs through them with `RUN` (set by
the error handler: retry or give up) and `PRERECORDED` (what the shortcut already recorded)
in context.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple


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
    refused: try again later) or `handlers` (run PTB's handlers, with `recorded` as
    PRERECORDED)."""

    step: Literal["settled", "retry", "handlers"]
    recorded: Any = None
