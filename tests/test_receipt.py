"""Recording at receipt: the plain customer messages of a batch are recorded, and marked
processed, in the inbox commit itself; per-chat order and every answer still hold."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.adapter import db, receipt
from bot.config import Settings
from bot.handlers import recording
from bot.texts import t
from storage.db import open_database
from storage.models import InboxUpdate, Message
from tests.auxil.harness import BotHarness

A, B, C = 611, 612, 613


@pytest.fixture
async def bot(settings: Settings, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, sqlite_engine) as harness:
        yield harness


def inbound(engine: Engine) -> list[tuple[int, str | None]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Message.chat_id, Message.text)
            .where(Message.direction == "in")
            .order_by(Message.id)  # type: ignore[arg-type]
        ).all()
    return [(chat, text) for chat, text in rows]


def unprocessed(engine: Engine) -> list[int]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(InboxUpdate.update_id).where(InboxUpdate.processed_at == None)  # noqa: E711
            ).all()
        )


def watch_lanes(bot: BotHarness) -> list[int]:
    """The updates that reach a lane (the shortcut, or PTB's handlers)."""
    seen: list[int] = []
    worker = bot.app.bot_data.worker
    handle = worker._handle

    async def counted(row: Any) -> Any:
        seen.append(row.update_id)
        return await handle(row)

    worker._handle = counted  # type: ignore[method-assign]
    return seen


async def opened(bot: BotHarness, *chats: int) -> None:
    """Each chat has a conversation going (its first message was acknowledged)."""
    for chat in chats:
        await bot.send(chat, "halo kak")
        assert bot.texts(chat) == [t("id", "ack")]


async def test_a_batch_of_plain_messages_is_done_when_its_commit_returns(
    bot: BotHarness,
) -> None:
    await opened(bot, A, B)
    lanes = watch_lanes(bot)
    batch = [
        bot.telegram.message_update(bot.user(A), text="kak ukuran M ada?"),
        bot.telegram.message_update(bot.user(B), text="ongkir ke Bandung berapa?"),
        bot.telegram.message_update(bot.user(A), text="warna navy ya"),
        bot.telegram.message_update(bot.user(A), text="2 pcs"),
    ]
    new = await bot.app.bot_data.worker.receive(batch)
    # No drain: recorded, in order, and marked processed before `receive` returned.
    assert [row.update_id for row in new] == [u["update_id"] for u in batch]
    assert inbound(bot.engine)[2:] == [
        (A, "kak ukuran M ada?"),
        (B, "ongkir ke Bandung berapa?"),
        (A, "warna navy ya"),
        (A, "2 pcs"),
    ]
    assert unprocessed(bot.engine) == []
    assert lanes == []
    assert bot.texts(A) == [t("id", "ack")]
    assert bot.texts(B) == [t("id", "ack")]
    await bot.app.bot_data.worker.receive(batch[:2])  # Telegram sends them again
    await bot.app.bot_data.worker.drain()
    assert len(inbound(bot.engine)) == 6
    assert lanes == []


async def test_a_chat_stops_at_its_first_update_with_an_answer_and_its_lane_goes_on(
    bot: BotHarness,
) -> None:
    await opened(bot, B)
    lanes = watch_lanes(bot)
    batch = [
        bot.telegram.message_update(bot.user(A), text="halo kak, mau tanya"),  # opens: an ack
        bot.telegram.message_update(bot.user(A), text="stok hijab ada?"),
        bot.telegram.message_update(bot.user(B), text="makasih kak"),
        bot.telegram.message_update(bot.user(B), text="/help"),  # a command: the lane's
        bot.telegram.message_update(bot.user(B), text="oke siap"),
        bot.telegram.message_update(bot.user(C), text="ok"),
    ]
    ids = [u["update_id"] for u in batch]
    worker = bot.app.bot_data.worker
    await worker.receive(batch)
    assert sorted(unprocessed(bot.engine)) == [ids[0], ids[1], ids[3], ids[4], ids[5]]
    await worker.drain()
    assert sorted(lanes) == [ids[0], ids[1], ids[3], ids[4], ids[5]]
    assert unprocessed(bot.engine) == []
    assert [text for chat, text in inbound(bot.engine) if chat == A] == [
        "halo kak, mau tanya",
        "stok hijab ada?",
    ]
    assert [text for chat, text in inbound(bot.engine) if chat == B] == [
        "halo kak",
        "makasih kak",
        "/help",
        "oke siap",
    ]
    assert bot.texts(A) == [t("id", "ack")]  # answered once, the next one not at all
    assert bot.texts(C) == [t("id", "ack")]
    assert len(bot.texts(B)) == 2  # the ack before, then /help's answer


async def test_a_complaint_and_the_awaited_feedback_in_one_batch_are_answered_in_order(
    bot: BotHarness,
) -> None:
    await opened(bot, A)
    batch = [
        bot.telegram.message_update(bot.user(A), text="barang rusak pas dateng, kecewa banget 😡"),
        bot.telegram.message_update(bot.user(A), text="jahitannya lepas semua"),
    ]
    await bot.app.bot_data.worker.receive(batch)
    await bot.app.bot_data.worker.drain()
    assert bot.texts(A)[1:] == [
        t("id", "complaint_ask", name="User611"),
        t("id", "feedback_thanks"),
    ]
    assert [text for _, text in inbound(bot.engine)] == [
        "halo kak",
        "barang rusak pas dateng, kecewa banget 😡",
        "jahitannya lepas semua",
    ]


async def test_the_lanes_take_the_batch_when_recording_at_receipt_fails(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await opened(bot, A)
    real = recording.AtReceipt.record
    calls = []

    def broken(self: Any, session: Any, chats: Any) -> Any:
        calls.append(chats)
        real(self, session, chats)  # writes, then fails: all of it must be rolled back
        raise RuntimeError("a bug")

    monkeypatch.setattr(recording.AtReceipt, "record", broken)
    lanes = watch_lanes(bot)
    batch = [bot.telegram.message_update(bot.user(A), text=f"pesan {n}") for n in range(3)]
    with caplog.at_level(logging.WARNING):
        await bot.app.bot_data.worker.receive(batch)
        await bot.app.bot_data.worker.drain()
    assert calls
    assert "could not record 3 update(s) at receipt (RuntimeError)" in caplog.text
    assert lanes == [u["update_id"] for u in batch]
    texts = [text for _, text in inbound(bot.engine)]
    assert texts == ["halo kak", "pesan 0", "pesan 1", "pesan 2"]
    assert unprocessed(bot.engine) == []


async def test_a_locked_database_confirms_nothing(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    engine = open_database(f"sqlite:///{path}")
    try:
        async with BotHarness(settings, engine) as bot:
            blocker = sqlite3.connect(path, timeout=0)
            blocker.execute("BEGIN IMMEDIATE")
            data = bot.telegram.message_update(bot.user(A), text="halo kak")
            with pytest.raises(db.RETRYABLE_ERRORS):
                await bot.app.bot_data.worker.receive([data])
            blocker.rollback()
            blocker.close()
            assert inbound(engine) == []
            assert unprocessed(engine) == []
            await bot.feed(data)  # Telegram sends it again
            assert inbound(engine) == [(A, "halo kak")]
    finally:
        db.close(engine)
        engine.dispose()


def test_pick_takes_each_chats_leading_run_of_messages_when_the_chat_is_free() -> None:
    class Plain:
        def pick(self, payload: dict[str, Any]) -> Any:
            text = payload["message"].get("text", "")
            return None if text.startswith("/") else text

    def update(update_id: int, chat: int, text: str) -> dict[str, Any]:
        return {"update_id": update_id, "message": {"chat": {"id": chat}, "text": text}}

    batch = [
        update(1, A, "a1"),
        update(2, B, "b1"),
        update(3, A, "/x"),
        update(4, A, "a2"),
        update(5, C, "c1"),
        update(6, B, "b2"),
        {"update_id": 7, "poll": {}},  # no chat
    ]
    chats = receipt.pick(Plain(), {u["update_id"]: u for u in batch}, busy=lambda chat: chat == C)
    assert chats == {A: [(1, "a1")], B: [(2, "b1"), (6, "b2")]}
