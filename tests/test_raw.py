"""storage/_raw.py: a statement run on the driver's cursor stores and returns exactly what
`Connection.execute` does (types converted both ways, literal values and column defaults)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from storage._raw import Raw, cheap, run_each
from storage.db import session_scope
from storage.ingest import CUSTOMER, UPDATE_CUSTOMER

NOW = datetime(2026, 11, 1, 8, 0, 0, 123456, tzinfo=UTC)
INSERT = insert(CUSTOMER).returning(CUSTOMER.c.telegram_id, CUSTOMER.c.id)
SELECT = select(CUSTOMER).where(CUSTOMER.c.telegram_id == CUSTOMER.c.telegram_id)


def new(telegram_id: int) -> dict[str, Any]:
    return {
        "telegram_id": telegram_id,
        "chat_id": telegram_id,
        "first_name": "Sari ✨",
        "last_name": None,
        "username": None,
        "language": "id",
        "first_seen": NOW,
        "last_seen": NOW + timedelta(hours=1),
        "referral_code": f"R{telegram_id}",
    }


def everything(engine: Engine) -> list[dict[str, Any]]:
    """Every customer row, without what differs by design (ids, referral code)."""
    with engine.connect() as connection:
        rows = connection.execute(select(CUSTOMER).order_by(CUSTOMER.c.telegram_id)).mappings()
        return [
            {k: v for k, v in row.items() if k not in {"id", "chat_id", "referral_code"}}
            for row in rows
        ]


def alike(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return {**a, "telegram_id": 0} == {**b, "telegram_id": 0}


def test_raw_statements_store_and_read_what_core_does(engine: Engine) -> None:
    with session_scope(engine) as session:
        connection = session.connection()
        core = list(connection.execute(INSERT, [new(1), new(2)]))
        raw = run_each(connection, Raw(INSERT), [new(3), new(4)])  # defaults filled in
    assert sorted(r.telegram_id for r in core + raw) == [1, 2, 3, 4]
    stored = everything(engine)
    assert alike(stored[2], stored[0])
    assert alike(stored[3], stored[1])
    assert stored[2]["declining"] is False  # a column default, filled in without SQLAlchemy
    change = {
        "new_chat_id": 5,
        "new_first_name": "Dewi",
        "new_last_name": "S",
        "new_username": "dewi",
        "new_last_seen": NOW + timedelta(days=1),
    }
    with session_scope(engine) as session:
        connection = session.connection()
        connection.execute(update(CUSTOMER).values(blocked=True))
        connection.execute(UPDATE_CUSTOMER, [{**change, "customer_id": core[0].id}])
        Raw(UPDATE_CUSTOMER).many(connection, [{**change, "customer_id": raw[0].id}])
    stored = everything(engine)
    assert alike(stored[2], stored[0])
    assert stored[0]["first_name"] == "Dewi"
    assert stored[0]["blocked"] is False  # the statement's own literal
    assert stored[1]["blocked"] is True
    with session_scope(engine) as session:
        connection = session.connection()
        by_core = list(connection.execute(SELECT.order_by(CUSTOMER.c.telegram_id)))
        by_raw = Raw(SELECT.order_by(CUSTOMER.c.telegram_id)).rows(connection, {})
    assert [tuple(r) for r in by_raw] == [tuple(r) for r in by_core]
    assert by_raw[0].last_seen == NOW + timedelta(days=1)
    assert by_raw[0].last_seen.tzinfo is not None
    assert by_raw[0].blocked is False
    assert cheap(connection) is (engine.dialect.name == "sqlite")


def test_raw_rolls_back_with_the_transaction(engine: Engine) -> None:
    try:
        with session_scope(engine) as session:
            run_each(session.connection(), Raw(INSERT), [new(7)])
            raise RuntimeError("the group failed")
    except RuntimeError:
        pass
    assert everything(engine) == []


def test_driver_errors_come_as_sqlalchemy_errors(engine: Engine) -> None:
    """Busy ("database is locked") must read as OperationalError, or the update would be given
    up instead of retried; a duplicate as IntegrityError."""
    with session_scope(engine) as session:
        run_each(session.connection(), Raw(INSERT), [new(8)])
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        run_each(session.connection(), Raw(INSERT), [new(8)])
    missing = Table("no_such_table", MetaData(), Column("x", Integer))
    expected = OperationalError if cheap_engine(engine) else ProgrammingError
    with pytest.raises(expected), session_scope(engine) as session:
        Raw(select(missing.c.x)).rows(session.connection(), {})


def cheap_engine(engine: Engine) -> bool:
    return engine.dialect.paramstyle == "qmark"


def test_driver_errors_do_not_carry_the_values(sqlite_engine: Engine) -> None:
    with session_scope(sqlite_engine) as session:
        run_each(session.connection(), Raw(INSERT), [new(9)])
    with pytest.raises(IntegrityError) as caught, session_scope(sqlite_engine) as session:
        run_each(session.connection(), Raw(INSERT), [new(9)])
    assert "Sari" not in str(caught.value)
