"""SQLite's plans of the periodic queries that once read every sent row or a customer's whole
score history: each statement as the storage function runs it (captured from the engine, with
its bound values), explained on a database migrated to head and, as in production, without
ANALYZE statistics (SQLite then picks indexes by their shape alone)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, text, update
from sqlmodel import Session

from storage import messages, outreach, outreach_admin, planning_chats, report_rates
from storage._sql import table_of
from storage.db import session_scope
from storage.models import Message, Outreach, Score
from tests.outreach_support import add_customer, plan

NOW = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
OUTREACH = table_of(Outreach)
Plan = list[tuple[str, str]]  # (statement, its plan as one line per step)


def plans(engine: Engine, call: Callable[[Session], Any], table: str) -> Plan:
    """The plans of the SELECTs on `table` that `call` runs (its writes rolled back)."""
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and f"FROM {table}" in statement:
            seen.append((statement, params))

    with Session(engine) as session:
        event.listen(engine, "before_cursor_execute", capture)
        try:
            call(session)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        explained = [
            (
                statement,
                "\n".join(
                    row[3] for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}", params)
                ),
            )
            for statement, params in seen
        ]
        session.rollback()
    assert explained, f"no SELECT from {table} was run"
    return explained


def assert_no_full_reads(found: Plan) -> None:
    for statement, steps in found:
        for bad in (
            "SCAN outreach",
            "SCAN score",
            "SCAN message",
            "ix_outreach_due",
            "MULTI-INDEX OR",
        ):
            assert bad not in steps, f"{bad!r} in the plan of\n{statement}\n{steps}"


@pytest.fixture
def seeded(sqlite_engine: Engine) -> Engine:
    """A few customers with sent outreach, answers and scores, so every statement runs."""
    with sqlite_engine.connect() as connection:
        stats = connection.execute(
            text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        )
        assert stats.first() is None  # the premise: the app never runs ANALYZE
    for n in range(1, 6):
        customer = add_customer(
            sqlite_engine, 900 + n, at=NOW - timedelta(days=40), segment="at_risk"
        )
        row_id = plan(sqlite_engine, customer, "rating", due=NOW - timedelta(days=1))
        with session_scope(sqlite_engine) as session:
            session.connection().execute(
                update(OUTREACH)
                .where(OUTREACH.c.id == row_id)
                .values(status="sent", sent_at=NOW - timedelta(hours=20))
            )
            session.add(
                Message(
                    customer_id=customer,
                    direction="in",
                    kind="text",
                    text="ok",
                    chat_id=900 + n,
                    telegram_message_id=n,
                    sent_at=NOW - timedelta(hours=19),
                )
            )
            session.add(
                Score(customer_id=customer, computed_at=NOW, ces=50.0 + n, segment="at_risk")
            )
    return sqlite_engine


def test_recent_sends_reads_the_customers_rows_only(seeded: Engine) -> None:
    found = plans(
        seeded,
        lambda s: outreach.recent_sends(
            session=s,
            customer_ids=range(1, 51),  # a dispatch batch's customers
            since=NOW - timedelta(days=7),
            exclude=list(range(1, 51)),
            leased_after=NOW - timedelta(minutes=5),
        ),
        "outreach",
    )
    [(_, steps)] = found
    assert "USING INDEX ix_outreach_customer_sent (customer_id=?)" in steps
    assert_no_full_reads(found)


def test_track_responses_reads_the_period_and_its_customers(seeded: Engine) -> None:
    def track(session: Session) -> None:
        assert (
            outreach_admin.track_responses(session=session, now=NOW, window=timedelta(days=3)) == 5
        )

    [(_, open_rows), (_, sent)] = plans(seeded, track, "outreach")
    assert "USING INDEX ix_outreach_status_sent (status=? AND sent_at>?)" in open_rows
    assert "USING INDEX ix_outreach_customer_sent (customer_id=? AND sent_at>?)" in sent
    [(_, inbound)] = found = plans(seeded, track, "message")
    assert "USING INDEX ix_message_customer_sent (customer_id=? AND sent_at>?)" in inbound
    assert "ix_message_report" not in inbound
    assert_no_full_reads([*found, ("open", open_rows), ("sent", sent)])


@pytest.mark.parametrize(
    "query", [report_rates.engagement_by_kind, report_rates.campaign_engagement]
)
def test_report_engagement_reads_the_periods_sent_rows(seeded: Engine, query: Any) -> None:
    found = plans(
        seeded, lambda s: query(session=s, start=NOW - timedelta(days=7), end=NOW), "outreach"
    )
    [(_, steps)] = found
    assert "USING INDEX ix_outreach_status_sent (status=? AND sent_at>? AND sent_at<?)" in steps
    assert_no_full_reads(found)


def test_at_risk_best_ces_is_one_seek(seeded: Engine) -> None:
    def rows(session: Session) -> None:
        found = planning_chats.at_risk_rows(session=session, cooled_since=NOW - timedelta(days=30))
        assert {r.best_ces for r in found} == {51.0, 52.0, 53.0, 54.0, 55.0}

    [(_, steps)] = plans(seeded, rows, "customer")
    assert "SEARCH score USING COVERING INDEX ix_score_customer_ces (customer_id=?)" in steps
    assert "SCAN score" not in steps
    assert "ix_score_customer_time" not in steps


def test_sent_to_looks_up_one_message_of_the_chat(seeded: Engine) -> None:
    def check(session: Session) -> None:
        messages.sent_to(session=session, customer_id=1, message_id=1)

    [(_, steps)] = plans(seeded, check, "message")
    assert "(chat_id=? AND telegram_message_id=?)" in steps
    assert "ix_message_customer_measures" not in steps
