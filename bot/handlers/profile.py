"""Customer profile commands: /start, /invite, /help, /lang, /birthday, /stop."""

from __future__ import annotations

from sqlmodel import Session
from telegram import Update

from bot.adapter.commands import CUSTOMER_COMMANDS
from bot.context import AkrabContext
from bot.handlers.common import in_session, reply, with_customer
from bot.services.birthday import parse_birthday
from bot.services.recording import language_of
from bot.texts import t
from storage import customers
from storage.models import Customer

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
        default = context.bot_data.settings.default_language
        lang = language_of(user.language_code if user else None, default=default)
        text = t(lang, "group_only_private", bot=context.bot.username)
        if update.effective_message:
            await update.effective_message.reply_text(text)
        return
    payload = context.args[0] if context.args else ""
    language_code = user.language_code if user else None

    def register(session: Session, customer: Customer) -> tuple[bool, str | None]:
        was_opted_out = customer.opted_out
        customer.opted_out = False
        if not customer.language_locked:  # Telegram saying nothing keeps what we know
            customer.language = language_of(language_code, default=customer.language)
        referrer = None
        if payload.startswith(REFERRAL_PREFIX):
            referrer = customers.set_referrer(
                session=session, customer=customer, code=payload[len(REFERRAL_PREFIX) :]
            )
        return was_opted_out, referrer.first_name if referrer else None

    was_opted_out, referrer_name = await with_customer(context, register)
    name = context.customer.first_name if context.customer else ""
    await reply(
        update, context, "welcome" if context.new_customer else "welcome_back", name=name or ""
    )
    if referrer_name is not None:
        await reply(update, context, "referred", referrer=referrer_name)
    if was_opted_out:
        await reply(update, context, "opted_in_again")


async def invite(update: Update, context: AkrabContext) -> None:
    """Show the customer's own referral deep link and how many joined through it."""
    assert context.customer is not None
    customer_id, code = context.customer.id, context.customer.referral_code
    count = await in_session(
        context, lambda session: customers.count_referrals(session=session, customer_id=customer_id)
    )
    link = f"https://t.me/{context.bot.username}?start={REFERRAL_PREFIX}{code}"
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

    def choose(_: Session, customer: Customer) -> None:
        customer.language = choice
        customer.language_locked = True

    await with_customer(context, choose)
    await reply(update, context, "lang_set")


async def birthday(update: Update, context: AkrabContext) -> None:
    """/birthday DD-MM: remember the customer's birthday for greetings."""
    argument = " ".join(context.args or []).strip()
    parsed = parse_birthday(argument)
    if isinstance(parsed, str):
        await reply(update, context, BIRTHDAY_PROBLEM_TEXTS[parsed], date=argument)
        return
    day, month = parsed

    def save(_: Session, customer: Customer) -> None:
        customer.birthday_day, customer.birthday_month = day, month

    await with_customer(context, save)
    await reply(update, context, "birthday_saved", date=f"{parsed[0]:02d}-{parsed[1]:02d}")


async def stop(update: Update, context: AkrabContext) -> None:
    """/stop: opt out of automated messages (/start opts back in)."""

    def opt_out(_: Session, customer: Customer) -> None:
        customer.opted_out = True

    await with_customer(context, opt_out)
    await reply(update, context, "stopped")
