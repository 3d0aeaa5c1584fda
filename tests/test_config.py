"""Settings: defaults, parsing, and one clear line with exit code 2 for bad values."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings read the process environment: start each test without Akrab's variables."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    settings = load_settings()
    assert (
        settings.database_url,
        settings.timezone,
        settings.default_language,
        settings.owner_ids,
        settings.telegram_bot_token,
    ) == ("sqlite:///akrab.db", "Asia/Jakarta", "id", frozenset(), None)


def test_env_file_and_owner_list(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "OWNER_IDS=11, 22\nTELEGRAM_BOT_TOKEN=123:abc\nLOG_LEVEL=debug\n"
    )
    settings = load_settings()
    assert settings.owner_ids == frozenset({11, 22})
    assert settings.log_level == "DEBUG"
    assert settings.telegram_bot_token is not None
    assert "123:abc" not in repr(settings)  # the token is a secret, never shown


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("OWNER_IDS", "12,abc", "invalid setting OWNER_IDS: must be Telegram user ids"),
        ("TIMEZONE", "Asia/Bandung", "invalid setting TIMEZONE: unknown timezone 'Asia/Bandung'"),
        ("TELEGRAM_BASE_URL", "localhost:9000", "invalid setting TELEGRAM_BASE_URL: must be"),
        ("DEFAULT_LANGUAGE", "fr", "invalid setting DEFAULT_LANGUAGE"),
        ("DATABASE_URL", "akrab.db", "invalid setting DATABASE_URL: must be a SQLAlchemy URL"),
    ],
)
def test_bad_values_give_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


def run_cli(
    *args: str, env: dict[str, str], cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        cwd=cwd,
        input=stdin,
        timeout=60,
        check=False,
    )


def test_cli_bad_setting_exits_2_without_traceback(tmp_path: Path) -> None:
    result = run_cli("shell", env={"TIMEZONE": "Nowhere/City"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "akrab: invalid setting TIMEZONE: unknown timezone 'Nowhere/City' (use an IANA name "
        "like Asia/Jakarta)"
    ]


def test_cli_run_without_token_exits_2(tmp_path: Path) -> None:
    result = run_cli("run", env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("akrab: TELEGRAM_BOT_TOKEN is not set")
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_help_lists_commands(tmp_path: Path) -> None:
    result = run_cli("--help", env={}, cwd=tmp_path)
    assert result.returncode == 0
    assert "run" in result.stdout
    assert "shell" in result.stdout


def test_shell_chats_offline_and_records(tmp_path: Path) -> None:
    result = run_cli(
        "shell", "--user-id", "42", env={}, cwd=tmp_path, stdin="/start\n/rate\n:5\n!quit\n"
    )
    assert result.returncode == 0, result.stderr
    assert "bot: Halo kak Pelanggan!" in result.stdout
    assert "[:5] 5 ⭐" in result.stdout
    assert "bot (edited): Makasih kak! Nilai dari kakak: 5/5" in result.stdout
    assert (tmp_path / "akrab.db").exists()


def test_a_second_shell_session_goes_on_from_the_stored_message_ids(tmp_path: Path) -> None:
    # The offline Telegram starts each chat at message id 1; on a database from an earlier
    # session (or `akrab demo`) the bot's replies must not take ids the chat already has.
    script = "/start\n/rate\n:5\nhalo kak\n!advance 1d\n!quit\n"
    first = run_cli("shell", "--user-id", "42", env={}, cwd=tmp_path, stdin=script)
    assert first.returncode == 0, first.stderr
    second = run_cli("shell", "--user-id", "42", env={}, cwd=tmp_path, stdin=script)
    assert second.returncode == 0, second.stderr
    assert "IntegrityError" not in second.stderr
    assert "bot (edited): Makasih kak! Nilai dari kakak: 5/5" in second.stdout


def test_settings_fields_are_documented_in_env_example() -> None:
    example = (Path(__file__).parents[1] / ".env.example").read_text()
    documented = {
        line.split("=")[0].lstrip("# ").strip()
        for line in example.splitlines()
        if "=" in line and not line.startswith("##")
    }
    assert {name.upper() for name in Settings.model_fields} <= documented
