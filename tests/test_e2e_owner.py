"""End to end, the owner's console: `akrab run` as a real process against the Bot API emulator,
as an owner and two customers would; then the database checked directly."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.adapter.commands import menu as owner_menu
from storage.db import make_engine
from storage.models import Campaign, Message
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


def owner_button(emulator: BotApiEmulator, action: str, suffix: str = "") -> str:
    """The callback data of the newest button of `action` in the owner's chat."""
    for message in reversed(emulator.bot_messages(OWNER_ID)):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data", "")
                if data.startswith(f"v1:{action}:") and data.endswith(suffix):
                    return data
    raise AssertionError(f"no {action} button in the owner's chat")


def wait_owner_button(emulator: BotApiEmulator, action: str, suffix: str = "") -> str:
    found: list[str] = []

    def ready() -> bool:
        try:
            found.append(owner_button(emulator, action, suffix))
        except AssertionError:
            return False
        return True

    wait_until(ready, f"the owner's {action} button", timeout=15)
    return found[-1]


def test_a_two_variant_broadcast_reaches_each_member_once(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    """As an owner and four customers would: /broadcast to everyone with variants A and B,
    each customer gets exactly one of them, two answer, and /campaign shows both rates."""
    customers = [7301, 7302, 7303, 7304]
    bot, engine = start_bot(emulator, tmp_path, QUIET_HOURS="off")
    try:
        for chat in customers:
            emulator.send_text(chat, "halo kak", first_name=f"Kak{chat}")
        for chat in customers:
            emulator.wait_for_bot_messages(chat, 1)  # the acknowledgement
        emulator.send_text(OWNER_ID, "/broadcast")
        emulator.press_button(OWNER_ID, wait_owner_button(emulator, "bcseg", ".all"))
        emulator.send_text(OWNER_ID, "Promo A buat {name} dari {shop}")
        emulator.press_button(OWNER_ID, wait_owner_button(emulator, "bcb", ".yes"))
        emulator.send_text(OWNER_ID, "Promo B buat {name}")
        emulator.press_button(OWNER_ID, wait_owner_button(emulator, "bcgo"))

        def promos(chat: int) -> list[str]:
            texts = [m.get("text") or "" for m in emulator.bot_messages(chat)]
            return [text for text in texts if text.startswith("Promo")]

        wait_until(
            lambda: all(promos(chat) for chat in customers), "every member's promo", timeout=30
        )
        received = {chat: promos(chat) for chat in customers}
        assert all(len(texts) == 1 for texts in received.values()), received  # once each
        variants = sorted(texts[0].split()[1] for texts in received.values())
        assert variants == ["A", "A", "B", "B"]  # split evenly
        assert received[7301][0] in {"Promo A buat Kak7301 dari Toko Kami", "Promo B buat Kak7301"}

        emulator.send_text(customers[0], "mau dong kak")
        emulator.send_text(customers[1], "boleh lihat katalognya?")
        emulator.wait_for_bot_messages(customers[1], 2)
        with Session(engine) as session:
            [campaign_id] = session.exec(select(Campaign.id)).all()
        emulator.send_text(OWNER_ID, f"/campaign {campaign_id}")

        def results() -> str:
            texts = [m.get("text") or "" for m in emulator.bot_messages(OWNER_ID)]
            return next((t for t in reversed(texts) if f"#{campaign_id}" in t), "")

        def counted(word: str) -> int:
            return sum(int(n) for n in re.findall(rf"(?:{word}) (\d+)", results()))

        wait_until(lambda: counted("terkirim|sent") == 4, "the campaign's results", timeout=15)
        assert counted("dibalas|responded") == 2, results()  # both answers counted
        assert results().count("%") >= 2, results()  # an engagement rate per variant
        time.sleep(1)  # nothing more arrives: still one promo per customer
        assert all(len(promos(chat)) == 1 for chat in customers)
    finally:
        finish(bot, engine)
