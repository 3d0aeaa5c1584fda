"""The hot path for many senders at once: `record_inbound` for a group of messages in a few
statements (one SELECT of the senders, one multi-row INSERT of the new ones, one UPDATE of the
others, one multi-row `INSERT … ON CONFLICT DO NOTHING` of the messages).

Every message comes from a different sender (the caller groups one update per chat lane), so
nothing in the group depends on another part of it, and the outcome is the one `record_inbound`
would give for each message in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlmodel import Session

from storage import prompts
from storage._raw import Raw, cheap, run_each
from storage._sql import insert_ignore
from storage.customers import new_referral_code
from storage.ingest import (
    CUSTOMER,
    MESSAGE,
    PROFILE,
    UPDATE_CUSTOMER,
    CustomerSnapshot,
    Recorded,
    _replayed,
    record_inbound,
)
from storage.messages import SentimentFields, sentiment_columns
from storage.prompts import PROMPT

SENDER = select(
    CUSTOMER.c.telegram_id,
    CUSTOMER.c.id,
    CUSTOMER.c.language,
    CUSTOMER.c.first_seen,
    CUSTOMER.c.last_seen,
    CUSTOMER.c.referral_code,
    CUSTOMER.c.opted_out,
    CUSTOMER.c.blocked,
    *(CUSTOMER.c[name] for name in PROFILE),
    PROMPT.c.kind.label("prompted"),
).select_from(
    CUSTOMER.outerjoin(
        PROMPT, (PROMPT.c.customer_id == CUSTOMER.c.id) & (PROMPT.c.kind == bindparam("kind"))
    )
)
# One statement for all senders where a statement costs a round trip (PostgreSQL); one a
# sender on the driver's cursor where it costs microseconds (SQLite, see storage/_raw.py).
SELECT_CUSTOMERS = SENDER.where(
    CUSTOMER.c.telegram_id.in_(bindparam("telegram_ids", expanding=True))
)
SELECT_CUSTOMER = Raw(SENDER.where(CUSTOMER.c.telegram_id == bindparam("telegram_id")))
INSERT_CUSTOMERS = Raw(insert(CUSTOMER).returning(CUSTOMER.c.telegram_id, CUSTOMER.c.id))
UPDATE_CUSTOMERS = Raw(UPDATE_CUSTOMER)
MESSAGE_KEY = (
    MESSAGE.c.update_id,
    MESSAGE.c.chat_id,
    MESSAGE.c.telegram_message_id,
    MESSAGE.c.callback_id,
)


@dataclass(frozen=True, slots=True)
class NewInbound:
    """One inbound message to record: the values `storage.ingest.record_inbound` takes."""

    telegram_id: int
    chat_id: int
    first_name: str | None
    last_name: str | None
    username: str | None
    language: str
    kind: str
    text: str | None
    telegram_message_id: int | None
    callback_id: str | None
    sent_at: datetime
    sentiment: SentimentFields | None
    update_id: int | None = None
    original_length: int | None = None

    def key(self) -> tuple[Any, ...]:
        return (self.update_id, self.chat_id, self.telegram_message_id, self.callback_id)


def record_one(*, session: Session, item: NewInbound) -> Recorded:
    """`record_inbound` for one `NewInbound` (its fields are that function's arguments)."""
    values = {field.name: getattr(item, field.name) for field in fields(item)}
    return record_inbound(session=session, **values)


def record_many(
    *, session: Session, items: Sequence[NewInbound], prompt: str
) -> list[tuple[Recorded, bool]]:
    """`record_inbound` for every item (senders and messages all different), in item order,
    each with whether its sender has a `prompt` pending (see storage/prompts.py)."""
    if not items:
        return []
    senders = {item.telegram_id for item in items}
    keys = {item.key() for item in items}
    if len(senders) < len(items) or len(keys) < len(items):
        alone = []
        for item in items:  # one after another
            recorded = record_one(session=session, item=item)
            waiting = prompts.pending(
                session=session, customer_id=recorded.customer.id, kind=prompt
            )
            alone.append((recorded, waiting))
        return alone
    connection = session.connection()
    if cheap(connection):
        found = SELECT_CUSTOMER.each(
            connection, [{"telegram_id": sender, "kind": prompt} for sender in sorted(senders)]
        )
    else:
        params = {"telegram_ids": sorted(senders), "kind": prompt}
        found = list(connection.execute(SELECT_CUSTOMERS, params))
    stored = {row.telegram_id: row for row in found}
    customers: dict[int, CustomerSnapshot] = {}
    previous: dict[int, datetime | None] = {}
    new_rows: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for item in items:
        profile = _profile(item)
        row = stored.get(item.telegram_id)
        if row is None:
            code = new_referral_code()
            new_rows.append(
                {
                    **profile,
                    "telegram_id": item.telegram_id,
                    "language": item.language,
                    "language_locked": False,
                    "first_seen": item.sent_at,
                    "last_seen": item.sent_at,
                    "referral_code": code,
                    "opted_out": False,
                    "blocked": False,
                }
            )
            previous[item.telegram_id] = None
            continue
        previous[item.telegram_id] = row.last_seen
        last_seen = max(row.last_seen, item.sent_at)
        if (
            row.blocked
            or last_seen != row.last_seen
            or any(getattr(row, name) != profile[name] for name in PROFILE)
        ):
            changes.append(
                {
                    "customer_id": row.id,
                    "new_last_seen": last_seen,
                    **{f"new_{name}": value for name, value in profile.items()},
                }
            )
        customers[item.telegram_id] = CustomerSnapshot(
            row.id,
            item.telegram_id,
            row.language,
            item.first_name,
            row.referral_code,
            row.opted_out,
            row.first_seen,
        )
    if new_rows:
        ids = {row.telegram_id: row.id for row in run_each(connection, INSERT_CUSTOMERS, new_rows)}
        for values in new_rows:
            telegram_id = values["telegram_id"]
            customers[telegram_id] = CustomerSnapshot(
                ids[telegram_id],
                telegram_id,
                values["language"],
                values["first_name"],
                values["referral_code"],
                False,
                values["first_seen"],
            )
    if changes:
        UPDATE_CUSTOMERS.many(connection, changes)
    rows = [_message(item, customers[item.telegram_id].id) for item in items]
    inserted = {
        (row.update_id, row.chat_id, row.telegram_message_id, row.callback_id): row.id
        for row in run_each(connection, _insert_messages(connection.dialect.name), rows)
    }
    results = []
    for item in items:
        customer = customers[item.telegram_id]
        message_id = inserted.get(item.key())
        if message_id is None and item.update_id is not None:
            results.append(
                _replayed(
                    session,
                    customer,
                    item.update_id,
                    item.chat_id,
                    item.telegram_message_id,
                    item.callback_id,
                )
            )
        else:
            results.append(Recorded(customer, previous[item.telegram_id], message_id))
    return [
        (recorded, _prompted(stored.get(recorded.customer.telegram_id))) for recorded in results
    ]


@lru_cache(maxsize=4)
def _insert_messages(dialect: str) -> Raw:
    return Raw(insert_ignore(MESSAGE, dialect, MESSAGE.c.id, *MESSAGE_KEY))


def _prompted(row: Any) -> bool:
    return row is not None and row.prompted is not None


def _profile(item: NewInbound) -> dict[str, Any]:
    return {
        "chat_id": item.chat_id,
        "first_name": item.first_name,
        "last_name": item.last_name,
        "username": item.username,
    }


def _message(item: NewInbound, customer_id: int) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "direction": "in",
        "kind": item.kind,
        "text": item.text,
        "chat_id": item.chat_id,
        "telegram_message_id": item.telegram_message_id,
        "callback_id": item.callback_id,
        "sent_at": item.sent_at,
        "edited_at": None,
        "update_id": item.update_id,
        "original_length": item.original_length,
        **sentiment_columns(item.sentiment),
    }
