"""The `akrab` command line on click: parsing, help, exit codes and one-line errors, in-process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import bot.cli.run as run_module
import bot.cli.shell as shell_module
import bot.runner
from bot.cli import cli, main
from bot.config import Settings, load_settings

COMMANDS = [
    "run",
    "shell",
    "rescore",
    "import-purchases",
    "score",
    "customer",
    "demo",
    "report",
    "export",
    "outreach",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No Akrab variables and no .env: every test starts from the defaults, in an empty folder."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="akrab")


class FakeEngine:
    disposed = 0

    def dispose(self) -> None:
        self.disposed += 1


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    engine = FakeEngine()
    monkeypatch.setattr(run_module, "open_engine", lambda settings: engine)
    return engine


def test_no_command_prints_help_with_every_command_in_order() -> None:
    result = invoke()
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: akrab [OPTIONS] [COMMAND] [ARGS]...")
    table = result.stdout.split("Commands:\n")[1].split("\n\n")[0]
    listed = [line.split()[0] for line in table.splitlines() if not line.startswith("   ")]
    assert listed == COMMANDS
    assert "Configuration comes from the environment and .env" in result.stdout


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("run", ["--webhook"]),
        ("shell", ["--user-id N", "--as-owner", "--language [id|en]"]),
        ("rescore", ["--batch-size N", "--quiet"]),
        ("import-purchases", ["FILE"]),
        ("score", ["--quiet"]),
        ("customer", ["WHO", "--lang [id|en]"]),
        ("demo", ["--customers", "--days", "--db", "--out", "--seed"]),
    ],
)
def test_each_command_has_help(command: str, options: list[str]) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: akrab {command} [OPTIONS]")
    for option in options:
        assert option in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["nope"],
        ["run", "--polling"],
        ["shell", "--language", "fr"],
        ["shell", "--user-id", "me"],
        ["rescore", "--batch-size", "many"],
        ["import-purchases"],
        ["score", "extra"],
        ["customer"],
        ["customer", "4", "--lang", "fr"],
    ],
)
def test_bad_arguments_are_usage_errors(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Usage: akrab" in result.stderr
    assert result.stdout == ""


def test_cli_error_is_one_line_and_exit_2() -> None:
    result = invoke("rescore", "--batch-size", "0")
    assert (result.exit_code, result.stderr) == (2, "akrab: --batch-size must be at least 1\n")


def test_settings_error_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMEZONE", "Nowhere/City")
    result = invoke("score", "--quiet")
    assert result.exit_code == 2
    assert result.stderr.startswith("akrab: invalid setting TIMEZONE: unknown timezone")
    assert result.stderr.count("\n") == 1


def test_settings_are_read_after_the_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMEZONE", "Nowhere/City")
    assert invoke("score", "--help").exit_code == 0
    assert invoke("shell", "--language", "fr").exit_code == 2
    assert "akrab:" not in invoke("shell", "--language", "fr").stderr


def test_import_purchases_missing_file() -> None:
    result = invoke("import-purchases", "nope.csv")
    assert (result.exit_code, result.stderr) == (2, "akrab: no such file: nope.csv\n")


def test_run_needs_a_token(monkeypatch: pytest.MonkeyPatch, fake_engine: FakeEngine) -> None:
    monkeypatch.setattr(bot.runner, "run_bot", pytest.fail)
    result = invoke("run")
    assert result.exit_code == 2
    assert result.stderr.startswith("akrab: TELEGRAM_BOT_TOKEN is not set")
    assert result.stderr.count("\n") == 1
    assert fake_engine.disposed == 0


@pytest.mark.parametrize(("flag", "webhook"), [([], False), (["--webhook"], True)])
def test_run_calls_run_bot_and_disposes_the_engine(
    monkeypatch: pytest.MonkeyPatch, fake_engine: FakeEngine, flag: list[str], webhook: bool
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    calls: list[tuple[Any, bool]] = []

    def run_bot(settings: Settings, engine: Any, *, webhook: bool) -> None:
        calls.append((engine, webhook))

    monkeypatch.setattr(bot.runner, "run_bot", run_bot)
    result = invoke("run", *flag)
    assert result.exit_code == 0, result.stderr
    assert calls == [(fake_engine, webhook)]
    assert fake_engine.disposed == 1


def test_run_startup_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, fake_engine: FakeEngine
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")

    def refused(settings: Settings, engine: Any, *, webhook: bool) -> None:
        raise bot.runner.StartupError("the Bot API refused TELEGRAM_BOT_TOKEN (401)")

    monkeypatch.setattr(bot.runner, "run_bot", refused)
    result = invoke("run")
    assert (result.exit_code, result.stderr) == (
        2,
        "akrab: the Bot API refused TELEGRAM_BOT_TOKEN (401)\n",
    )
    assert fake_engine.disposed == 1


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch, fake_engine: FakeEngine) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")

    def interrupted(settings: Settings, engine: Any, *, webhook: bool) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(bot.runner, "run_bot", interrupted)
    result = invoke("run")
    assert (result.exit_code, result.stderr) == (130, "")
    assert fake_engine.disposed == 1


def test_webhook_is_not_available_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    with pytest.raises(bot.runner.StartupError) as caught:
        bot.runner.run_bot(load_settings(), FakeEngine(), webhook=True)  # type: ignore[arg-type]
    assert "webhook" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (1001, "id")),
        (["--user-id", "42", "--language", "en"], (42, "en")),
        (["--user-id", "42", "--as-owner"], (7, "id")),
    ],
)
def test_shell_options(
    monkeypatch: pytest.MonkeyPatch, args: list[str], expected: tuple[int, str]
) -> None:
    monkeypatch.setenv("OWNER_IDS", "9,7")
    seen: list[tuple[int, str]] = []

    async def run_shell(settings: Settings, engine: Any, *, user_id: int, language: str) -> int:
        seen.append((user_id, language))
        return 0

    monkeypatch.setattr(shell_module, "run_shell", run_shell)
    result = invoke("shell", *args)
    assert result.exit_code == 0, result.stderr
    assert seen == [expected]


def test_main_returns_the_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "Usage: akrab" in capsys.readouterr().out
    assert main(["nope"]) == 2
    assert "No such command 'nope'" in capsys.readouterr().err
    assert main(["rescore", "--batch-size", "0"]) == 2
    assert capsys.readouterr().err == "akrab: --batch-size must be at least 1\n"
    assert main(["import-purchases", "nope.csv"]) == 2


def test_customer_takes_a_negative_id_as_who() -> None:
    result = invoke("customer", "-100", "--lang", "en")  # argparse took it too: not an option
    assert (result.exit_code, result.stderr) == (
        2,
        "akrab: no customer '-100' (give a Telegram id or an @username)\n",
    )
