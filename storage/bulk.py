"""Bulk loading: many customers, messages, feedback and purchases in few statements.

For imports, demos and benchmarks that already hold the rows (no Telegram updates to replay):
each loader sends Core `insert(table)` executemany calls of `chunk_size` rows inside the
caller's transaction (commit through the session, e.g. `storage.db.session_scope`, every few
chunks to keep SQLite's write-ahead log small). Rows are plain mappings of column name ->
value; columns left out are NULL unless the loader names a default, and rows may name
different columns. Ids may be given (to point referrals, feedback and purchases at rows loaded
in the same run) or left to the database, which then numbers a chunk's rows in no set order.
Nothing is de-duplicated: a row that breaks a unique constraint fails its chunk, like any other
insert.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Table, insert, text
from sqlmodel import Session

from storage.customers import new_referral_code
from storage.models import Customer, Feedback, Message, Purchase

CUSTOMER: Table = Customer.__table__  # type: ignore[attr-defined]
MESSAGE: Table = Message.__table__  # type: ignore[attr-defined]
FEEDBACK: Table = Feedback.__table__  # type: ignore[attr-defined]
PURCHASE: Table = Purchase.__table__  # type: ignore[attr-defined]
CHUNK_SIZE = 20_000

Row = Mapping[str, Any]
_Fill = Callable[[dict[str, Any]], None]


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _move_id_sequence(connection: Connection, table: Table) -> None:
    """Explicit ids do not move PostgreSQL's id sequence: move it past them, or the next row
    without an id (from this load or from the bot) would collide."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT max(id) FROM {table.name}))"
            )
        )


def _load(
    session: Session,
    table: Table,
    rows: Iterable[Row],
    defaults: Mapping[str, Any],
    chunk_size: int,
    fill: _Fill | None = None,
) -> int:
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be 1 or more, got {chunk_size}")
    connection = session.connection()
    statement = insert(table)
    count = 0
    for chunk in _chunks(rows, chunk_size):
        # One executemany binds the same parameters for every row: rows go in groups by the
        # columns they name (few groups: rows of a kind name the same columns), and columns
        # nobody names are left to their defaults rather than bound as None on every row.
        groups: dict[frozenset[str], list[dict[str, Any]]] = {}
        for row in chunk:
            values = {**defaults, **row}
            if fill is not None:
                fill(values)
            if values.get("id") is None:
                values.pop("id", None)
            groups.setdefault(frozenset(values), []).append(values)
        given = [batch for names, batch in groups.items() if "id" in names]
        for batch in given:
            connection.execute(statement, batch)
        if given:
            _move_id_sequence(connection, table)
        for names, batch in groups.items():
            if "id" not in names:
                connection.execute(statement, batch)
        count += len(chunk)
    return count


_CUSTOMER_DEFAULTS: dict[str, Any] = {
    "language": "id",
    "language_locked": False,
    "opted_out": False,
    "blocked": False,
    "declining": False,
}


def _fill_customer(values: dict[str, Any]) -> None:
    if values.get("referral_code") is None:
        values["referral_code"] = new_referral_code()
    if values.get("last_seen") is None:
        values["last_seen"] = values["first_seen"]


def load_customers(*, session: Session, rows: Iterable[Row], chunk_size: int = CHUNK_SIZE) -> int:
    """Insert customers; returns how many. Each row needs `first_seen`; `last_seen` defaults to
    it, `referral_code` to a fresh random code, `language` to "id", flags to False. A
    `referred_by_id` must name a customer inserted before (an earlier row or chunk)."""
    return _load(session, CUSTOMER, rows, _CUSTOMER_DEFAULTS, chunk_size, _fill_customer)


_MESSAGE_DEFAULTS: dict[str, Any] = {"kind": "text"}


def load_messages(*, session: Session, rows: Iterable[Row], chunk_size: int = CHUNK_SIZE) -> int:
    """Insert messages; returns how many. Each row needs `customer_id`, `direction` ("in" or
    "out"), `chat_id` and `sent_at`; `kind` defaults to "text", everything else to None
    (sentiment fields too: set them for scored inbound texts)."""
    return _load(session, MESSAGE, rows, _MESSAGE_DEFAULTS, chunk_size)


_FEEDBACK_DEFAULTS: dict[str, Any] = {}


def _fill_feedback(values: dict[str, Any]) -> None:
    if values.get("updated_at") is None:
        values["updated_at"] = values["created_at"]


def load_feedback(*, session: Session, rows: Iterable[Row], chunk_size: int = CHUNK_SIZE) -> int:
    """Insert CSAT/NPS answers and text feedback; returns how many. Each row needs
    `customer_id`, `kind` ("csat", "nps" or "text") and `created_at`; `updated_at` defaults to
    `created_at`. Ratings need a distinct `prompt_message_id` per customer and kind."""
    return _load(session, FEEDBACK, rows, _FEEDBACK_DEFAULTS, chunk_size, _fill_feedback)


_PURCHASE_DEFAULTS: dict[str, Any] = {"currency": "IDR", "source": "csv"}


def _fill_purchase(values: dict[str, Any]) -> None:
    if values.get("created_at") is None:
        values["created_at"] = values["purchased_at"]


def load_purchases(*, session: Session, rows: Iterable[Row], chunk_size: int = CHUNK_SIZE) -> int:
    """Insert purchases; returns how many. Each row needs `customer_id`, `amount_cents` (an
    integer), `purchased_at` and a unique `dedupe_key`; `currency` defaults to "IDR", `source`
    to "csv", `created_at` to `purchased_at`."""
    return _load(session, PURCHASE, rows, _PURCHASE_DEFAULTS, chunk_size, _fill_purchase)
