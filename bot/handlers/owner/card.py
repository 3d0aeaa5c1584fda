"""/customer <@username|id|name>: the customer card, and the buttons that open or act on it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import Update

from bot.adapter import callbacks, db
from bot.context import AkrabContext
from bot.handlers.owner.console_common import button, owner_lang, send
from bot.handlers.profile import REFERRAL_PREFIX
from bot.services import owner_card, owner_outreach
from bot.texts import t

log = logging.getLogger(__name__)


async def show_card(update: Update, context: AkrabContext, customer_id: int, lang: str) -> None:
    """Send the card of `customer_id` with its "Balas" and "Minta rating" buttons."""
    data = context.bot_data
    card = await db.run(
        data.engine,
        owner_card.build_card,
        data.engine,
        data.settings.ces_config,
        customer_id,
        now=data.clock(),
        timezone=data.settings.timezone,
        lang=lang,
    )
    if card is None:
        await send(update, context, t(lang, "console_gone"))
        return
    rows = [
        [
            button(t(lang, "console_button_reply"), "o_reply", customer_id),
            button(t(lang, "console_button_rate"), "o_rate", customer_id),
        ]
    ]
    await send(update, context, card.html, rows=rows, html=True)


async def customer_command(update: Update, context: AkrabContext) -> None:
    """/customer: one match shows the card, several a list to pick from."""
    lang = owner_lang(update, context)
    query = " ".join(context.args or [])
    who = owner_card.parse_who(query)
    if who is None:
        await send(update, context, t(lang, "console_customer_usage"))
        return
    matches = await db.run(context.bot_data.engine, owner_card.find, context.bot_data.engine, who)
    if not matches:
        await send(update, context, t(lang, "console_customer_not_found", query=who.value))
    elif len(matches) == 1:
        await show_card(update, context, matches[0].customer_id, lang)
    else:
        shown = matches[: owner_card.MATCH_LIMIT]
        more = len(matches) > owner_card.MATCH_LIMIT
        key = "console_customer_many_more" if more else "console_customer_many"
        rows = [
            [button(t(lang, "console_button_card", name=m.label), "o_card", m.customer_id)]
            for m in shown
        ]
        await send(update, context, t(lang, key, query=who.value, count=len(shown)), rows=rows)


async def card_pressed(update: Update, context: AkrabContext, choice: callbacks.Callback) -> None:
    """A "👤" button (a match, a list row, an alert): send that customer's card."""
    assert update.callback_query is not None
    await update.callback_query.answer()
    await show_card(update, context, int(choice.value), owner_lang(update, context))


def invite_link(context: AkrabContext) -> Callable[[str], str]:
    """The customer's /invite link (as bot.handlers.profile.invite builds it), by code."""
    username = context.bot.username

    def link(code: str) -> str:
        return f"https://t.me/{username}?start={REFERRAL_PREFIX}{code}"

    return link


async def one_tap_pressed(
    update: Update, context: AkrabContext, choice: callbacks.Callback
) -> None:
    """⭐ / 💌 / 🙏: plan the rating request, win-back or thanks once; say what happened."""
    query = update.callback_query
    assert query is not None
    action = ONE_TAP_ACTIONS[choice.action]
    data = context.bot_data
    settings = data.settings
    outcome = await db.run(
        data.engine,
        owner_outreach.plan_one_tap,
        data.engine,
        action,
        int(choice.value),
        now=data.clock(),
        timezone=settings.timezone,
        shop=settings.shop_name,
        incentive=settings.at_risk_incentive,
        invite_link=invite_link(context),
    )
    log.info(
        "owner %s pressed %s for customer %s: %s",
        query.from_user.id,
        action,
        choice.value,
        outcome,
    )
    lang = owner_lang(update, context)
    key = {
        "queued": "console_queued",
        "already": "console_already_queued",
        "unreachable": "console_not_reachable",
        "gone": "console_gone",
    }[outcome]
    await query.answer(t(lang, key), show_alert=outcome != "queued")


ONE_TAP_ACTIONS: dict[str, owner_outreach.Action] = {
    "o_rate": "rating",
    "o_winback": "winback",
    "o_thanks": "thanks",
}
