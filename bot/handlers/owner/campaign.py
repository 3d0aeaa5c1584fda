"""/broadcast and /campaign for owners: thin handlers over bot.services.campaigns and
bot.services.campaign_results, which decide what the owner sees (as plain `Reply` values)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.adapter import callbacks, db
from bot.context import AkrabContext
from bot.handlers.owner.console_common import owner_lang
from bot.services import campaign_results, campaigns
from bot.services.campaigns import Reply, Screen
from bot.texts import t

log = logging.getLogger(__name__)
T = TypeVar("T")


def owner_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None  # the owner gate let it through: it has a user
    return user.id


def keyboard(screen: Screen) -> InlineKeyboardMarkup | None:
    if not screen.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, callback_data=callbacks.make(b.action, b.value))
                for b in row
            ]
            for row in screen.buttons
        ]
    )


async def transact(context: AkrabContext, work: Callable[[Session], T]) -> T:
    return await db.transact(context.bot_data.engine, work)


async def show(update: Update, context: AkrabContext, reply: Reply) -> None:
    """Answer the press, replace the pressed message, send the new messages, in that order."""
    query, chat = update.callback_query, update.effective_chat
    if query is not None:
        await query.answer(reply.answer or None, show_alert=reply.alert)
        if reply.edit is not None:
            try:
                await query.edit_message_text(reply.edit.text, reply_markup=keyboard(reply.edit))
            except BadRequest as exc:  # "Perbarui" with nothing new: the message is right
                if "not modified" not in str(exc).lower():
                    raise
    if chat is None:
        return
    for screen in reply.send:
        await context.bot.send_message(chat.id, screen.text, reply_markup=keyboard(screen))


async def broadcast(update: Update, context: AkrabContext) -> None:
    """/broadcast: start a draft; the owner picks the segment with buttons."""
    owner, lang, now = owner_id(update), owner_lang(update, context), context.bot_data.clock()
    chat = update.effective_chat
    if chat is not None and chat.type != chat.PRIVATE:
        # The variants are the owner's next messages; in the owners' group those would be
        # answers to customers, so drafts are written in the private chat only.
        await show(update, context, Reply(send=(Screen(t(lang, "broadcast_private_only")),)))
        return
    screen = await transact(
        context, lambda s: campaigns.start(s, owner_id=owner, lang=lang, now=now)
    )
    await show(update, context, Reply(send=(screen,)))


async def campaign_command(update: Update, context: AkrabContext) -> None:
    """/campaign: the newest campaign's A/B results (and the recent ones to pick from);
    /campaign <id>: that campaign's."""
    lang, args = owner_lang(update, context), context.args or []
    if len(args) > 1 or (args and not callbacks.ID.fullmatch(args[0].removeprefix("#"))):
        await show(update, context, Reply(send=(Screen(t(lang, "campaign_usage")),)))
        return
    if args:
        campaign_id = int(args[0].removeprefix("#"))
        screens: tuple[Screen, ...] = (
            await transact(context, fresh_details(context, campaign_id, lang)),
        )
    else:
        data = context.bot_data
        tz, now, window = data.settings.tz, data.clock(), data.settings.response_window
        screens = await transact(
            context,
            lambda s: campaign_results.newest(s, lang=lang, tz=tz, now=now, window=window),
        )
    await show(update, context, Reply(send=screens))


async def owner_text(update: Update, context: AkrabContext) -> None:
    """An owner's message while a draft waits for a variant's text takes that place (and stops
    here); any other owner message goes on to the rest of the console."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    replied = message.reply_to_message
    reply_to = (message.chat_id, replied.message_id) if replied is not None else None
    lang, now, shop = (
        owner_lang(update, context),
        context.bot_data.clock(),
        context.bot_data.settings.shop_name,
    )

    def take(session: Session) -> Reply | None:
        return campaigns.take_text(
            session,
            owner_id=user.id,
            text=message.text,
            lang=lang,
            now=now,
            shop=shop,
            reply_to=reply_to,
        )

    reply = await transact(context, take)
    if reply is None:
        return
    await show(update, context, reply)
    raise ApplicationHandlerStop


def _ids(choice: callbacks.Callback) -> tuple[int, str]:
    campaign_id, _, rest = choice.value.partition(".")
    return int(campaign_id), rest


async def segment_pressed(
    update: Update, context: AkrabContext, choice: callbacks.Callback
) -> None:
    """A segment button of /broadcast."""
    (campaign_id, segment), owner, lang = (
        _ids(choice),
        owner_id(update),
        owner_lang(update, context),
    )
    reply = await transact(
        context,
        lambda s: campaigns.pick_segment(
            s, owner_id=owner, campaign_id=campaign_id, segment=segment, lang=lang
        ),
    )
    await show(update, context, reply)


async def variant_b_pressed(
    update: Update, context: AkrabContext, choice: callbacks.Callback
) -> None:
    """The "Tambah varian B" / "Tanpa B" buttons."""
    (campaign_id, answer), owner, lang = _ids(choice), owner_id(update), owner_lang(update, context)
    shop = context.bot_data.settings.shop_name
    reply = await transact(
        context,
        lambda s: campaigns.choose_b(
            s, owner_id=owner, campaign_id=campaign_id, add=answer == "yes", lang=lang, shop=shop
        ),
    )
    await show(update, context, reply)


async def confirm_pressed(
    update: Update, context: AkrabContext, choice: callbacks.Callback
) -> None:
    """The "Kirim" button: the campaign goes into the outbox (once, however often it is pressed)."""
    campaign_id, owner, lang = int(choice.value), owner_id(update), owner_lang(update, context)
    shop, now = context.bot_data.settings.shop_name, context.bot_data.clock()
    reply = await transact(
        context,
        lambda s: campaigns.confirm(
            s, owner_id=owner, campaign_id=campaign_id, lang=lang, shop=shop, now=now
        ),
    )
    if reply.edit is not None:
        log.info("owner %s launched campaign %s", owner, campaign_id)
    await show(update, context, reply)


async def drop_pressed(update: Update, context: AkrabContext, choice: callbacks.Callback) -> None:
    """The "Batal" button on a draft."""
    campaign_id, owner, lang = int(choice.value), owner_id(update), owner_lang(update, context)
    now = context.bot_data.clock()
    reply = await transact(
        context,
        lambda s: campaigns.drop(s, owner_id=owner, campaign_id=campaign_id, lang=lang, now=now),
    )
    await show(update, context, reply)


def fresh_details(
    context: AkrabContext, campaign_id: int, lang: str
) -> Callable[[Session], Screen]:
    """The campaign's results with its responses brought up to date first."""
    data = context.bot_data
    now, window = data.clock(), data.settings.response_window

    def work(session: Session) -> Screen:
        return campaign_results.details(
            session, campaign_id=campaign_id, lang=lang, now=now, window=window
        )

    return work


async def show_pressed(update: Update, context: AkrabContext, choice: callbacks.Callback) -> None:
    """A campaign's button in the list, or "Perbarui" on its results."""
    campaign_id, lang = int(choice.value), owner_lang(update, context)
    screen = await transact(context, fresh_details(context, campaign_id, lang))
    await show(update, context, Reply(edit=screen))


async def stop_pressed(update: Update, context: AkrabContext, choice: callbacks.Callback) -> None:
    """The "Batalkan" button: stop a campaign that is still going out."""
    campaign_id, lang, now = (
        int(choice.value),
        owner_lang(update, context),
        context.bot_data.clock(),
    )
    reply = await transact(
        context, lambda s: campaign_results.stop(s, campaign_id=campaign_id, lang=lang, now=now)
    )
    if reply.edit is not None:
        log.info(
            "owner %s cancelled campaign %s",
            update.effective_user.id if update.effective_user else "?",
            campaign_id,
        )
    await show(update, context, reply)
