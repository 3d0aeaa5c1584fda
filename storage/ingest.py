"""The hot path: record one inbound message and its sender in a few Core statements.

Every customer update goes through here, so it skips the ORM unit of work: one SELECT of the
customer, one INSERT or UPDATE of it, and one `INSERT … ON CONFLICT DO NOTHING` of the message
(the unique constraints decide what is a duplicate, on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from storage.customers import new_referral_code
from storage.messages import SentimentFields
from storage.models import Customer, Message

CUSTOMER = Customer.__table__  # type: ignore[attr-defined]
MESSAGE = Message.__table__  # type: ignore[attr-defined]
PROFILE = ("chat_id", "first_name", "last_name", "username")
SENTIMENT_NONE = {
    "sentiment_polarity": None,
    "sentiment_label": None,
    "sentiment_lang": None,
    "sentiment_version": None,
}

# Built once: building a statement per message costs more than running it.
SELECT_CUSTOMER = select(
    CUSTOMER.c.id,
    CUSTOMER.c.language,
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
INSERT_MESSAGE = {
    "postgresql": postgresql.insert(MESSAGE).on_conflict_do_nothing().returning(MESSAGE.c.id),
    "sqlite": sqlite.insert(MESSAGE).on_conflict_do_nothing().returning(MESSAGE.c.id),
}


@dataclass(frozen=True, slots=True)
class CustomerSnapshot:
    """What the handlers need to know about the sender of one update."""

    id: int
    telegram_id: int
    language: str
    first_name: str | None
    referral_code: str
    opted_out: bool


@dataclass(frozen=True, slots=True)
class Recorded:
    """The sender as stored now, when they were last seen before (None: new), and the row id
    of the message (None: this message was recorded before)."""

    customer: CustomerSnapshot
    previous_seen: datetime | None
    message_id: int | None


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
        customer = CustomerSnapshot(customer_id, telegram_id, language, first_name, code, False)
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
            row.id, telegram_id, row.language, first_name, row.referral_code, row.opted_out
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
        **SENTIMENT_NONE,
    }
    if sentiment is not None:
        message.update(
            sentiment_polarity=sentiment.polarity,
            sentiment_label=sentiment.label,
            sentiment_lang=sentiment.lang,
            sentiment_version=sentiment.version,
        )
    statement = INSERT_MESSAGE.get(connection.dialect.name)
    if statement is None:  # another database: the unique constraints still refuse duplicates
        statement = insert(MESSAGE).returning(MESSAGE.c.id)
    message_id = connection.execute(statement, message).scalar_one_or_none()
    return Recorded(customer, previous_seen, message_id)


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
    )
