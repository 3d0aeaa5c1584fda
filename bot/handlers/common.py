"""Small helpers shared by the handlers: replying in the customer's language, and running
database work for the current customer off the event loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session
from telegram import InlineKeyboardMarkup, Update

from bot.adapter import db
from bot.context import AkrabContext
from bot.texts import t
from storage.ingest import snapshot
from storage.models import Customer

T = TypeVar("T")


async def reply(
    update: Update,
    context: AkrabContext,
    key: str,
    *,
    markup: InlineKeyboardMarkup | None = None,
    **values: object,
) -> None:
    """Answer in the chat of `update` with text `key` in the customer's language."""
    chat = update.effective_chat
    if chat is None:
        return
    await context.bot.send_message(chat.id, t(context.lang, key, **values), reply_markup=markup)


async def with_customer(context: AkrabContext, work: Callable[[Session, Customer], T]) -> T:
    """Run `work(session, customer)` in a worker thread, in one committing transaction, with
    the current customer loaded; the context's snapshot follows what `work` changed."""
    assert context.customer is not None
    customer_id = context.customer.id
    engine = context.bot_data.engine

    def run(session: Session) -> tuple[T, Customer]:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        result = work(session, customer)
        session.flush()
        return result, customer

    result, customer = await db.transact(engine, run)
    context.customer = snapshot(customer) if customer.erased_at is None else None
    return result


async def in_session(context: AkrabContext, work: Callable[[Session], T]) -> T:
    """Run `work(session)` in a worker thread, in one committing transaction."""
    engine = context.bot_data.engine

    return await db.transact(engine, work)
