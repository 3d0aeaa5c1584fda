"""A campaign variant's text as the owner writes it and as each customer reads it (pure).

One text goes to everyone as written; a line of just `---` separates an Indonesian version
(above, for everyone not speaking English) from an English one (below). `{name}` becomes the
customer's first name and `{shop}` the shop's name; any other braces stay as written.
"""

from __future__ import annotations

import math
from typing import Literal

MAX_TEXT = 3500  # per version: leaves room in Telegram's 4,096 for the longest names
SEPARATOR = "---"

Problem = Literal["empty", "bad_split", "too_long"]


class BadText(ValueError):
    """A variant text the owner must write again; `problem` says why."""

    def __init__(self, problem: Problem, **values: object) -> None:
        super().__init__(problem)
        self.problem, self.values = problem, values


def versions(text: str) -> dict[str, str]:
    """The text per customer language ("id", "en"): the same twice, unless split by `---`."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    if SEPARATOR not in (line.strip() for line in lines):
        return {"id": text.strip(), "en": text.strip()}
    at = [line.strip() for line in lines].index(SEPARATOR)
    indonesian, english = "\n".join(lines[:at]).strip(), "\n".join(lines[at + 1 :]).strip()
    if not indonesian or not english:
        raise BadText("bad_split")
    return {"id": indonesian, "en": english}


def check_text(text: str | None) -> str:
    """The owner's message as a variant text (stripped), or BadText."""
    if not text or not text.strip():
        raise BadText("empty")
    for version in versions(text).values():
        if len(version) > MAX_TEXT:
            raise BadText("too_long", length=len(version), max=MAX_TEXT)
    return text.strip()


def render(text: str, *, name: str, shop: str) -> str:
    """A text as one customer reads it: {shop} first, then {name} (the order the SQL of
    `storage.campaigns.launch` keeps, so a name is never read as a placeholder)."""
    return text.replace("{shop}", shop).replace("{name}", name)


def split(count: int, variants: int) -> tuple[int, int]:
    """How many get A and B: ⌈n/2⌉ and ⌊n/2⌋ with two variants, all A with one."""
    return (count, 0) if variants == 1 else (math.ceil(count / 2), count // 2)
