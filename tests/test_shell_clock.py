"""`akrab shell`'s virtual clock: `!advance` moves time and runs the planners, `!now` shows it."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from datetime import timedelta

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
