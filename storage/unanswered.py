"""Customers waiting for the shop: their messages since the shop last wrote to them.

The shop "wrote" when an owner's words went out (`message.sent_by` set: a console reply, or
anything else an owner sends to the customer); the bot's own automatic messages
(acknowledgements, thanks, menus) leave the customer waiting. One set-based statement for all
customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from storage._sql import table_of
from storage.models import Customer, Message

MESSAGE = table_of(Message)
CUSTOMER = table_of(Customer)
# What a customer says that wants an answer: their words, pictures, files, voice, a place.
QUESTION_KINDS = ("text", "photo", "video", "document", "voice", "location", "contact")


@dataclass(frozen=True, slots=True)
class Waiting:
    """A customer's oldest message since the shop last wrote, and how many came since."""

    customer_id: int
    first_name: str | None
    username: str | None
    message_id: int
    text: str | None
    since: datetime
    count: int


def waiting(*, session: Session, asked_after: datetime, asked_before: datetime) -> list[Waiting]:
    """Customers (not erased) whose oldest message since the shop last wrote to them was sent
    between `asked_after` and `asked_before`, oldest first."""
    answered = (
        select(MESSAGE.c.customer_id, func.max(MESSAGE.c.sent_at).label("at"))
        .where(MESSAGE.c.direction == "out", MESSAGE.c.sent_by.is_not(None))
        .group_by(MESSAGE.c.customer_id)
        .subquery("answered")
    )
    open_ = (
        select(
            MESSAGE.c.customer_id,
            func.min(MESSAGE.c.id).label("first_id"),
            func.count().label("count"),
        )
        .select_from(MESSAGE.outerjoin(answered, answered.c.customer_id == MESSAGE.c.customer_id))
        .where(
            MESSAGE.c.direction == "in",
            MESSAGE.c.kind.in_(QUESTION_KINDS),
            MESSAGE.c.sent_at >= asked_after,
            or_(answered.c.at.is_(None), MESSAGE.c.sent_at > answered.c.at),
        )
        .group_by(MESSAGE.c.customer_id)
        .subquery("open")
    )
    first = MESSAGE.alias("first")
    statement = (
        select(
            open_.c.customer_id,
            CUSTOMER.c.first_name,
            CUSTOMER.c.username,
            first.c.id,
            first.c.text,
            first.c.sent_at,
            open_.c.count,
        )
        .select_from(
            open_.join(first, first.c.id == open_.c.first_id).join(
                CUSTOMER, CUSTOMER.c.id == open_.c.customer_id
            )
        )
        .where(and_(first.c.sent_at <= asked_before, CUSTOMER.c.erased_at.is_(None)))
        .order_by(first.c.sent_at, first.c.id)
    )
    return [Waiting(*row) for row in session.connection().execute(statement)]
