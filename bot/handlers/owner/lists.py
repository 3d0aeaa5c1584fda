"""/atrisk and /top: the lists, with a one-tap message and the card on every row."""

from __future__ import annotations

from telegram import Update

from bot.adapter import db
from bot.context import AkrabContext
from bot.handlers.owner.console_common import button, owner_lang, send
from bot.services import owner_lists
from bot.texts import t

# The row's one-tap action: a win-back for the at-risk list, thanks for an advocate.
ROW_ACTION = {
    "atrisk": ("o_winback", "console_button_winback"),
    "top": ("o_thanks", "console_button_thanks"),
}


async def show_list(update: Update, context: AkrabContext, which: owner_lists.Which) -> None:
    lang = owner_lang(update, context)
    page = owner_lists.parse_page(context.args or [])
    if page is None:
        await send(update, context, t(lang, "console_list_usage", command=which))
        return
    data = context.bot_data
    listing = await db.run(
        data.engine,
        owner_lists.list_page,
        data.engine,
        data.settings.ces_config,
        which,
        page,
        now=data.clock(),
        timezone=data.settings.timezone,
        lang=lang,
    )
    action, label = ROW_ACTION[which]
    rows = [
        [
            button(t(lang, label, name=name), action, customer_id),
            button("👤", "o_card", customer_id),
        ]
        for customer_id, name in listing.rows
    ]
    await send(update, context, listing.text, rows=rows)


async def atrisk_command(update: Update, context: AkrabContext) -> None:
    """/atrisk [page]: at-risk and declining customers, lowest CES first."""
    await show_list(update, context, "atrisk")


async def top_command(update: Update, context: AkrabContext) -> None:
    """/top [page]: the advocates, highest CES first."""
    await show_list(update, context, "top")
