"""`akrab shell`'s virtual clock: `!advance` moves time and runs the planners, `!now` shows it."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from bot.cli.shell import run_shell
from bot.config import Settings
from bot.context import utc_now
from storage.models import Outreach


def scripted(lines: list[str]) -> Iterator[str]:
    yield from lines


async def test_advance_plans_the_birthday_once(
    settings: Settings,
    sqlite_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tomorrow = (utc_now() + timedelta(days=1)).astimezone(settings.tz)
    lines = scripted(
        [
            "/start",
            f"/birthday {tomorrow:%d-%m}",
            "!now",
            "!advance 1d",
            "!advance 2h",
            "!advance x",
            "!quit",
        ]
    )

    def typed(prompt: str = "") -> str:
        return next(lines)

    monkeypatch.setattr(builtins, "input", typed)
    assert await run_shell(settings, sqlite_engine, user_id=1001, language="id") == 0
    output = capsys.readouterr().out
    assert "(planned 1 birthday)" in output
    assert "Selamat ulang tahun, kak Pelanggan!" in output
    assert output.count("(planned 1 birthday)") == 1
    assert "(nothing planned)" in output  # two hours later: nothing new
    assert f"(now {tomorrow:%Y-%m-%d}" in output
    assert "expected a duration such as 90s" in output
    with Session(sqlite_engine) as session:
        [row] = session.execute(select(Outreach)).scalars()
    assert row.kind == "birthday"
    assert row.dedupe_key.endswith(f":{tomorrow.year}")


async def test_advance_sends_what_is_due_once_after_quiet_hours(
    settings: Settings,
    sqlite_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The shell's clock runs the dispatcher too: a birthday set at 07:00 local (quiet hours)
    arrives once the clock passes 09:00, and never again."""
    import bot.cli.shell as shell_module

    start = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 07:00 in Asia/Jakarta
    monkeypatch.setattr(shell_module, "utc_now", lambda: start)
    lines = scripted(
        ["/start", "/birthday 02-12", "!advance 1h", "!advance 2h", "!advance 1d", "!quit"]
    )
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(lines))
    assert await run_shell(settings, sqlite_engine, user_id=1001, language="id") == 0
    output = capsys.readouterr().out
    greeting = "bot: Selamat ulang tahun, kak Pelanggan!"
    assert output.count(greeting) == 1
    # It arrives after the clock reached 10:00 local, not at 08:00 (before it was due).
    assert output.index("(now 2026-12-02 10:00") < output.index(greeting)
    with Session(sqlite_engine) as session:
        [row] = session.execute(select(Outreach)).scalars()
    assert (row.kind, row.status) == ("birthday", "sent")
    assert row.sent_at == start + timedelta(hours=3)
