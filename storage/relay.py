"""The owner console's bookkeeping: relays of customer messages to owner chats, the customers'
forum topics, and the owners' reply mode ("Balas").

A relay is planned once per customer message and owner chat (unique), in the customer's
update; a sender takes it ("sending": from then on it may have arrived, so it is never resent)
and records the owner-side message id ("sent"), or "failed" when Telegram refused it. A
replayed update plans nothing again; a restart sends what was still planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, select, update
from sqlmodel import Session

from storage._sql import insert_ignore, table_of
from storage.models import (
    Customer,
    CustomerTopic,
    InboxUpdate,
    Message,
    OwnerRelay,
    OwnerReplyMode,
)

RELAY = table_of(OwnerRelay)
TOPIC = table_of(CustomerTopic)
MODE = table_of(OwnerReplyMode)
CUSTOMER = table_of(Customer)
MESSAGE = table_of(Message)
INBOX = table_of(InboxUpdate)


@dataclass(frozen=True, slots=True)
class CustomerLine:
    """What the owner's header shows about a customer (plain values)."""

    id: int
    telegram_id: int | None  # None: erased
    first_name: str | None
    last_name: str | None
    username: str | None
    language: str
    ces: float | None
    segment: str | None
    declining: bool
    blocked: bool


def customer_line(*, session: Session, customer_id: int) -> CustomerLine | None:
    row = (
        session.connection()
        .execute(
            select(
                CUSTOMER.c.id,
                CUSTOMER.c.telegram_id,
                CUSTOMER.c.first_name,
                CUSTOMER.c.last_name,
                CUSTOMER.c.username,
                CUSTOMER.c.language,
                CUSTOMER.c.ces,
                CUSTOMER.c.segment,
                CUSTOMER.c.declining,
                CUSTOMER.c.blocked,
            ).where(CUSTOMER.c.id == customer_id)
        )
        .first()
    )
    return None if row is None else CustomerLine(**row._mapping)


def message_polarity(*, session: Session, message_id: int) -> float | None:
    statement = select(MESSAGE.c.sentiment_polarity).where(MESSAGE.c.id == message_id)
    value = session.connection().execute(statement).scalar()
    return None if value is None else float(value)


# -- relays ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RelayJob:
    """A planned relay with what sending it needs: the customer's message as stored."""

    relay_id: int
    owner_chat_id: int
    customer_id: int
    message_id: int
    kind: str
    text: str | None
    chat_id: int  # the customer's chat, to copy from
    telegram_message_id: int | None
    payload: str | None = None  # the raw update, while the inbox keeps it (its media's file id)


def plan(
    *,
    session: Session,
    customer_id: int,
    message_id: int,
    owner_chat_ids: list[int],
    now: datetime,
) -> int:
    """Plan the relay of `message_id` to each owner chat, once per chat (a replanned message
    is planned for no chat again); how many were planned now."""
    connection = session.connection()
    statement = insert_ignore(RELAY, connection.dialect.name, RELAY.c.id)
    planned = 0
    for owner_chat_id in owner_chat_ids:
        values = {
            "customer_id": customer_id,
            "message_id": message_id,
            "owner_chat_id": owner_chat_id,
            "owner_message_id": None,
            "created_at": now,
            "status": "planned",
        }
        planned += connection.execute(statement, values).scalar_one_or_none() is not None
    return planned


def planned(*, session: Session, owner_chat_id: int, limit: int) -> list[RelayJob]:
    """The oldest planned relays to `owner_chat_id`, in order."""
    rows = session.connection().execute(
        select(
            RELAY.c.id,
            RELAY.c.owner_chat_id,
            RELAY.c.customer_id,
            RELAY.c.message_id,
            MESSAGE.c.kind,
            MESSAGE.c.text,
            MESSAGE.c.chat_id,
            MESSAGE.c.telegram_message_id,
            INBOX.c.payload,
        )
        .select_from(
            RELAY.join(MESSAGE, MESSAGE.c.id == RELAY.c.message_id).outerjoin(
                INBOX, INBOX.c.update_id == MESSAGE.c.update_id
            )
        )
        .where(RELAY.c.status == "planned", RELAY.c.owner_chat_id == owner_chat_id)
        .order_by(RELAY.c.id)
        .limit(limit)
    )
    return [RelayJob(*row) for row in rows]


def chats_with_planned(*, session: Session) -> list[int]:
    statement = select(RELAY.c.owner_chat_id).where(RELAY.c.status == "planned").distinct()
    return [int(chat) for chat in session.connection().execute(statement).scalars()]


def start(*, session: Session, relay_id: int) -> bool:
    """Take a planned relay for sending ("sending": from now on maybe delivered, never resent);
    False when another process took it first."""
    result = session.connection().execute(
        update(RELAY)
        .where(RELAY.c.id == relay_id, RELAY.c.status == "planned")
        .values(status="sending")
    )
    return bool(result.rowcount)


def confirm(*, session: Session, relay_id: int, owner_message_id: int) -> None:
    """The relay arrived as `owner_message_id`: a reply to it goes to the customer."""
    session.connection().execute(
        update(RELAY)
        .where(RELAY.c.id == relay_id)
        .values(owner_message_id=owner_message_id, status="sent")
    )


def fail(*, session: Session, relay_id: int) -> None:
    """Telegram refused the relay: no such message exists in the owner chat."""
    session.connection().execute(
        update(RELAY).where(RELAY.c.id == relay_id).values(status="failed")
    )


def customer_of_relay(*, session: Session, owner_chat_id: int, owner_message_id: int) -> int | None:
    """The customer whose relayed message (or alert) `owner_message_id` is, if any."""
    statement = select(RELAY.c.customer_id).where(
        RELAY.c.owner_chat_id == owner_chat_id, RELAY.c.owner_message_id == owner_message_id
    )
    value = session.connection().execute(statement).scalar()
    return None if value is None else int(value)


# -- forum topics -------------------------------------------------------------------------------
def topic_of(*, session: Session, customer_id: int, chat_id: int) -> int | None:
    statement = select(TOPIC.c.thread_id).where(
        TOPIC.c.customer_id == customer_id, TOPIC.c.chat_id == chat_id
    )
    value = session.connection().execute(statement).scalar()
    return None if value is None else int(value)


def set_topic(
    *, session: Session, customer_id: int, chat_id: int, thread_id: int, now: datetime
) -> None:
    """The customer's topic is now `thread_id` (a new one replaces a deleted one)."""
    connection = session.connection()
    connection.execute(delete(TOPIC).where(TOPIC.c.customer_id == customer_id))
    connection.execute(
        TOPIC.insert(),
        {"customer_id": customer_id, "chat_id": chat_id, "thread_id": thread_id, "created_at": now},
    )


def customer_of_topic(*, session: Session, chat_id: int, thread_id: int) -> int | None:
    statement = select(TOPIC.c.customer_id).where(
        and_(TOPIC.c.chat_id == chat_id, TOPIC.c.thread_id == thread_id)
    )
    value = session.connection().execute(statement).scalar()
    return None if value is None else int(value)


# -- reply mode ---------------------------------------------------------------------------------
def set_reply_mode(
    *, session: Session, owner_id: int, chat_id: int, customer_id: int, now: datetime
) -> None:
    """The owner's next message in `chat_id` goes to `customer_id` (replacing any earlier)."""
    connection = session.connection()
    connection.execute(delete(MODE).where(MODE.c.owner_id == owner_id))
    connection.execute(
        MODE.insert(),
        {"owner_id": owner_id, "chat_id": chat_id, "customer_id": customer_id, "created_at": now},
    )


def take_reply_mode(
    *, session: Session, owner_id: int, chat_id: int, since: datetime
) -> int | None:
    """The customer the owner's message in `chat_id` is for, set after `since`; the mode ends
    with this message (an older one is dropped)."""
    connection = session.connection()
    row = connection.execute(
        select(MODE.c.chat_id, MODE.c.customer_id, MODE.c.created_at).where(
            MODE.c.owner_id == owner_id
        )
    ).first()
    if row is None or row.chat_id != chat_id:
        return None
    connection.execute(delete(MODE).where(MODE.c.owner_id == owner_id))
    return int(row.customer_id) if row.created_at >= since else None
