"""End to end, the owner's console: `akrab run` as a real process against the Bot API emulator,
as an owner and two customers would; then the database checked directly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.adapter.commands import menu as owner_menu
from storage.db import make_engine
from storage.models import Message
from tests.auxil.botprocess import OWNER_ID, BotProcess, wait_until
from tests.emulator import BotApiEmulator

pytestmark = pytest.mark.e2e
A, B = 7201, 7202
FORUM = -1_000_000_000_777


@pytest.fixture
def emulator() -> Iterator[BotApiEmulator]:
    with BotApiEmulator() as emu:
        yield emu


def start_bot(emulator: BotApiEmulator, tmp_path: Path, **env: str) -> tuple[BotProcess, Engine]:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    bot = BotProcess(emulator, url, tmp_path, env=env)
    bot.start()
    emulator.wait_for_calls("setMyCommands", 4, timeout=30)  # customers' and the owner's menus
    return bot, make_engine(url)


def owner_answers(engine: Engine) -> list[tuple[int, str | None, int | None]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Message).where(Message.direction == "out", Message.sent_by.is_not(None))  # type: ignore[union-attr]
        )
        return [(m.chat_id, m.text, m.sent_by) for m in rows]


def finish(bot: BotProcess, engine: Engine) -> None:
    bot.stop()
    engine.dispose()
    assert "Traceback" not in bot.log_text(), bot.log_text()
    bot.assert_token_not_logged()


def test_inbox_round_trip_in_the_owners_private_chat(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    bot, engine = start_bot(emulator, tmp_path)
    try:
        menu = emulator.commands(scope={"type": "chat", "chat_id": OWNER_ID})
        assert menu == [c.to_dict() for c in owner_menu("en", "owner")]
        emulator.send_text(A, "kak, ukuran L masih ada?", first_name="Ani", username="ani")
        emulator.send_photo(B, caption="yang ini ready?", first_name="Bayu", username="bayu")
        relays = emulator.wait_for_bot_messages(OWNER_ID, 2)
        by_text = {(m.get("text") or m.get("caption") or ""): m for m in relays}
        question = next(m for text, m in by_text.items() if "Ani (@ani)" in text)
        photo = next(m for text, m in by_text.items() if "Bayu (@bayu)" in text)
        assert question["text"].endswith("kak, ukuran L masih ada?")
        assert "photo" in photo  # a photo arrives as a photo
        assert photo["caption"].endswith("yang ini ready?")

        emulator.send_text(OWNER_ID, "Masih kak, mau warna apa?", reply_to=question["message_id"])
        emulator.wait_for_bot_messages(A, 2)  # the acknowledgement, then the owner's answer
        assert emulator.bot_messages(A)[-1]["text"] == "Masih kak, mau warna apa?"
        emulator.send_text(OWNER_ID, "Ready kak", reply_to=photo["message_id"])
        emulator.wait_for_bot_messages(B, 2)
        assert emulator.bot_messages(B)[-1]["text"] == "Ready kak"
        wait_until(lambda: len(owner_answers(engine)) == 2, "both answers journalled", timeout=15)
        assert sorted(owner_answers(engine)) == [
            (A, "Masih kak, mau warna apa?", OWNER_ID),
            (B, "Ready kak", OWNER_ID),
        ]

        emulator.send_text(A, "/help")  # a customer's /help is still the customer's
        assert "/rate" in emulator.wait_for_bot_messages(A, 3)[-1]["text"]
        emulator.send_text(A, "/start")
        emulator.wait_for_bot_messages(A, 4)
        assert len(emulator.bot_messages(OWNER_ID)) == 4  # 2 relays + 2 "sent" notes, no more
    finally:
        finish(bot, engine)


def test_inbox_round_trip_in_forum_topics(emulator: BotApiEmulator, tmp_path: Path) -> None:
    emulator.make_forum(FORUM)
    bot, engine = start_bot(emulator, tmp_path, OWNER_CHAT_ID=str(FORUM))
    try:
        emulator.send_text(A, "kak, ukuran L masih ada?", first_name="Ani", username="ani")
        emulator.send_text(B, "pesanan saya belum sampai udah seminggu, kecewa banget")
        relays = emulator.wait_for_bot_messages(FORUM, 2)
        topics = {m["message_thread_id"] for m in relays}
        assert len(topics) == 2  # one topic per customer
        ani = next(m for m in relays if "Ani" in m["text"])
        complaint = next(m for m in relays if m is not ani)
        assert complaint["text"].startswith("⚠️")  # the complaint's relay is its alert
        assert [
            b["callback_data"] for row in complaint["reply_markup"]["inline_keyboard"] for b in row
        ][0].startswith("v1:o_reply:")

        emulator.send_update(
            OWNER_ID,
            chat_id=FORUM,
            text="Masih ada kak",
            message_thread_id=ani["message_thread_id"],
            is_topic_message=True,
        )
        emulator.wait_for_bot_messages(A, 2)
        assert emulator.bot_messages(A)[-1]["text"] == "Masih ada kak"
        emulator.send_text(A, "oke makasih")  # the same customer: the same topic
        later = emulator.wait_for_bot_messages(FORUM, 3)[-1]
        assert later["message_thread_id"] == ani["message_thread_id"]
        assert len(emulator.calls("createForumTopic")) == 2
        wait_until(lambda: len(owner_answers(engine)) == 1, "the answer journalled", 15)
        assert owner_answers(engine) == [(A, "Masih ada kak", OWNER_ID)]
        assert emulator.bot_messages(B)[-1]["text"] != "Masih ada kak"
    finally:
        finish(bot, engine)
