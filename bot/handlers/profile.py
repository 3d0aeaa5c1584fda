"""Customer profile commands: /start, /invite, /help, /lang, /birthday, /stop."""

from __future__ import annotations

from telegram import Update

from bot.adapter.commands import CUSTOMER_COMMANDS
from bot.adapter.inbound import language_of
from bot.context import AkrabContext
from bot.handlers.common import customer_session, reply
from bot.services.birthday import parse_birthday
from bot.texts import t
from storage import customers

REFERRAL_PREFIX = "ref_"
BIRTHDAY_PROBLEM_TEXTS = {
    "format": "birthday_usage",
    "no_such_month": "birthday_no_such_month",
    "no_such_day": "birthday_no_such_day",
}


async def start(update: Update, context: AkrabContext) -> None:
    """Register or refresh the customer, record a referral, greet them in their language."""
    user = update.effective_user
    if context.customer is None:  # a group chat: we only record private chats
        lang = language_of(user.language_code if user else None)
        text = t(lang, "group_only_private", bot=context.bot.username)
        if update.effective_message:
            await update.effective_message.reply_text(text)
        return
    payload = context.args[0] if context.args else ""
    with customer_session(context) as (session, customer):
        was_opted_out = customer.opted_out
        customer.opted_out = False
        if not customer.language_locked and user is not None:
            customer.language = language_of(user.language_code)
        referrer = None
        if payload.startswith(REFERRAL_PREFIX):
            referrer = customers.set_referrer(
                session=session, customer=customer, code=payload[len(REFERRAL_PREFIX) :]
            )
        referrer_name = referrer.first_name if referrer else None
    name = customer.first_name or ""
    await reply(update, context, "welcome" if context.new_customer else "welcome_back", name=name)
    if referrer_name is not None:
        await reply(update, context, "referred", referrer=referrer_name)
    if was_opted_out:
        await reply(update, context, "opted_in_again")


async def invite(update: Update, context: AkrabContext) -> None:
    """Show the customer's own referral deep link and how many joined through it."""
    with customer_session(context) as (session, customer):
        count = customers.count_referrals(session=session, customer_id=customer.id or 0)
    link = f"https://t.me/{context.bot.username}?start={REFERRAL_PREFIX}{customer.referral_code}"
    await reply(update, context, "invite", link=link, count=count)


async def help_command(update: Update, context: AkrabContext) -> None:
    """List the customer commands in the customer's language."""
    lines = "\n".join(f"/{c.name} — {c.description(context.lang)}" for c in CUSTOMER_COMMANDS)
    await reply(update, context, "help", commands=lines)


async def set_language(update: Update, context: AkrabContext) -> None:
    """/lang id|en: choose the language the bot speaks to this customer."""
    choice = (context.args or [""])[0].lower()
    if choice not in {"id", "en"} or len(context.args or []) != 1:
        await reply(update, context, "lang_usage")
        return
    with customer_session(context) as (_, customer):
        customer.language = choice
        customer.language_locked = True
    await reply(update, context, "lang_set")


async def birthday(update: Update, context: AkrabContext) -> None:
    """/birthday DD-MM: remember the customer's birthday for greetings."""
    argument = " ".join(context.args or []).strip()
    parsed = parse_birthday(argument)
    if isinstance(parsed, str):
        await reply(update, context, BIRTHDAY_PROBLEM_TEXTS[parsed], date=argument)
        return
    with customer_session(context) as (_, customer):
        customer.birthday_day, customer.birthday_month = parsed
    await reply(update, context, "birthday_saved", date=f"{parsed[0]:02d}-{parsed[1]:02d}")


async def stop(update: Update, context: AkrabContext) -> None:
    """/stop: opt out of automated messages (/start opts back in)."""
    with customer_session(context) as (_, customer):
        customer.opted_out = True
    await reply(update, context, "stopped")
