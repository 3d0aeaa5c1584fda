"""An owner's message to a customer, as the shop: a Telegram reply to a relay or alert, any
message in the customer's forum topic, or the next message after pressing "Balas".

It goes out through the bot's journal with `sent_by` = the owner (recorded as outbound once,
and it answers the customer's waiting messages); a replayed update finds the journalled send
and sends nothing again.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Message, Update
from telegram.error import Forbidden, TelegramError, TimedOut

from bot.adapter import callbacks, db
from bot.adapter.inbound import message_kind
from bot.adapter.telegram_bot import SENT_BY
from bot.context import AkrabContext
from bot.handlers.owner.console_common import owner_lang
from bot.services import relay as relay_service
from bot.texts import t
from storage.relay import CustomerLine

log = logging.getLogger(__name__)


class Unsupported(Exception):
    """A kind of message the bot cannot send on to a customer."""


def _name(customer: CustomerLine) -> str:
    return customer.first_name or (f"@{customer.username}" if customer.username else "?")


async def send_as_shop(bot: Any, chat_id: int, message: Message) -> Message:
    """Send the owner's `message` to a customer's chat (journalled: one send_* call)."""
    if message.text is not None:
        return await bot.send_message(chat_id, message.text)  # type: ignore[no-any-return]
    caption = message.caption
    if message.photo:
        return await bot.send_photo(chat_id, message.photo[-1].file_id, caption=caption)  # type: ignore[no-any-return]
    senders = (
        ("animation", bot.send_animation),
        ("video", bot.send_video),
        ("voice", bot.send_voice),
        ("audio", bot.send_audio),
        ("document", bot.send_document),
    )
    for attribute, send in senders:
        media = getattr(message, attribute, None)
        if media:
            return await send(chat_id, media.file_id, caption=caption)  # type: ignore[no-any-return]
    if message.sticker:
        return await bot.send_sticker(chat_id, message.sticker.file_id)  # type: ignore[no-any-return]
    if message.location:
        return await bot.send_location(  # type: ignore[no-any-return]
            chat_id, message.location.latitude, message.location.longitude
        )
    raise Unsupported(message_kind(message)[0])


async def owner_message(update: Update, context: AkrabContext) -> None:
    """Send an owner's message on to the customer it is for, or say how to answer one."""
    message, user = update.message, update.effective_user
    if message is None or user is None:
        return  # an edit: what was sent stays sent
    data, lang = context.bot_data, owner_lang(update, context)
    private = message.chat.type == "private"
    reply_to = message.reply_to_message.message_id if message.reply_to_message else None
    thread = message.message_thread_id if message.is_topic_message else None
    now, update_id = data.clock(), update.update_id
    target = await db.transact(
        data.engine,
        lambda s: relay_service.reply_target(
            s,
            owner_id=user.id,
            chat_id=message.chat.id,
            reply_to=reply_to,
            thread_id=thread,
            update_id=update_id,
            now=now,
        ),
    )
    if target is None:
        replied = message.reply_to_message
        if replied is not None and replied.from_user and replied.from_user.id == context.bot.id:
            # A reply to something of ours that is no relay (or whose customer was erased).
            await message.reply_text(t(lang, "reply_no_relay"))
        elif private:  # in the owners' group, chat among owners is not for customers
            await message.reply_text(t(lang, "owner_hint"))
        return
    customer = target.customer
    if customer.telegram_id is None:
        await message.reply_text(t(lang, "reply_erased"))
        return
    if target.replayed:
        log.info("owner update %s was sent on before a restart; not again", update_id)
        return
    token = SENT_BY.set(user.id)
    try:
        await send_as_shop(context.bot, customer.telegram_id, message)
    except Unsupported as exc:
        await message.reply_text(t(lang, "reply_unsupported"))
        log.info("owner %s sent a %s, which is not sent on", user.id, exc)
        return
    except TimedOut:  # journalled "unconfirmed": it may have arrived
        await message.reply_text(t(lang, "reply_unconfirmed", name=_name(customer)))
        return
    except Forbidden:  # the journal marked the customer blocked
        await message.reply_text(t(lang, "reply_blocked", name=_name(customer)))
        return
    except TelegramError as exc:
        log.warning("owner reply to customer %s failed: %s", customer.id, exc)
        await message.reply_text(t(lang, "reply_failed", name=_name(customer)))
        return
    finally:
        SENT_BY.reset(token)
    log.info("owner %s answered customer %s", user.id, customer.id)
    if private:  # in a topic the answer is right there; in private chat say where it went
        await message.reply_text(t(lang, "reply_sent", name=_name(customer)))


async def reply_pressed(update: Update, context: AkrabContext, choice: callbacks.Callback) -> None:
    """ "Balas": the owner's next message in this chat goes to that customer."""
    query = update.callback_query
    assert query is not None
    message = query.message
    lang, data = owner_lang(update, context), context.bot_data
    if not isinstance(message, Message):  # too old for Telegram to show it
        await query.answer()
        return
    customer_id, now, owner = int(choice.value), data.clock(), query.from_user.id
    line = await db.transact(
        data.engine,
        lambda s: relay_service.set_reply_mode(
            s, owner_id=owner, chat_id=message.chat.id, customer_id=customer_id, now=now
        ),
    )
    if line is None or line.telegram_id is None:
        key = "reply_unknown_customer" if line is None else "reply_erased"
        await query.answer(t(lang, key), show_alert=True)
        return
    await query.answer()
    await context.bot.send_message(
        message.chat.id,
        t(lang, "reply_mode_on", name=_name(line)),
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
    )
