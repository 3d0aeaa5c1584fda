"""The owner's /start and /help, and the answer to an owner's unknown command, in the owner's
Telegram language."""

from __future__ import annotations

from telegram import Update

from bot.adapter.commands import OWNER_COMMANDS
from bot.context import AkrabContext
from bot.handlers.owner.console_common import owner_lang
from bot.texts import t


async def owner_start(update: Update, context: AkrabContext) -> None:
    """/start from an owner: the console's hello."""
    user, message = update.effective_user, update.effective_message
    if message is None:
        return
    name = user.first_name if user else ""
    shop = context.bot_data.settings.shop_name
    await message.reply_text(t(owner_lang(update, context), "owner_hello", name=name, shop=shop))


async def owner_help(update: Update, context: AkrabContext) -> None:
    """/help from an owner: the owner commands and how to answer customers."""
    if update.effective_message is None:
        return
    lang = owner_lang(update, context)
    lines = "\n".join(f"/{c.name} — {c.description(lang)}" for c in OWNER_COMMANDS)
    await update.effective_message.reply_text(
        t(lang, "owner_help", commands=lines or t(lang, "no_commands"))
    )


async def owner_unknown_command(update: Update, context: AkrabContext) -> None:
    """An owner's command that is no owner command: say so (customers' commands included)."""
    message = update.effective_message
    if message is None:
        return
    word = (message.text or "/").split()[0]
    command, _, addressee = word.partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # a command for another bot in the owners' group
    await message.reply_text(
        t(owner_lang(update, context), "owner_unknown_command", command=command)
    )
