"""The hot path: record one inbound message and its sender in a few Core statements.

Every customer update goes through here, so it skips the ORM unit of work: one SELECT of the
customer, one INSERT or UPDATE of it, and one `INSERT … ON CONFLICT DO NOTHING` of the message
(the unique constraints decide what is a duplicate, on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlmodel import Session

from storage._sql import insert_ignore
from storage.customers import new_referral_code
from storage.messages import SentimentFields, sentiment_columns
from storage.models import Customer, Message
from storage.outbound import answered

CUSTOMER = Customer.__table__  # type: ignore[attr-defined]
MESSAGE = Message.__table__  # type: ignore[attr-defined]
PROFILE = ("chat_id", "first_name", "last_name", "username")
# Built once: building a statement per message costs more than running it.
SELECT_CUSTOMER = select(
    CUSTOMER.c.id,
    CUSTOMER.c.language,
    CUSTOMER.c.first_seen,
    CUSTOMER.c.last_seen,
    CUSTOMER.c.referral_code,
    CUSTOMER.c.opted_out,
    CUSTOMER.c.blocked,
    *(CUSTOMER.c[name] for name in PROFILE),
).where(CUSTOMER.c.telegram_id == bindparam("telegram_id"))
INSERT_CUSTOMER = insert(CUSTOMER).returning(CUSTOMER.c.id)
UPDATE_CUSTOMER = (
    update(CUSTOMER)
    .where(CUSTOMER.c.id == bindparam("customer_id"))
    .values(
        {**{name: bindparam(f"new_{name}") for name in (*PROFILE, "last_seen")}, "blocked": False}
    )
)


@dataclass(frozen=True, slots=True)
class CustomerSnapshot:
    """What the handlers need to know about the sender of one update."""

    id: int
    telegram_id: int
    language: str
    first_name: str | None
    referral_code: str
    opted_out: bool
    first_seen: datetime


@dataclass(frozen=True, slots=True)
class Recorded:
    """The sender as stored now, when they were last seen before (None: new), and the row id
    of the message (None: this message was recorded before and needs no more handling).

    `replay` is True when this very update was recorded by a run that died before answering
    it: it is handled again, as it would have been then, but not recorded twice."""

    customer: CustomerSnapshot
    previous_seen: datetime | None
    message_id: int | None
    replay: bool = False


def record_inbound(
    *,
    session: Session,
    telegram_id: int,
    chat_id: int,
    first_name: str | None,
    last_name: str | None,
    username: str | None,
    language: str,
    kind: str,
    text: str | None,
    telegram_message_id: int | None,
    callback_id: str | None,
    sent_at: datetime,
    sentiment: SentimentFields | None,
    update_id: int | None = None,
    original_length: int | None = None,
) -> Recorded:
    """Upsert the sender and add their message once; see `Recorded`."""
    connection = session.connection()
    profile = {
        "chat_id": chat_id,
        "first_name": first_name,
        "last_name": last_name,
        "username": username,
    }
    row = connection.execute(SELECT_CUSTOMER, {"telegram_id": telegram_id}).first()
    if row is None:
        code = new_referral_code()
        values = {
            **profile,
            "telegram_id": telegram_id,
            "language": language,
            "language_locked": False,
            "first_seen": sent_at,
            "last_seen": sent_at,
            "referral_code": code,
            "opted_out": False,
            "blocked": False,
        }
        customer_id = connection.execute(INSERT_CUSTOMER, values).scalar_one()
        customer = CustomerSnapshot(
            customer_id, telegram_id, language, first_name, code, False, sent_at
        )
        previous_seen = None
    else:
        previous_seen = row.last_seen
        last_seen = max(previous_seen, sent_at)
        if (
            row.blocked
            or last_seen != previous_seen
            or any(getattr(row, name) != profile[name] for name in PROFILE)
        ):
            connection.execute(
                UPDATE_CUSTOMER,
                {
                    "customer_id": row.id,
                    "new_last_seen": last_seen,
                    **{f"new_{name}": value for name, value in profile.items()},
                },
            )
        customer = CustomerSnapshot(
            row.id,
            telegram_id,
            row.language,
            first_name,
            row.referral_code,
            row.opted_out,
            row.first_seen,
        )
    message: dict[str, Any] = {
        "customer_id": customer.id,
        "direction": "in",
        "kind": kind,
        "text": text,
        "chat_id": chat_id,
        "telegram_message_id": telegram_message_id,
        "callback_id": callback_id,
        "sent_at": sent_at,
        "edited_at": None,
        "update_id": update_id,
        "original_length": original_length,
        **sentiment_columns(sentiment),
    }
    statement = insert_ignore(MESSAGE, connection.dialect.name, MESSAGE.c.id)
    message_id = connection.execute(statement, message).scalar_one_or_none()
    if message_id is None and update_id is not None:
        return _replayed(session, customer, update_id, chat_id, telegram_message_id, callback_id)
    return Recorded(customer, previous_seen, message_id)


def _replayed(
    session: Session,
    customer: CustomerSnapshot,
    update_id: int,
    chat_id: int,
    telegram_message_id: int | None,
    callback_id: str | None,
) -> Recorded:
    """A message recorded before: handle it again only if this same update recorded it and the
    bot never tried to answer it (the process died in between)."""
    connection = session.connection()
    if callback_id is not None:
        where = MESSAGE.c.callback_id == callback_id
    else:
        where = (MESSAGE.c.chat_id == chat_id) & (
            MESSAGE.c.telegram_message_id == telegram_message_id
        )
    stored = connection.execute(select(MESSAGE.c.id, MESSAGE.c.update_id).where(where)).first()
    if (
        stored is None
        or stored.update_id != update_id
        or answered(session=session, update_id=update_id)
    ):
        return Recorded(customer, None, None)
    previous = connection.execute(
        select(func.max(MESSAGE.c.sent_at)).where(
            MESSAGE.c.customer_id == customer.id,
            MESSAGE.c.direction == "in",
            MESSAGE.c.id < stored.id,
        )
    ).scalar()
    if previous is not None and previous.tzinfo is None:
        previous = previous.replace(tzinfo=UTC)
    return Recorded(customer, previous, stored.id, replay=True)


def snapshot(customer: Customer) -> CustomerSnapshot:
    assert customer.id is not None
    assert customer.telegram_id is not None
    return CustomerSnapshot(
        customer.id,
        customer.telegram_id,
        customer.language,
        customer.first_name,
        customer.referral_code,
        customer.opted_out,
        customer.first_seen,
    )
