"""`akrab run`: the bot as a long-running process, polling (default) or behind a webhook.

Start-up checks the token and the connection (one clear line, exit 2, when either fails),
resumes what a previous process left half done (inbox rows, sends with no answer), then runs
the receiver and the inbox worker until SIGTERM or SIGINT.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import timedelta

from sqlalchemy import Engine
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot import logs
from bot.adapter import db, polling, webhook
from bot.adapter.telegram_bot import AkrabBot
from bot.adapter.worker import InboxWorker
from bot.app import AkrabApplication, build_application, post_init
from bot.config import Settings
from bot.services import outbound

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
]


class StartupError(Exception):
    """The bot cannot start (token refused, Bot API unreachable, settings missing); one line."""


def run_bot(settings: Settings, engine: Engine, *, webhook: bool) -> None:
    """Run until stopped; raises StartupError for what the user must fix."""
    token = settings.telegram_bot_token
    logs.redact(token.get_secret_value() if token else None)
    if webhook and (settings.webhook_url is None or settings.webhook_secret is None):
        raise StartupError(
            "webhook mode needs WEBHOOK_URL (the public URL Telegram posts to) and "
            "WEBHOOK_SECRET (a random string); see .env.example"
        )
    asyncio.run(serve(settings, engine, webhook=webhook))


async def serve(
    settings: Settings,
    engine: Engine,
    *,
    webhook: bool,
    stop: asyncio.Event | None = None,
) -> None:
    application = build_application(settings, engine=engine)
    await _initialize(application, settings)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    worker = application.bot_data.worker
    try:
        await post_init(application)
        await application.start()  # the JobQueue
        now = application.bot_data.clock()
        # Polling means one receiver: what is unfinished was left by a dead process. With
        # webhook replicas, only what nobody renewed for a lease.
        cutoff = now if not webhook else now - settings.inbox_lease
        unconfirmed = await db.run(engine, outbound.recover, engine, before=cutoff)
        if unconfirmed:
            log.warning(
                "%d send(s) had no answer when the last process stopped: unconfirmed", unconfirmed
            )
        await worker.recover(everything=not webhook)
        worker.start()
        receiver = asyncio.create_task(_receive(application, settings, stop, webhook=webhook))
        sweeper = asyncio.create_task(_sweep(worker, settings.inbox_lease, stop))
        log.info("Akrab is running (%s); press Ctrl+C to stop", "webhook" if webhook else "polling")
        await stop.wait()
        receiver.cancel()
        sweeper.cancel()
        results = await asyncio.gather(receiver, sweeper, return_exceptions=True)
        for result in results:
            if isinstance(result, InvalidToken):
                raise StartupError("Telegram refused the token (TELEGRAM_BOT_TOKEN)")
    finally:
        await worker.stop()
        await application.bot_data.owner_outbox.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        db.close(engine)
        log.info("Akrab stopped")


async def _initialize(application: AkrabApplication, settings: Settings) -> None:
    base = settings.telegram_base_url or "Telegram's Bot API"
    try:
        await application.initialize()  # getMe
    except InvalidToken:
        raise StartupError(
            "Telegram refused the token (TELEGRAM_BOT_TOKEN): check it with @BotFather"
        ) from None
    except NetworkError as exc:
        raise StartupError(f"cannot reach {base}: {logs.scrub(str(exc))}") from None
    except TelegramError as exc:
        raise StartupError(f"{base} answered getMe with an error: {logs.scrub(str(exc))}") from None


async def _receive(
    application: AkrabApplication, settings: Settings, stop: asyncio.Event, *, webhook: bool
) -> None:
    bot, worker = application.bot, application.bot_data.worker
    try:
        if webhook:
            assert settings.webhook_url is not None
            assert settings.webhook_secret is not None
            await webhook_serve(bot, worker, stop, settings)
        else:
            await bot.delete_webhook()
            await polling.poll(bot, worker, stop, allowed=ALLOWED_UPDATES)
    except InvalidToken:
        log.error("Telegram refused the token while running; stopping")
        stop.set()
        raise


async def webhook_serve(
    bot: AkrabBot, worker: InboxWorker, stop: asyncio.Event, settings: Settings
) -> None:
    assert settings.webhook_url is not None
    assert settings.webhook_secret is not None
    await webhook.serve(
        bot,
        worker,
        stop,
        url=settings.webhook_url,
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        secret=settings.webhook_secret.get_secret_value(),
        allowed=ALLOWED_UPDATES,
    )


async def _sweep(worker: InboxWorker, lease: timedelta, stop: asyncio.Event) -> None:
    """Now and then, take over rows whose claim went stale (a replica died holding them)."""
    while not stop.is_set():
        await asyncio.sleep(lease.total_seconds() / 2)
        try:
            await worker.recover(everything=False)
        except Exception as exc:  # the database is busy: next time
            log.warning("could not look for abandoned updates: %s", type(exc).__name__)
