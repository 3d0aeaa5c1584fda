"""bot/adapter/scorer.py: sentiment in a real helper process, and the bot never depending on it."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import Engine, select

from bot.adapter import scorer as scorer_module
from bot.adapter.scorer import Scorer
from bot.config import Settings
from scoring import sentiment
from storage.db import session_scope
from storage.models import Message
from tests.auxil.harness import BotHarness

TEXTS = [
    "pesanan saya belum sampai udah seminggu, kecewa banget",
    "makasih kak, barangnya bagus banget 😍",
    "The package arrived broken, very disappointed.",
    "ok siap kak",
    "👍",
]


async def ready(scorer: Scorer) -> None:
    await scorer.start()
    async with asyncio.timeout(30):  # the helper says when it is up
        await scorer.wait_ready()


async def test_the_helper_scores_as_the_bot_itself_would() -> None:
    scorer = Scorer()
    await ready(scorer)
    try:
        scorer.submit(dict(enumerate(TEXTS)))
        results = [await scorer.result(i) for i in range(len(TEXTS))]
    finally:
        await scorer.close()
    for text, result in zip(TEXTS, results, strict=True):
        assert result is not None
        here = sentiment.analyze(text)
        assert result[0] == text
        assert result[1] is not None
        assert (result[1].label, result[1].lang) == (here.label, here.lang)
        assert result[1].polarity == pytest.approx(here.polarity, abs=1e-6)
    assert await scorer.result(0) is None  # taken once


async def test_a_helper_that_dies_never_holds_anyone_up_and_comes_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scorer_module, "RESTART_AFTER", 0.0)
    scorer = Scorer()
    await ready(scorer)
    try:
        process = scorer._process  # noqa: SLF001
        assert process is not None
        process.kill()
        await process.wait()
        scorer.submit({1: "kecewa banget"})  # sent to nobody: the next start is under way
        started = time.monotonic()
        assert await scorer.result(1) is None
        assert time.monotonic() - started < 1.0
        async with asyncio.timeout(30):  # started again
            await scorer.wait_ready()
        assert scorer._process is not process  # noqa: SLF001
        scorer.submit({2: "kecewa banget"})
        again = await scorer.result(2)
        assert again is not None
        assert again[1] is not None
        assert again[1].label == "negative"
    finally:
        await scorer.close()


async def test_a_score_not_back_in_time_is_left_to_the_bot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scorer_module, "WAIT", 0.0)
    scorer = Scorer()
    await ready(scorer)
    try:
        scorer.submit({1: "makasih kak"})
        assert await scorer.result(1) is None  # not waited for at all
    finally:
        await scorer.close()


async def test_the_bot_records_the_helpers_scores_and_scores_the_rest_itself(
    settings: Settings, engine: Engine
) -> None:
    async with BotHarness(settings, engine) as bot:
        data = bot.app.bot_data
        assert data.scorer is not None
        await ready(data.scorer)
        for n, text in enumerate(TEXTS):
            await bot.send(100 + n, text)
        await bot.send(200, "/feedback barangnya rusak, kecewa")  # words the hint leaves
        delivered = data.scorer.delivered
        await data.worker.stop()
    assert delivered == len(TEXTS)
    with session_scope(engine) as session:
        query = select(Message).where(Message.direction == "in")
        rows = session.execute(query).scalars().all()
    by_chat = {row.chat_id: row for row in rows}
    for n, text in enumerate(TEXTS):
        here = sentiment.analyze(text)
        row = by_chat[100 + n]
        assert (row.sentiment_label, row.sentiment_lang) == (here.label, here.lang)
        assert row.sentiment_polarity == pytest.approx(here.polarity, abs=1e-6)
    feedback = by_chat[200]
    assert feedback.sentiment_label == sentiment.analyze("barangnya rusak, kecewa").label
