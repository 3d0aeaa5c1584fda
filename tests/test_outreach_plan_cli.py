"""`akrab outreach plan`, on the command object (the lead attaches it to the outreach group)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlmodel import Session

from bot.cli.common import AkrabGroup
from bot.cli.outreach_plan import plan_command
from bot.config import Settings
from storage.db import open_database, session_scope
from storage.models import Customer, Outreach


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'akrab.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SHOP_NAME", "Toko Ani")
    engine = open_database(url)
    seen = datetime(2026, 1, 5, tzinfo=UTC)
    with session_scope(engine) as session:
        session.add(
            Customer(
                telegram_id=1,
                chat_id=1,
                first_name="Ani",
                first_seen=seen,
                last_seen=seen,
                referral_code="A",
                birthday_day=10,
                birthday_month=3,
            )
        )
    engine.dispose()
    return url


def rows(url: str) -> int:
    engine = open_database(url)
    with Session(engine) as session:
        count = session.execute(select(func.count(Outreach.id))).scalar_one()
    engine.dispose()
    return count


def test_plan_dry_run_then_for_real_then_nothing_new(database: str) -> None:
    runner = CliRunner()
    dry = runner.invoke(plan_command, ["--at", "2027-03-10", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "birthday            would plan 1" in dry.output
    assert (
        "e.g. birthday to customer 1 (id), due 2027-03-10 09:00: Selamat ulang tahun, kak Ani!"
        in dry.output
    )
    assert rows(database) == 0
    real = runner.invoke(plan_command, ["--at", "2027-03-10T08:30"])
    assert "birthday            planned 1" in real.output
    assert rows(database) == 1
    again = runner.invoke(plan_command, ["--at", "2027-03-10T12:00"])
    assert "birthday            planned 0" in again.output
    assert rows(database) == 1


def test_plan_shows_holiday_examples(database: str) -> None:
    result = CliRunner().invoke(plan_command, ["--at", "2027-01-01T07:00", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "holiday             would plan 1" in result.output
    assert (
        "e.g. holiday to customer 1 (id), due 2027-01-01 08:00: Selamat Tahun Baru, kak Ani!"
        in result.output
    )
    assert rows(database) == 0


def test_bad_time_is_one_line_and_exit_2(database: str) -> None:
    group = AkrabGroup("outreach")
    group.add_command(plan_command)
    result = CliRunner().invoke(group, ["plan", "--at", "tomorrow"])
    assert result.exit_code == 2
    assert "akrab: --at: expected a local date or date-time" in result.output
    assert isinstance(plan_command, click.Command)
    assert plan_command.help
