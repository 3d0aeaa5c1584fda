"""`/birthday`'s date parser: the formats customers type, and why a date is refused."""

from __future__ import annotations

import pytest

from bot.services.birthday import parse_birthday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17-08", (17, 8)),
        ("17-8", (17, 8)),
        ("17/08", (17, 8)),
        ("7/3", (7, 3)),
        ("17.08", (17, 8)),
        ("07-03", (7, 3)),
        ("1-12", (1, 12)),
        ("31-01", (31, 1)),
        ("29-02", (29, 2)),  # a real birthday, every four years
        ("30-04", (30, 4)),
        (" 17-08 ", (17, 8)),
        ("31-02", "no_such_day"),
        ("30-02", "no_such_day"),
        ("00-05", "no_such_day"),
        ("31-04", "no_such_day"),
        ("0-1", "no_such_day"),
        ("15-13", "no_such_month"),
        ("12-13", "no_such_month"),
        ("10-00", "no_such_month"),
        ("00-00", "no_such_month"),
        ("", "format"),
        ("kemarin", "format"),
        ("1-1-2000", "format"),
        ("17 08", "format"),
        ("17-08x", "format"),
        ("117-08", "format"),
        ("17_08", "format"),
        ("١٧-٠٨", "format"),  # Arabic-Indic digits: not what the usage text shows
    ],
)
def test_parse_birthday(text: str, expected: object) -> None:
    assert parse_birthday(text) == expected
