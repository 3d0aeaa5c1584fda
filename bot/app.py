"""The composition root: builds the PTB `Application` with every handler in explicit order."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from telegram import BotCommandScopeChat, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from bot import handlers, jobs
from bot.adapter import db
from bot.adapter.commands import menu
from bot.adapter.owner_outbox import OwnerOutbox
from bot.adapter.ratelimit import ChatRateLimiter
from bot.adapter.telegram_bot import JOURNAL, AkrabBot
from bot.adapter.update_run import RUN
from bot.adapter.worker import InboxWorker
from bot.config import Settings
from bot.context import AkrabContext, BotData, utc_now
from bot.services.recording import language_of
from bot.texts import t

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
OFFLINE_TOKEN = "123456:OFFLINE"
RETRYABLE_DB_ERRORS = db.RETRYABLE_ERRORS  # busy or away: the update is handled again

AkrabApplication = Application[Any, AkrabContext, Any, Any, BotData, Any]


async def on_error(update: object, context: AkrabContext) -> None:
    """Log every error by update id (never names or texts) and decide what happens next."""
    error = context.error
    update_id = getattr(update, "update_id", "?")
    run = RUN.get()
    if isinstance(error, RETRYABLE_DB_ERRORS):
        log.warning(
            "database busy while handling update %s (%s); retrying", update_id, db.describe(error)
        )
        if run is not None:
            run.retry = True
        raise ApplicationHandlerStop
    if isinstance(error, Forbidden):
        log.info("update %s: Telegram refused a send (the user blocked the bot?)", update_id)
        return
    if isinstance(error, RetryAfter | NetworkError) and not isinstance(error, BadRequest):
        log.warning("update %s: a reply did not go out (%s)", update_id, type(error).__name__)
        return
    if isinstance(error, SQLAlchemyError):
        log.error("database error on update %s: %s", update_id, db.describe(error))
    else:
        log.error("error while handling update %s", update_id, exc_info=error)
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
    token = JOURNAL.set(False)  # the database may be the problem: send without the journal
    try:
        lang = language_of(user.language_code, default=default_language)
        await bot.send_message(chat.id, t(lang, key))
    except TelegramError as exc:
        log.warning("could not tell chat %s about the delay: %s", chat.id, type(exc).__name__)
    finally:
        JOURNAL.reset(token)


async def post_init(application: AkrabApplication) -> None:
    """Set the command menus in both languages from the one command table: the customers'
    for everyone, the owners' in each owner's chat (and in the owners' group, if any)."""
    try:
        await application.bot.set_my_commands(menu("en"))
        await application.bot.set_my_commands(menu("id"), language_code="id")
    except TelegramError as exc:
        log.warning("could not set the command menu: %s", exc)
    settings = application.bot_data.settings
    if not settings.owner_ids:
        log.warning("OWNER_IDS is empty: customer messages reach no owner (the live inbox)")
    owner_chats = sorted(settings.owner_ids)
    if settings.owner_chat_id is not None:
        owner_chats.append(settings.owner_chat_id)
    for chat_id in owner_chats:
        scope = BotCommandScopeChat(chat_id)
        try:
            await application.bot.set_my_commands(menu("en", "owner"), scope=scope)
            await application.bot.set_my_commands(
                menu("id", "owner"), scope=scope, language_code="id"
            )
        except TelegramError as exc:  # e.g. an owner who never opened the bot's chat
            log.warning("could not set the owner menu in chat %s: %s", chat_id, exc)


def build_application(
    settings: Settings,
    *,
    engine: Engine,
    request: Any = None,
    clock: Callable[[], datetime] = utc_now,
    rate_limit: bool = True,
    leader: bool = True,
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
        # Without rate_limit (tests, the shell): no spacing, but the same retries.
        rate_limiter=ChatRateLimiter() if rate_limit else ChatRateLimiter.unlimited(),
        engine=engine,
    )
    application: AkrabApplication = (
        Application.builder()
        .bot(bot)
        .context_types(ContextTypes(context=AkrabContext, bot_data=BotData))
        .post_init(post_init)
        .build()
    )
    data = application.bot_data
    data.settings, data.engine, data.clock = settings, engine, clock
    data.worker = InboxWorker(
        application,
        engine,
        parallel=settings.inbox_parallel,
        lease=settings.inbox_lease,
        clock=clock,
        on_delay=lambda update: tell_customer(
            update, application.bot, "error_delayed", settings.default_language
        ),
        shortcut=functools.partial(handlers.shortcut, application),
        at_receipt=handlers.AtReceipt(application),
    )
    data.owner_outbox = OwnerOutbox(bot, engine, settings, clock)
    handlers.register(application)
    application.add_error_handler(on_error)
    jobs.register(application, settings, leader=leader)
    return application
