"""The composition root: builds the PTB `Application` with every handler in explicit order."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from telegram import Message, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ContextTypes,
)
from telegram.request import BaseRequest

from bot import handlers
from bot.adapter.commands import menu
from bot.adapter.inbound import message_kind
from bot.adapter.telegram_bot import AkrabBot
from bot.config import Settings
from bot.context import AkrabContext, BotData, utc_now
from bot.handlers.recording import record_update
from bot.jobs import score_refresh
from bot.texts import t
from storage import customers, messages
from storage.db import session_scope

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
OFFLINE_TOKEN = "123456:OFFLINE"

AkrabApplication = Application[Any, AkrabContext, Any, Any, BotData, Any]


def outbound_recorder(engine: Engine) -> Callable[[str, Message], None]:
    """Record what the bot sent (or edited) in a customer's private chat."""

    def record(endpoint: str, message: Message) -> None:
        if message.chat.type != "private":
            return
        kind, text = message_kind(message)
        sent_at = message.date
        with session_scope(engine) as session:
            if endpoint.startswith("edit"):
                messages.record_edit(
                    session=session,
                    chat_id=message.chat.id,
                    telegram_message_id=message.message_id,
                    text=text,
                    edited_at=message.edit_date or sent_at,
                )
                return
            customer = customers.get_customer(session=session, telegram_id=message.chat.id)
            if customer is None:  # not a customer (or erased): nothing of theirs is kept
                return
            messages.record_message(
                session=session,
                customer=customer,
                direction="out",
                kind=kind,
                text=text,
                chat_id=message.chat.id,
                telegram_message_id=message.message_id,
                sent_at=sent_at,
            )

    return record


def blocked_marker(engine: Engine) -> Callable[[int], None]:
    def mark(chat_id: int) -> None:
        log.info("chat %s has blocked the bot; marking the customer blocked", chat_id)
        with session_scope(engine) as session:
            customers.mark_blocked(session=session, chat_id=chat_id)

    return mark


def stored_before(error: BaseException) -> bool:
    """Whether the update was already stored when `error` happened: the recording step stores it
    in one commit, so only an error raised from inside that step means nothing was kept."""
    frame = error.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code is record_update.__code__:
            return False
        frame = frame.tb_next
    return True


async def on_error(update: object, context: AkrabContext) -> None:
    """Log every error; on a database error tell the customer whether their message was kept."""
    error = context.error
    if isinstance(error, Forbidden):
        log.info("Telegram refused a send (the user blocked the bot?): %s", error)
        return
    if isinstance(error, OperationalError):
        log.error(
            "database error while handling update %s: %s; update: %s",
            getattr(update, "update_id", "?"),
            error.orig,
            update.to_json() if isinstance(update, Update) else update,
        )
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                key = "error_later" if stored_before(error) else "error_retry"
                await context.bot.send_message(update.effective_chat.id, t(context.lang, key))
            except TelegramError:
                log.warning("could not tell chat %s about the error", update.effective_chat.id)
        return
    log.error("error while handling an update", exc_info=error)


async def post_init(application: AkrabApplication) -> None:
    """Set the command menu in both languages from the one command table."""
    try:
        await application.bot.set_my_commands(menu("en"))
        await application.bot.set_my_commands(menu("id"), language_code="id")
    except TelegramError as exc:
        log.warning("could not set the command menu: %s", exc)


async def post_shutdown(application: AkrabApplication) -> None:
    application.bot_data.engine.dispose()


def build_application(
    settings: Settings,
    *,
    engine: Engine,
    request: BaseRequest | None = None,
    clock: Callable[[], datetime] = utc_now,
    rate_limit: bool = True,
) -> AkrabApplication:
    """The bot with every handler registered in order; `request` replaces the network."""
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    base_url = settings.telegram_base_url or DEFAULT_BASE_URL
    bot = AkrabBot(
        token=token or OFFLINE_TOKEN,
        base_url=base_url,
        base_file_url=base_url.removesuffix("/bot") + "/file/bot",
        request=request,
        get_updates_request=request,
        rate_limiter=AIORateLimiter(max_retries=3) if rate_limit else None,
        on_sent=outbound_recorder(engine),
        on_blocked=blocked_marker(engine),
    )
    application: AkrabApplication = (
        Application.builder()
        .bot(bot)
        .context_types(ContextTypes(context=AkrabContext, bot_data=BotData))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    data = application.bot_data
    data.settings, data.engine, data.clock = settings, engine, clock

    handlers.register(application)
    application.add_error_handler(on_error)
    # Scheduled work: keep the current CES of customers who just wrote fresh.
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            score_refresh.refresh_job,
            interval=score_refresh.REFRESH_INTERVAL_SECONDS,
            first=score_refresh.REFRESH_INTERVAL_SECONDS,
            name="ces-refresh",
        )
    return application
