"""Small helpers shared by the handlers: replying in the customer's language, loading them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session
from telegram import InlineKeyboardMarkup, Update

from bot.context import AkrabContext
from bot.texts import t
from storage.db import session_scope
from storage.ingest import snapshot
from storage.models import Customer


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


@contextmanager
def customer_session(context: AkrabContext) -> Iterator[tuple[Session, Customer]]:
    """A committing session with the current customer loaded into it."""
    assert context.customer is not None
    assert context.customer.id is not None
    with session_scope(context.bot_data.engine) as session:
        customer = session.get(Customer, context.customer.id)
        assert customer is not None
        yield session, customer
    context.customer = snapshot(customer) if customer.erased_at is None else None
