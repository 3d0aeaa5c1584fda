"""Immediate replies to a complaint, through the real Application on a real SQLite database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from bot.config import Settings
from bot.texts import t
from storage.models import Feedback, Outreach
from tests.auxil.harness import BotHarness

A = 601
ACK = t("id", "ack")
ASK = t("id", "complaint_ask")


@pytest.fixture
async def bot(settings: Settings, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, sqlite_engine) as harness:
        yield harness


def followups(engine: Engine) -> list[Outreach]:
    with Session(engine) as session:
        query = select(Outreach).where(Outreach.kind == "complaint_followup").order_by(Outreach.id)
        return list(session.execute(query).scalars())


async def test_routine_question_gets_no_complaint_reply(bot: BotHarness) -> None:
    await bot.send(A, "kak, ukuran L masih ada?")
    bot.clock.advance(minutes=1)
    await bot.send(A, "ongkir ke Bandung berapa ya kak?")
    assert bot.texts(A) == [ACK]
    assert followups(bot.engine) == []


async def test_negative_message_mid_conversation_asks_once(bot: BotHarness) -> None:
    await bot.send(A, "halo kak")
    bot.clock.advance(minutes=2)
    start = bot.clock.now
    await bot.send(A, "pesanan saya belum sampai udah seminggu, kecewa banget")
    assert bot.texts(A) == [ACK, ASK]
    [row] = followups(bot.engine)
    assert row.status == "planned"
    assert row.due_at == start + timedelta(days=1)
    bot.clock.advance(minutes=1)
    await bot.send(A, "barangnya juga rusak, jelek banget")  # the awaited answer
    assert bot.last_text(A) == t("id", "feedback_thanks")
    [feedback] = list(Session(bot.engine).execute(select(Feedback)).scalars())
    assert feedback.comment == "barangnya juga rusak, jelek banget"
    bot.clock.advance(minutes=1)
    await bot.send(A, "kecewa banget pokoknya")  # same conversation: asked already
    assert bot.texts(A) == [ACK, ASK, t("id", "feedback_thanks")]
    assert len(followups(bot.engine)) == 1
    bot.clock.advance(hours=3)  # a new conversation, a new complaint
    await bot.send(A, "kecewa banget, pesanan kedua juga belum sampai")
    assert bot.last_text(A) == ASK
    assert len(followups(bot.engine)) == 2


@pytest.mark.parametrize(
    ("kind", "score", "asked"),
    [("csat", 1, True), ("csat", 2, True), ("csat", 3, False), ("nps", 6, True), ("nps", 7, False)],
)
async def test_low_rating_asks_what_went_wrong(
    bot: BotHarness, kind: str, score: int, asked: bool
) -> None:
    await bot.send(A, "/rate" if kind == "csat" else "/nps")
    await bot.press(A, f"v1:{kind}:{score}")
    ask = t("id", "complaint_rating_ask")
    assert (bot.last_text(A) == ask) is asked
    assert len(followups(bot.engine)) == (1 if asked else 0)
    await bot.press(A, f"v1:{kind}:{score}")  # the same press again: asked once
    assert bot.texts(A).count(ask) == (1 if asked else 0)


async def test_opted_out_customer_is_asked_but_gets_no_follow_up(bot: BotHarness) -> None:
    await bot.send(A, "/stop")
    bot.clock.advance(minutes=40)
    await bot.send(A, "kecewa banget, barangnya rusak")
    assert bot.last_text(A) == ASK
    [row] = followups(bot.engine)
    assert (row.status, row.reason) == ("skipped", "opted_out")


async def test_a_complaint_that_opens_a_conversation_and_the_planner_agree(
    bot: BotHarness,
) -> None:
    """Recording keys the follow-up of a complaint that opens its conversation on that very
    message (without reading the conversation back); the planner, reading the messages, finds
    the same conversation planned and adds nothing."""
    from bot.services import planning

    await bot.send(A, "halo kak, mau tanya stok")
    bot.clock.advance(hours=2)  # silence: the next message opens a new conversation
    await bot.send(A, "kecewa banget, barangnya rusak semua")
    bot.clock.advance(minutes=5)
    await bot.send(A, "jelek banget kualitasnya, kecewa")  # awaited feedback, then nothing
    assert bot.texts(A) == [ACK, ASK, t("id", "feedback_thanks")]
    [row] = followups(bot.engine)
    with Session(bot.engine) as session:
        summary = planning.plan(
            session, bot.app.bot_data.settings, bot.clock.now, kinds=["complaint_followup"]
        )
        session.commit()
    assert summary["complaint_followup"].planned == 0
    assert [r.id for r in followups(bot.engine)] == [row.id]
