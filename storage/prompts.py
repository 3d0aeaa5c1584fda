"""Prompts whose answer is the customer's next message (/feedback), kept across restarts."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import bindparam, delete, select
from sqlmodel import Session

from storage._raw import Raw
from storage._sql import insert_ignore, table_of
from storage.models import PendingPrompt

PROMPT = table_of(PendingPrompt)


def ask(*, session: Session, customer_id: int, kind: str, now: datetime) -> None:
    """Remember that the customer's next message answers `kind` (asking twice is one prompt)."""
    connection = session.connection()
    params = {"customer_id": customer_id, "kind": kind, "created_at": now}
    _insert(connection.dialect.name).rows(connection, params)


def take(*, session: Session, customer_id: int, kind: str) -> bool:
    """Forget the prompt; whether there was one (the message in hand answers it)."""
    params = {"customer_id": customer_id, "kind": kind}
    return bool(_TAKE.rows(session.connection(), params))


# On the ingest path (a complaint asks, the feedback it awaited takes): see storage/_raw.py.
@lru_cache(maxsize=4)
def _insert(dialect: str) -> Raw:
    return Raw(insert_ignore(PROMPT, dialect))


_TAKE = Raw(
    delete(PROMPT)
    .where(PROMPT.c.customer_id == bindparam("customer_id"), PROMPT.c.kind == bindparam("kind"))
    .returning(PROMPT.c.kind)
)
_PENDING = select(PROMPT.c.kind).where(
    PROMPT.c.customer_id == bindparam("customer_id"), PROMPT.c.kind == bindparam("kind")
)


def pending(*, session: Session, customer_id: int, kind: str) -> bool:
    params = {"customer_id": customer_id, "kind": kind}
    return session.connection().execute(_PENDING, params).first() is not None
