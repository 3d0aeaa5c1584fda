"""What the bot sends to a customer, journalled around the Telegram call.

A row is written as "sending" before the call and becomes "sent" (with Telegram's message id)
after it, "unconfirmed" when the call timed out or the process died meanwhile (it may have
been delivered: never resent blindly); a send Telegram refused is deleted again. See README,
"Nothing lost".
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, exists, func, select, update
from sqlmodel import Session

from storage._raw import Raw
from storage._sql import table_of
from storage.models import Customer, Message

MESSAGE = table_of(Message)
CUSTOMER = table_of(Customer)

# Every reply goes through these three: on the driver's cursor (storage/_raw.py).
_CUSTOMER_OF_CHAT = Raw(
    select(CUSTOMER.c.id).where(
        CUSTOMER.c.telegram_id == bindparam("chat_id"), CUSTOMER.c.erased_at.is_(None)
    )
)
_INSERT = Raw(MESSAGE.insert().returning(MESSAGE.c.id))
_FINISH = Raw(
    update(MESSAGE)
    .where(MESSAGE.c.id == bindparam("row_id"))
    .values(
        telegram_message_id=bindparam("telegram_message_id"),
        sent_at=bindparam("sent_at"),
        kind=bindparam("kind"),
        text=bindparam("text"),
        delivery="sent",
    )
)
_SET_DELIVERY = (
    update(MESSAGE)
    .where(MESSAGE.c.id == bindparam("row_id"))
    .values(delivery=bindparam("delivery"))
)


def begin(
    *,
    session: Session,
    chat_id: int,
    kind: str,
    text: str | None,
    update_id: int | None,
    now: datetime,
    sent_by: int | None = None,
) -> int | None:
    """Journal a send to a customer's private chat as "sending"; its row id, or None when the
    chat is no customer's (an owner, a group, someone erased). `sent_by`: the owner who wrote
    it (the console's replies), else None (the bot's own)."""
    connection = session.connection()
    found = _CUSTOMER_OF_CHAT.rows(connection, {"chat_id": chat_id})
    if not found:
        return None
    customer_id = found[0].id
    [inserted] = _INSERT.rows(
        connection,
        {
            "customer_id": customer_id,
            "direction": "out",
            "kind": kind,
            "text": text,
            "chat_id": chat_id,
            "telegram_message_id": None,
            "callback_id": None,
            "sent_at": now,
            "update_id": update_id,
            "delivery": "sending",
            "sent_by": sent_by,
        },
    )
    return int(inserted.id)


def finish(
    *,
    session: Session,
    row_id: int,
    telegram_message_id: int,
    sent_at: datetime,
    kind: str,
    text: str | None,
) -> None:
    """The send went out: keep Telegram's message id and what was really sent."""
    _FINISH.rows(
        session.connection(),
        {
            "row_id": row_id,
            "telegram_message_id": telegram_message_id,
            "sent_at": sent_at,
            "kind": kind,
            "text": text,
        },
    )


def set_delivery(*, session: Session, row_id: int, delivery: str) -> None:
    """ "unconfirmed" (timed out: maybe delivered), or "failed" (refused by Telegram: the row
    goes, since no such message exists in the chat)."""
    if delivery == "failed":
        session.connection().execute(MESSAGE.delete().where(MESSAGE.c.id == row_id))
        return
    session.connection().execute(_SET_DELIVERY, {"row_id": row_id, "delivery": delivery})


def unconfirm_sending(*, session: Session, before: datetime) -> int:
    """Sends journalled before `before` and never answered (the process died): unconfirmed."""
    result = session.connection().execute(
        update(MESSAGE)
        .where(MESSAGE.c.delivery == "sending", MESSAGE.c.sent_at < before)
        .values(delivery="unconfirmed")
    )
    return int(result.rowcount or 0)


def answered(*, session: Session, update_id: int) -> bool:
    """Whether the bot already tried to answer this update (any journalled send)."""
    statement = select(
        exists().where(and_(MESSAGE.c.update_id == update_id, MESSAGE.c.direction == "out"))
    )
    return bool(session.connection().execute(statement).scalar())


def last_message_ids(*, session: Session) -> dict[int, int]:
    """The highest Telegram message id stored per chat (an offline Telegram that goes on from
    an existing database must not hand out ids its chats already used)."""
    rows = session.connection().execute(
        select(MESSAGE.c.chat_id, func.max(MESSAGE.c.telegram_message_id))
        .where(MESSAGE.c.chat_id.is_not(None), MESSAGE.c.telegram_message_id.is_not(None))
        .group_by(MESSAGE.c.chat_id)
    )
    return {int(chat_id): int(last) for chat_id, last in rows}
