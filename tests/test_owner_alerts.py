"""Alerts to the owners for complaints and low ratings, and the complaint follow-up buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.adapter import callbacks
from bot.adapter.offline import buttons
from bot.config import Settings
from bot.texts import t
from storage.models import Feedback
from tests.auxil.harness import BotHarness

A = 501
OWNER, OWNER2 = 99, 98
ALERT_BUTTONS = ["v1:o_reply:1", "v1:o_card:1"]


@pytest.fixture
async def bot(tmp_path: Path, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        owner_ids=frozenset({OWNER, OWNER2}),
    )
    async with BotHarness(settings, sqlite_engine) as harness:
        harness.user(A, first_name="Budi", username="budi_s")
        yield harness


def alerts(bot: BotHarness, chat_id: int) -> list[dict[str, Any]]:
    """Owner messages carrying the alert buttons."""
    return [
        m
        for m in bot.telegram.bot_messages(chat_id)
        if [data for _, data in buttons(m)] == ALERT_BUTTONS
    ]


async def test_routine_question_raises_no_alert(bot: BotHarness) -> None:
    await bot.send(A, "kak, ukuran L masih ada?")
    assert alerts(bot, OWNER) == []
    assert len(bot.telegram.bot_messages(OWNER)) == 1  # relayed all the same


async def test_complaint_is_relayed_as_an_alert_to_every_owner(bot: BotHarness) -> None:
    complaint = "pesanan saya belum sampai udah seminggu, kecewa banget"
    await bot.send(A, complaint)
    for owner in (OWNER, OWNER2):
        [alert] = bot.telegram.bot_messages(owner)  # one message: the relay is the alert
        assert alerts(bot, owner) == [alert]
        first_line, header = alert["text"].split("\n")[:2]
        assert first_line.startswith("⚠️ KELUHAN")
        assert "Budi" in header
        assert "😡" in header
        assert alert["text"].endswith(complaint)
        labels = [label for label, _ in buttons(alert)]
        assert labels == [t("id", "button_reply"), t("id", "button_card")]


@pytest.mark.parametrize(
    ("kind", "score", "key"), [("csat", 2, "alert_csat"), ("nps", 6, "alert_nps")]
)
async def test_low_rating_alerts_the_owners(
    bot: BotHarness, kind: str, score: int, key: str
) -> None:
    await bot.send(A, "/rate" if kind == "csat" else "/nps")
    await bot.press(A, f"v1:{kind}:{score}")
    for owner in (OWNER, OWNER2):
        [alert] = alerts(bot, owner)
        assert alert["text"].startswith(t("id", key, score=score))
        assert "Budi" in alert["text"]


@pytest.mark.parametrize(("kind", "score"), [("csat", 3), ("csat", 5), ("nps", 7), ("nps", 10)])
async def test_good_rating_raises_no_alert(bot: BotHarness, kind: str, score: int) -> None:
    await bot.send(A, "/rate" if kind == "csat" else "/nps")
    await bot.press(A, f"v1:{kind}:{score}")
    assert bot.telegram.bot_messages(OWNER) == []


async def test_one_rating_alerts_once_even_when_changed(bot: BotHarness) -> None:
    await bot.send(A, "/rate")
    await bot.press(A, "v1:csat:1")
    await bot.press(A, "v1:csat:2")  # still low: the same rating, no second alert
    await bot.press(A, "v1:csat:1")
    assert len(alerts(bot, OWNER)) == 1
    await bot.press(A, "v1:csat:5")
    await bot.press(A, "v1:csat:1")  # turned bad again: that is news
    assert len(alerts(bot, OWNER)) == 2


async def test_a_redelivered_low_rating_press_alerts_once(bot: BotHarness) -> None:
    await bot.send(A, "/rate")
    prompt = bot.telegram.bot_messages(A)[-1]
    press = bot.telegram.callback_update(bot.user(A), prompt, "v1:csat:1")
    await bot.feed(press)
    await bot.feed(press)
    assert len(alerts(bot, OWNER)) == 1


async def followup(bot: BotHarness) -> dict[str, Any]:
    """The outbox's complaint follow-up as it arrives (sent through the bot, journalled)."""
    markup = InlineKeyboardMarkup.from_row(
        [
            InlineKeyboardButton("Sudah beres 👍", callback_data=callbacks.make("resolved", "yes")),
            InlineKeyboardButton("Belum 😕", callback_data=callbacks.make("resolved", "no")),
        ]
    )
    await bot.app.bot.send_message(A, "Kak, masalahnya sudah beres?", reply_markup=markup)
    return bot.telegram.bot_messages(A)[-1]


async def test_unresolved_followup_thanks_and_alerts(bot: BotHarness) -> None:
    await bot.send(A, "paketnya rusak")
    await followup(bot)
    await bot.press(A, "v1:resolved:no")
    assert bot.last_text(A) == t("id", "resolved_thanks_no")
    [alert] = [m for m in alerts(bot, OWNER) if "BELUM" in m["text"]]
    assert alert["text"].startswith(t("id", "alert_unresolved"))
    with Session(bot.engine) as session:
        [answer] = session.exec(select(Feedback).where(Feedback.kind == "resolved"))
    assert answer.score == 0
    await bot.press(A, "v1:resolved:no")  # pressed again: no second thanks or alert
    assert [m for m in bot.texts(A)].count(t("id", "resolved_thanks_no")) == 1
    assert len([m for m in alerts(bot, OWNER) if "BELUM" in m["text"]]) == 1


async def test_resolved_followup_thanks_without_alert(bot: BotHarness) -> None:
    await bot.send(A, "/start")
    await followup(bot)
    await bot.press(A, "v1:resolved:yes")
    assert bot.last_text(A) == t("id", "resolved_thanks_yes")
    assert bot.telegram.bot_messages(OWNER) == []
    await bot.press(A, "v1:resolved:no")  # changed their mind: stored, and now an alert
    with Session(bot.engine) as session:
        [answer] = session.exec(select(Feedback).where(Feedback.kind == "resolved"))
    assert answer.score == 0
    assert len(alerts(bot, OWNER)) == 1
