"""The composition root: builds the PTB `Application` with every handler in explicit order."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from telegram import BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot import handlers, jobs
from bot.adapter.commands import menu
from bot.adapter.owner_outbox import OwnerOutbox
from bot.adapter.ratelimit import ChatRateLimiter
from bot.adapter.telegram_bot import AkrabBot
from bot.adapter.worker import InboxWorker
from bot.config import Settings
from bot.context import AkrabContext, BotData, utc_now
from bot.handlers.errors import on_error, tell_customer

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
OFFLINE_TOKEN = "123456:OFFLINE"

AkrabApplication = Application[Any, AkrabContext, Any, Any, BotData, Any]


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
        answer=functools.partial(handlers.answer, application),
        at_receipt=handlers.AtReceipt(application),
    )
    data.owner_outbox = OwnerOutbox(bot, engine, settings, clock)
    handlers.register(application)
    application.add_error_handler(on_error)
    jobs.register(application, settings, leader=leader)
    return application
