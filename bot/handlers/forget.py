"""/forget: erase a customer's personal data and conversation after a confirmation button."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.adapter import callbacks, db
from bot.context import AkrabContext
from bot.handlers.common import reply
from bot.services import erasure
from bot.texts import t


async def forget(update: Update, context: AkrabContext) -> None:
    """Ask the customer to confirm erasure."""
    lang = context.lang
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(lang, "forget_yes"), callback_data=callbacks.make("forget", "yes")
                ),
                InlineKeyboardButton(
                    t(lang, "forget_no"), callback_data=callbacks.make("forget", "no")
                ),
            ]
        ]
    )
    await reply(update, context, "forget_confirm", markup=markup)


async def forget_pressed(update: Update, context: AkrabContext, choice: callbacks.Callback) -> None:
    """Erase on "yes" (then say so), or leave everything on "no"."""
    query = update.callback_query
    assert query is not None
    lang = context.lang
    if choice.value != "yes":
        await query.answer()
        await query.edit_message_text(t(lang, "forget_cancelled"))
        return
    assert context.customer is not None
    assert query.message is not None
    data = context.bot_data
    await db.run(
        data.engine,
        erasure.erase,
        data.engine,
        context.customer.id,
        chat_id=query.message.chat.id,
        up_to_update=update.update_id,
        now=data.clock(),
    )
    context.customer = None  # nothing more may be recorded for them
    await query.answer()
    await query.edit_message_text(t(lang, "forget_done"))
