"""`akrab outreach list|stats|retry|cancel` through click's CliRunner on a real SQLite file, and
response tracking (set-based, on both backends)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, update

from bot.cli import cli
from bot.config import Settings
from bot.services import outreach_admin
from storage.db import open_database, session_scope
from storage.models import Message, Outreach
from tests.outreach_support import add_customer, plan, row

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Engine]:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    engine = open_database(f"sqlite:///{tmp_path / 'cli.db'}")
    yield engine
    engine.dispose()


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["outreach", *args], prog_name="akrab")


def set_status(engine: Engine, row_id: int, **values: object) -> None:
    with session_scope(engine) as session:
        session.connection().execute(
            update(Outreach.__table__).where(Outreach.__table__.c.id == row_id).values(**values)  # type: ignore[attr-defined]
        )


def inbound(engine: Engine, customer_id: int, chat: int, at: datetime, kind: str = "text") -> None:
    with session_scope(engine) as session:
        session.add(
            Message(
                customer_id=customer_id,
                direction="in",
                kind=kind,
                text="ok",
                chat_id=chat,
                sent_at=at,
            )
        )


def test_list_filters_by_status_kind_and_customer(db: Engine) -> None:
    a = add_customer(db, 11, at=NOW, username="ani")
    b = add_customer(db, 12, at=NOW)
    plan(db, a, "birthday", due=NOW)
    failed = plan(db, b, "rating", due=NOW)
    set_status(db, failed, status="failed", last_error="BadRequest: chat not found")
    result = invoke("list")
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 4
    assert "2 row(s)" in result.output
    only = invoke("list", "--status", "failed")
    assert "chat not found" in only.output
    assert "birthday" not in only.output
    assert "birthday" in invoke("list", "--customer", "ani").output
    assert "rating" not in invoke("list", "--kind", "birthday").output
    unknown = invoke("list", "--customer", "@nobody")
    assert unknown.exit_code == 2
    assert (
        unknown.output.strip()
        == "akrab: no customer '@nobody' (give a Telegram id or an @username)"
    )


def test_retry_only_failed_or_unconfirmed(db: Engine) -> None:
    a = add_customer(db, 11, at=NOW)
    unconfirmed = plan(db, a, "rating", due=NOW - timedelta(days=1))
    skipped = plan(db, a, "birthday", due=NOW - timedelta(days=1))
    set_status(db, unconfirmed, status="unconfirmed")
    set_status(db, skipped, status="skipped", reason="opted_out")
    result = invoke("retry", str(unconfirmed))
    assert result.exit_code == 0, result.output
    again = row(db, unconfirmed)
    assert again.status == "planned"
    assert again.due_at >= NOW
    refused = invoke("retry", str(skipped))
    assert refused.exit_code == 2
    assert "only failed or unconfirmed" in refused.output
    assert row(db, skipped).status == "skipped"
    assert invoke("retry", "999").output.strip() == "akrab: no outreach row 999"


def test_cancel_by_id_or_kind(db: Engine) -> None:
    a, b = add_customer(db, 11, at=NOW), add_customer(db, 12, at=NOW)
    one = plan(db, a, "holiday", due=NOW + timedelta(days=1))
    two = plan(db, b, "holiday", due=NOW + timedelta(days=1))
    other = plan(db, b, "rating", due=NOW + timedelta(days=1))
    assert invoke("cancel", str(one)).output.strip() == "cancelled 1 planned row(s)"
    assert invoke("cancel", str(one)).exit_code == 2  # no longer planned
    assert invoke("cancel", "--kind", "holiday").output.strip() == "cancelled 1 planned row(s)"
    assert [row(db, i).status for i in (one, two, other)] == ["cancelled", "cancelled", "planned"]
    assert invoke("cancel").exit_code == 2


def test_stats_per_kind_with_skips_by_reason_and_engagement(db: Engine) -> None:
    a, b = add_customer(db, 11, at=NOW), add_customer(db, 12, at=NOW)
    sent_a = plan(db, a, "rating", due=NOW - timedelta(hours=5))
    sent_b = plan(db, b, "rating", due=NOW - timedelta(hours=5))
    skipped = plan(db, b, "birthday", due=NOW - timedelta(hours=5))
    plan(db, a, "holiday", due=NOW + timedelta(hours=5))
    for row_id in (sent_a, sent_b):
        set_status(db, row_id, status="sent", sent_at=NOW - timedelta(hours=4))
    set_status(db, skipped, status="skipped", reason="daily_cap")
    inbound(db, a, 11, NOW - timedelta(hours=3))  # a answered; b did not
    result = invoke("stats", "--days", "7")
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split() for line in result.output.splitlines()[2:]}
    assert lines["rating"][:8] == ["rating", "0", "2", "0", "0", "0", "1", "50.0%"]
    assert lines["birthday"][-2:] == ["daily_cap", "1"]
    assert lines["holiday"][1] == "1"


def test_responses_mark_the_most_recent_message_within_the_window(engine: Engine) -> None:
    now = datetime(2026, 11, 10, 3, 0, tzinfo=UTC)
    a, b = add_customer(engine, 21, at=now), add_customer(engine, 22, at=now)
    first = plan(engine, a, "rating", due=now)
    second = plan(engine, a, "holiday", due=now + timedelta(hours=1))
    late = plan(engine, b, "birthday", due=now)
    set_status(engine, first, status="sent", sent_at=now - timedelta(hours=10))
    set_status(engine, second, status="sent", sent_at=now - timedelta(hours=5))
    set_status(engine, late, status="sent", sent_at=now - timedelta(hours=80))
    inbound(engine, a, 21, now - timedelta(hours=4), kind="callback")  # after the second
    inbound(engine, b, 22, now - timedelta(hours=1))  # 79 h after: outside the 72 h window
    window = timedelta(hours=72)
    assert outreach_admin.track_responses(engine, now=now, window=window) == 1
    assert outreach_admin.track_responses(engine, now=now, window=window) == 0
    assert row(engine, first).responded_at is None
    assert row(engine, second).responded_at == now - timedelta(hours=4)
    assert row(engine, late).responded_at is None
