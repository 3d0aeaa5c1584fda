"""Seeding customers and outbox rows for the outreach tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from scoring.outreach_rules import PRIORITY
from storage import outreach
from storage.db import session_scope
from storage.models import Customer, Message, Outreach


def add_customer(engine: Engine, telegram_id: int, *, at: datetime, **fields: Any) -> int:
    with session_scope(engine) as session:
        row = Customer(
            telegram_id=telegram_id,
            chat_id=telegram_id,
            first_name=f"User{telegram_id}",
            first_seen=at,
            last_seen=at,
            referral_code=f"r{telegram_id}",
            **fields,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def plan(
    engine: Engine,
    customer_id: int,
    kind: str,
    *,
    due: datetime,
    key: str | None = None,
    expires: timedelta | None = None,
    text: str | None = None,
    **fields: Any,
) -> int:
    """One planned row; its id."""
    dedupe = key or f"{kind}:{customer_id}:{due.isoformat()}"
    row = {
        "kind": kind,
        "customer_id": customer_id,
        "dedupe_key": dedupe,
        "template": kind,
        "text": text or f"{kind} for {customer_id}",
        "priority": PRIORITY[kind],
        "due_at": due,
        "expires_at": due + expires if expires else None,
        **fields,
    }
    with session_scope(engine) as session:
        assert outreach.add_intents(session=session, rows=[row]) == 1
    return row_by_key(engine, dedupe).id  # type: ignore[return-value]


def row_by_key(engine: Engine, key: str) -> Outreach:
    with Session(engine) as session:
        return session.exec(select(Outreach).where(Outreach.dedupe_key == key)).one()


def row(engine: Engine, row_id: int) -> Outreach:
    with Session(engine) as session:
        found = session.get(Outreach, row_id)
        assert found is not None
        return found


def customer(engine: Engine, customer_id: int) -> Customer:
    with Session(engine) as session:
        found = session.get(Customer, customer_id)
        assert found is not None
        return found


def outbound(engine: Engine, customer_id: int) -> list[Message]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(Message).where(
                    Message.customer_id == customer_id, Message.direction == "out"
                )
            )
        )
