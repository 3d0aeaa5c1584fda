"""The README's command list is the command table's."""

from __future__ import annotations

import re
from pathlib import Path

from bot.adapter.commands import readme_lines

README = Path(__file__).parents[1] / "README.md"


def test_readme_command_list_matches_command_table() -> None:
    section = re.search(
        r"<!-- commands:start -->\n(.*?)<!-- commands:end -->", README.read_text(), re.S
    )
    assert section is not None
    rows = [line for line in section[1].splitlines() if line.startswith("| `/")]
    assert rows == readme_lines()


def test_readme_names_the_ci_test_command() -> None:
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text()
    command = ".venv/bin/pip install -e '.[dev]' && .venv/bin/pytest"
    assert command in README.read_text()
    assert command in ci
