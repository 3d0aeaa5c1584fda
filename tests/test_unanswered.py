"""Unanswered customers: waiting UNANSWERED_AFTER of opening hours with no owner's answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.services.relay import Unanswered, open_time, unanswered
from tests.auxil.harness import BotHarness

A, B, OWNER = 501, 502, 99
WIB = ZoneInfo("Asia/Jakarta")
HOURS = (time(8, 0), time(21, 0))


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.mark.parametrize(
    ("start", "end", "hours", "expected"),
    [
        (wib(2, 10), wib(2, 12), HOURS, timedelta(hours=2)),
        (wib(2, 20, 30), wib(3, 8, 45), HOURS, timedelta(minutes=75)),  # the night does not count
        (wib(2, 6), wib(2, 9), HOURS, timedelta(hours=1)),  # before opening does not count
        (wib(2, 10), wib(4, 10), HOURS, timedelta(hours=26)),  # two days of 13 hours
        (wib(2, 23), wib(3, 1), (time(20, 0), time(2, 0)), timedelta(hours=2)),  # past midnight
        (wib(2, 12), wib(2, 10), HOURS, timedelta(0)),
    ],
)
def test_open_time_counts_only_opening_hours(
    start: datetime, end: datetime, hours: tuple[time, time], expected: timedelta
) -> None:
    assert open_time(start, end, hours, WIB) == expected


@pytest.fixture
async def bot(settings: Settings, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, sqlite_engine) as harness:
        harness.clock.now = wib(2, 10).astimezone(UTC)
        yield harness


def waiting(bot: BotHarness, settings: Settings) -> list[Unanswered]:
    with Session(bot.engine) as session:
        return unanswered(session, settings, bot.clock.now)


async def test_a_question_waits_two_opening_hours_before_it_is_unanswered(
    bot: BotHarness, settings: Settings
) -> None:
    await bot.send(A, "kak, ukuran L masih ada?")  # the bot's acknowledgement answers nothing
    bot.clock.advance(hours=1, minutes=59)
    assert waiting(bot, settings) == []
    bot.clock.advance(minutes=2)
    [item] = waiting(bot, settings)
    assert (item.first_name, item.text, item.messages) == ("User501", "kak, ukuran L masih ada?", 1)
    assert item.waited == timedelta(hours=2, minutes=1)


async def test_an_owner_reply_answers_it(bot: BotHarness, settings: Settings) -> None:
    await bot.send(A, "kak, ukuran L masih ada?")
    await bot.send(B, "ongkir ke Bandung berapa?")
    [relayed] = bot.telegram.bot_messages(OWNER)[:1]
    bot.clock.advance(minutes=10)
    await bot.send(OWNER, "Masih kak", reply_to_message=relayed)
    bot.clock.advance(hours=3)
    assert [item.first_name for item in waiting(bot, settings)] == ["User502"]
    await bot.send(A, "oke, yang hitam ya")  # a new message after the answer waits anew
    assert [item.first_name for item in waiting(bot, settings)] == ["User502"]
    bot.clock.advance(hours=2)
    assert [item.first_name for item in waiting(bot, settings)] == ["User502", "User501"]


async def test_commands_and_buttons_are_no_questions(bot: BotHarness, settings: Settings) -> None:
    await bot.send(A, "/rate")
    await bot.press(A, "v1:csat:5")
    bot.clock.advance(hours=5)
    assert waiting(bot, settings) == []


async def test_overnight_questions_wait_from_opening(bot: BotHarness, settings: Settings) -> None:
    bot.clock.now = wib(2, 20, 30).astimezone(UTC)
    await bot.send(A, "besok bisa kirim?")
    bot.clock.now = wib(3, 8, 45).astimezone(UTC)
    assert waiting(bot, settings) == []  # 75 minutes of opening hours
    bot.clock.now = wib(3, 9, 31).astimezone(UTC)
    assert [item.waited for item in waiting(bot, settings)] == [timedelta(hours=2, minutes=1)]
