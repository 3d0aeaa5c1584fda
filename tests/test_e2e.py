"""End to end: `akrab run` as a real process against the local Bot API emulator, driven as new
customers would, then the database checked directly."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from scoring import sentiment
from storage.db import make_engine
from storage.models import Customer, Feedback, Message
from tests.auxil.botprocess import BotProcess
from tests.auxil.botprocess import wait_until as wait_for
from tests.emulator import BotApiEmulator

pytestmark = pytest.mark.e2e
A, B, C = 7101, 7102, 7103
# Texts of distinct kinds: Indonesian and English, positive and negative, and opinion-free.
SCORED_TEXTS = [
    "barangnya bagus banget kak, makasih",
    "kecewa, pesanan gak sesuai",
    "Great service, fast shipping, thanks!",
    "The parcel arrived late and damaged.",
    "ok siap",
]


@pytest.fixture
def emulator() -> Iterator[BotApiEmulator]:
    with BotApiEmulator() as emu:
        yield emu


@pytest.fixture
def running(emulator: BotApiEmulator, tmp_path: Path) -> Iterator[tuple[BotProcess, Engine]]:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    bot = BotProcess(emulator, url, tmp_path)
    bot.start()
    emulator.wait_for_calls("setMyCommands", 2, timeout=30)
    engine = make_engine(url)
    try:
        yield bot, engine
    finally:
        bot.stop()
        engine.dispose()
    assert "Traceback" not in bot.log_text(), bot.log_text()
    bot.assert_token_not_logged()


def wait_until(check: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    wait_for(check, what, timeout)


def inbound_count(engine: Engine) -> int:
    with Session(engine) as session:
        return len(list(session.exec(select(Message).where(Message.direction == "in"))))


def test_conversations_are_recorded_erased_and_never_doubled(
    emulator: BotApiEmulator, running: tuple[BotProcess, Engine]
) -> None:
    bot, engine = running
    emulator.send_text(B, "/start", first_name="Bayu", username="bayu", language_code="id")
    emulator.wait_for_bot_messages(B, 1)
    emulator.send_text(B, "/invite")
    invite = emulator.wait_for_bot_messages(B, 2)[-1]["text"]
    code = re.search(r"start=ref_(\w+)", invite)
    assert code is not None, invite

    emulator.send_text(
        A, f"/start ref_{code[1]}", first_name="Ani", username="ani", language_code="en"
    )
    greeting = emulator.wait_for_bot_messages(A, 2)
    assert greeting[0]["text"].startswith("Hi Ani!")
    assert "Bayu" in greeting[1]["text"]
    emulator.send_text(A, "The delivery was quick, thank you!")
    emulator.send_sticker(A)
    emulator.send_text(A, "/rate")
    emulator.wait_for_bot_messages(A, 3)
    first = emulator.press_button(A, "v1:csat:3")
    wait_until(lambda: emulator.callback_answer(first) is not None, "the first press answered")
    second = emulator.press_button(A, "v1:csat:5")
    wait_until(lambda: emulator.callback_answer(second) is not None, "the second press answered")
    with Session(engine) as session:
        ani = session.exec(select(Customer).where(Customer.telegram_id == A)).one()
        ratings = list(session.exec(select(Feedback).where(Feedback.customer_id == ani.id)))
    assert [(f.kind, f.score) for f in ratings] == [("csat", 5)]

    emulator.send_text(B, "barangnya bagus banget, makasih")
    emulator.send_text(B, "/rate")
    emulator.wait_for_bot_messages(B, 3)

    # Every customer text is stored with exactly what `scoring.sentiment.analyze` gives.
    emulator.send_text(C, "/start", first_name="Citra", language_code="id")
    emulator.wait_for_bot_messages(C, 1)
    for text in SCORED_TEXTS:
        emulator.send_text(C, text)

    def c_texts() -> list[Message]:
        with Session(engine) as session:
            citra = session.exec(select(Customer).where(Customer.telegram_id == C)).one()
            query = select(Message).where(
                Message.customer_id == citra.id, Message.direction == "in", Message.kind == "text"
            )
            return list(session.exec(query.order_by(Message.id)))

    wait_until(lambda: len(c_texts()) == len(SCORED_TEXTS), "Citra's texts to be stored")
    stored = [
        (m.text, m.sentiment_label, m.sentiment_polarity, m.sentiment_lang, m.sentiment_version)
        for m in c_texts()
    ]
    expected = [
        (t, r.label, r.polarity, r.lang, sentiment.ANALYZER_VERSION)
        for t, r in ((t, sentiment.analyze(t)) for t in SCORED_TEXTS)
    ]
    assert stored == expected
    assert len({label for _, label, *_ in stored}) == 3  # positive, negative and neutral
    assert len({lang for *_, lang, _ in stored}) == 2  # Indonesian and English

    emulator.send_text(A, "/forget")
    emulator.wait_for_bot_messages(A, 4)
    answered = emulator.press_button(A, "v1:forget:yes")
    wait_until(lambda: emulator.callback_answer(answered) is not None, "the erasure")
    wait_until(lambda: "erased" in emulator.bot_messages(A)[-1]["text"], "the erasure notice")

    with Session(engine) as session:
        assert session.exec(select(Customer).where(Customer.telegram_id == A)).first() is None
        erased = session.get(Customer, ani.id)
        assert erased is not None
        assert (erased.first_name, erased.username, erased.chat_id) == (None, None, None)
        assert list(session.exec(select(Message).where(Message.customer_id == ani.id))) == []
        assert list(session.exec(select(Feedback).where(Feedback.customer_id == ani.id))) == []
        everything = " ".join(m.text or "" for m in session.exec(select(Message)))
        assert "Ani" not in everything
        assert "quick" not in everything

        bayu = session.exec(select(Customer).where(Customer.telegram_id == B)).one()
        b_rows = list(
            session.exec(select(Message).where(Message.customer_id == bayu.id).order_by(Message.id))
        )
    inbound = [(m.kind, m.text) for m in b_rows if m.direction == "in"]
    assert inbound == [
        ("command", "/start"),
        ("command", "/invite"),
        ("text", "barangnya bagus banget, makasih"),
        ("command", "/rate"),
    ]
    text_row = next(m for m in b_rows if m.kind == "text" and m.direction == "in")
    assert text_row.sentiment_label is not None
    assert text_row.sentiment_polarity is not None
    outbound = [m.text for m in b_rows if m.direction == "out"]
    assert outbound == [m["text"] for m in emulator.bot_messages(B)]

    # A restart must record nothing twice, and the bot must go on working.
    before = inbound_count(engine)
    bot.stop()
    bot.start()
    emulator.wait_for_calls("setMyCommands", 4, timeout=30)
    help_id = emulator.send_text(B, "/help")
    emulator.wait_for_bot_messages(B, 4)
    wait_until(lambda: inbound_count(engine) == before + 1, "the /help after the restart")
    # Telegram may deliver an update again (e.g. after a crash before the offset was confirmed).
    again = emulator.push_update(
        {
            "message": {
                "message_id": help_id,
                "from": emulator.user(B),
                "date": int(time.time()),
                "chat": {"id": B, "type": "private", "first_name": "Bayu"},
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            }
        }
    )
    wait_until(
        lambda: all(u["update_id"] != again for u in emulator.pending_updates()),
        "the redelivered update to be fetched",
    )
    emulator.send_text(B, "/nps")  # a marker: once it is answered, the redelivery was handled
    emulator.wait_for_bot_messages(B, 5)
    assert inbound_count(engine) == before + 2

    def scored() -> bool:  # the repeating job keeps each writer's current CES fresh
        with Session(engine) as session:
            bayu = session.exec(select(Customer).where(Customer.telegram_id == B)).one()
            return bayu.ces is not None and bayu.segment == "new"

    wait_until(scored, "the CES refresh job", timeout=20)
    assert [m["text"] for m in emulator.bot_messages(B)].count(
        emulator.bot_messages(B)[3]["text"]
    ) == 1
