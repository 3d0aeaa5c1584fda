"""/settings: what is configured (never the token or other secrets)."""

from __future__ import annotations

from telegram import Update

from bot.context import AkrabContext
from bot.handlers.owner.console_common import owner_lang, send
from bot.services.owner_settings import settings_text


async def settings_command(update: Update, context: AkrabContext) -> None:
    """/settings: weights, thresholds, hours, caps, greetings, console mode, timezone."""
    await send(
        update, context, settings_text(context.bot_data.settings, owner_lang(update, context))
    )
