"""Webhook mode: Telegram POSTs updates; each is committed to the inbox before the answer.

Every request must carry the secret token given to `setWebhook` (Telegram sends it in
`X-Telegram-Bot-Api-Secret-Token`); others get 403 and a log line. When the database cannot
take an update the answer is 503, and Telegram delivers it again later.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from urllib.parse import urlsplit

from aiohttp import web

from bot.adapter.telegram_bot import AkrabBot
from bot.adapter.worker import InboxWorker

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # one update is far smaller


def make_app(worker: InboxWorker, *, path: str, secret: str) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning(
                "refused a webhook request from %s: wrong or missing secret", request.remote
            )
            return web.Response(status=403, text="forbidden")
        try:
            payload = json.loads(await request.read())
        except ValueError:
            log.warning("refused a webhook request from %s: not JSON", request.remote)
            return web.Response(status=400, text="not JSON")
        if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        try:
            await worker.receive([payload])
        except Exception as exc:
            log.error(
                "the database cannot take update %s (%s); Telegram will send it again",
                payload["update_id"],
                type(exc).__name__,
            )
            return web.Response(status=503, text="try again")
        return web.Response(status=200, text="ok")

    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_post(path, receive)
    return app


async def serve(
    bot: AkrabBot,
    worker: InboxWorker,
    stop: asyncio.Event,
    *,
    url: str,
    listen: str,
    port: int,
    secret: str,
    allowed: list[str],
) -> None:
    """Listen until `stop` is set, with the webhook registered at Telegram."""
    runner = web.AppRunner(make_app(worker, path=urlsplit(url).path or "/", secret=secret))
    await runner.setup()
    site = web.TCPSite(runner, listen, port)
    await site.start()
    try:
        await bot.set_webhook(url, secret_token=secret, allowed_updates=allowed)
        log.info("webhook listening on %s:%s for %s", listen, port, urlsplit(url).path or "/")
        await stop.wait()
    finally:
        await runner.cleanup()
