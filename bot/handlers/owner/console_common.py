"""What the console's handlers share: the owner's language and answering in their chat."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.adapter import callbacks
from bot.context import AkrabContext
from bot.services.recording import language_of


def owner_lang(update: Update, context: AkrabContext) -> str:
    """Owners are not customers: their language is their Telegram app's."""
    user = update.effective_user
    code = user.language_code if user else None
    return language_of(code, default=context.bot_data.settings.default_language)


def button(text: str, action: str, value: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callbacks.make(action, value))


async def send(
    update: Update,
    context: AkrabContext,
    text: str,
    *,
    rows: list[list[InlineKeyboardButton]] | None = None,
    html: bool = False,
) -> None:
    """Send `text` to the chat the owner wrote or pressed in (in a forum group, the same
    topic)."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None:
        return
    topic = message.message_thread_id if message and message.is_topic_message else None
    await context.bot.send_message(
        chat.id,
        text,
        message_thread_id=topic,
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
        parse_mode=ParseMode.HTML if html else None,
    )
