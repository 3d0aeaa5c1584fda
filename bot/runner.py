"""Start the bot against the real Bot API: `akrab run` calls `run_bot` and nothing else.

`run_bot` raises `StartupError` (its `str()` is one line) when the bot cannot start, so the
command line can say so in one line instead of a traceback.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from telegram import Update

from bot.app import build_application
from bot.config import Settings

log = logging.getLogger(__name__)


class StartupError(Exception):
    """The bot cannot start (token refused, Bot API unreachable, mode not available)."""


def run_bot(settings: Settings, engine: Engine, *, webhook: bool) -> None:
    """Run the bot until it is stopped (Ctrl+C or SIGTERM); long polling unless `webhook`."""
    if webhook:
        raise StartupError("webhook mode is not available yet: run `akrab run` without --webhook")
    application = build_application(settings, engine=engine)
    log.info("Akrab is running (database %s); press Ctrl+C to stop", engine.url.render_as_string())
    application.run_polling(allowed_updates=Update.ALL_TYPES)
