"""The README agrees with the code: the bot's command table, the CLI's commands, CI's command."""

from __future__ import annotations

import re
from pathlib import Path

import click

from bot.adapter.commands import owner_readme_lines, readme_lines
from bot.cli import cli

README = Path(__file__).parents[1] / "README.md"


def test_readme_command_list_matches_command_table() -> None:
    section = re.search(
        r"<!-- commands:start -->\n(.*?)<!-- commands:end -->", README.read_text(), re.S
    )
    assert section is not None
    rows = [line for line in section[1].splitlines() if line.startswith("| `/")]
    assert rows == readme_lines()


def test_readme_owner_console_list_matches_command_table() -> None:
    section = re.search(
        r"<!-- owner-commands:start -->\n(.*?)<!-- owner-commands:end -->", README.read_text(), re.S
    )
    assert section is not None
    rows = [line for line in section[1].splitlines() if line.startswith("| `/")]
    assert rows == owner_readme_lines()


def test_readme_names_the_ci_test_command() -> None:
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text()
    command = ".venv/bin/pip install -e '.[dev]' && .venv/bin/pytest"
    assert command in README.read_text()
    assert command in ci


def command_line_rows() -> list[str]:
    """The first word after `akrab` in each row of the README's "Command line" table."""
    section = re.search(r"^## Command line\n(.*?)^## ", README.read_text(), re.S | re.M)
    assert section is not None
    return [m[1] for m in re.finditer(r"^\| `akrab ([^ `]+)", section[1], re.M)]


def test_readme_command_line_table_lists_every_command() -> None:
    listed = [name for name in command_line_rows() if name != "--help"]
    assert set(listed) == set(cli.commands), "README's Command line table vs `akrab --help`"
    assert "--help" in command_line_rows()


def test_every_command_and_option_has_help_text() -> None:
    assert cli.help
    for name, command in cli.commands.items():
        assert command.help, f"akrab {name} has no help text"
        assert command.short_help, f"akrab {name} has no one-line help for `akrab --help`"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"akrab {name} {param.opts[0]} has no help text"
            else:  # an argument: click shows no help for it, so the command's text names it
                shown = param.metavar or (param.name or "").upper()
                assert shown in command.help, f"akrab {name}: the help text never names {shown}"
