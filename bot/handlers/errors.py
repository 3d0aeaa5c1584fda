"""What an error while handling an update means: handle it again later, leave it, or give up
on it and tell the customer. Logged by update id, never with names or texts."""

from __future__ import annotations

import logging
from typing import Any, Literal

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ApplicationHandlerStop

from bot.adapter import db
from bot.adapter.telegram_bot import JOURNAL
from bot.adapter.update_run import RUN
from bot.context import AkrabContext
from bot.services.recording import language_of
from bot.texts import t

log = logging.getLogger(__name__)

RETRYABLE_DB_ERRORS = db.RETRYABLE_ERRORS  # busy or away: the update is handled again

Verdict = Literal["retry", "done", "gave_up"]


def verdict(error: BaseException, update_id: object) -> Verdict:
    """Log `error` and say what becomes of the update: "retry" (the database refused: the
    whole update again later), "done" (a reply Telegram refused or that did not go out:
    nothing more to do) or "gave_up" (a bug: the customer is told)."""
    if isinstance(error, RETRYABLE_DB_ERRORS):
        log.warning(
            "database busy while handling update %s (%s); retrying", update_id, db.describe(error)
        )
        return "retry"
    if isinstance(error, Forbidden):
        log.info("update %s: Telegram refused a send (the user blocked the bot?)", update_id)
        return "done"
    if isinstance(error, TimedOut):
        log.warning("update %s: a reply timed out (it may have arrived; not resent)", update_id)
        return "done"
    if isinstance(error, RetryAfter | NetworkError) and not isinstance(error, BadRequest):
        log.warning("update %s: a reply did not go out (%s)", update_id, type(error).__name__)
        return "done"
    if isinstance(error, SQLAlchemyError):
        log.error("database error on update %s: %s", update_id, db.describe(error))
    else:
        log.error("error while handling update %s", update_id, exc_info=error)
    return "gave_up"


async def on_error(update: object, context: AkrabContext) -> None:
    """PTB's error handler: `verdict`, then what it asks for."""
    error = context.error
    assert error is not None
    update_id = getattr(update, "update_id", "?")
    run = RUN.get()
    what = verdict(error, update_id)
    if what == "retry":
        if run is not None:
            run.retry = True
        raise ApplicationHandlerStop
    if what == "done":
        return
    if run is not None:
        run.gave_up = type(error).__name__
    if isinstance(update, Update):
        default = context.bot_data.settings.default_language
        await tell_customer(update, context.bot, "error_later", default)
    raise ApplicationHandlerStop


async def tell_customer(update: Update, bot: Any, key: str, default_language: str) -> None:
    """Tell the customer their message is safe although handling it failed or is slow: no
    database (it may be the problem), so in the language their Telegram app uses."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type != "private" or user is None:
        return
    await tell_chat(bot, chat.id, language_of(user.language_code, default=default_language), key)


async def tell_chat(bot: Any, chat_id: int, language: str, key: str) -> None:
    """`tell_customer` for a chat whose language is known."""
    token = JOURNAL.set(False)  # the database may be the problem: send without the journal
    try:
        await bot.send_message(chat_id, t(language, key))
    except TelegramError as exc:
        log.warning("could not tell chat %s about the delay: %s", chat_id, type(exc).__name__)
    finally:
        JOURNAL.reset(token)
