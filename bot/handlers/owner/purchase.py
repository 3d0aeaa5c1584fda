"""/catat <@username|id> <amount> [note]: record a purchase and answer with the new total."""

from __future__ import annotations

import logging
from decimal import Decimal

from telegram import Update

from bot.adapter import db
from bot.context import AkrabContext
from bot.handlers.owner.console_common import owner_lang, send
from bot.services import owner_purchase
from bot.services.customer_report import amount, number
from bot.texts import t

log = logging.getLogger(__name__)

PROBLEM_TEXTS = {
    "bad_amount": "console_catat_bad_amount",
    "cents": "console_catat_cents",
    "unknown": "console_catat_unknown",
}


async def catat_command(update: Update, context: AkrabContext) -> None:
    """/catat: one purchase, from the owner's chat (source "owner")."""
    lang = owner_lang(update, context)
    request = owner_purchase.parse_catat(list(context.args or []))
    message = update.effective_message
    if request is None or message is None:
        await send(update, context, t(lang, "console_catat_usage"))
        return
    data = context.bot_data
    outcome = await db.run(
        data.engine,
        owner_purchase.record_purchase,
        data.engine,
        data.settings.ces_config,
        request,
        now=data.clock(),
        timezone=data.settings.timezone,
        command_key=f"{message.chat_id}:{message.message_id}",
    )
    if isinstance(outcome, str):
        text = t(lang, PROBLEM_TEXTS[outcome], amount=request.amount, who=request.who.value)
        await send(update, context, text)
        return
    log.info(
        "owner %s recorded %s cents for customer %s (new: %s)",
        message.from_user.id if message.from_user else "?",
        outcome.amount_cents,
        outcome.customer_id,
        outcome.added,
    )
    ces = number(lang, round(outcome.ces, 1)) if outcome.ces is not None else "–"
    await send(
        update,
        context,
        t(
            lang,
            "console_catat_done",
            name=outcome.name,
            amount=amount(lang, Decimal(outcome.amount_cents) / 100),
            total=amount(lang, Decimal(outcome.total_cents) / 100),
            count=outcome.purchases,
            ces=ces,
        ),
    )
