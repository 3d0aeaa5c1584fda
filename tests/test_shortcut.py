"""The inbox worker's shortcut: most customer messages are recorded from their JSON and never
go through PTB's handlers; the ones that ask for an answer still get it, once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from telegram import Bot, Update

from bot.adapter.inbound import extract
from bot.adapter.offline import OfflineTelegram, user
from bot.config import Settings
from bot.texts import t
from storage.models import InboxUpdate, Message
from tests.auxil.harness import STICKER, BotHarness

A, B = 601, 602
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
PHOTO = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]


def payloads() -> list[dict[str, Any]]:
    telegram = OfflineTelegram(clock=lambda: NOW.timestamp())
    sari = user(A, "Sari", language_code="id", username="sari")
    john = user(B, "John", language_code=None)
    sent = telegram.message_update(sari, text="halo")["message"]
    slash = telegram.message_update(sari, text="/ not a command")
    del slash["message"]["entities"]  # a slash, but no bot_command entity: a text
    return [
        telegram.message_update(sari, text="kak ukuran M ada?"),
        telegram.message_update(sari, text="/start ref"),
        slash,
        telegram.message_update(john, text=""),
        telegram.message_update(sari, photo=PHOTO, caption="yang ini kak"),
        telegram.message_update(sari, photo=PHOTO),
        telegram.message_update(sari, sticker=STICKER),
        telegram.message_update(sari, location={"latitude": -6.2, "longitude": 106.8}),
        telegram.message_update(
            sari, contact={"phone_number": "0812", "first_name": "Ani", "last_name": "W"}
        ),
        telegram.message_update(sari, dice={"emoji": "🎲", "value": 3}),
        telegram.edit_update(sari, 1, "halo lagi"),
        telegram.callback_update(sari, sent, "csat:5"),
        telegram.message_update(sari, chat_id=-100, text="di grup"),
        telegram.message_update(user(9, "Bot") | {"is_bot": True}, text="beep"),
        {"update_id": 77, "my_chat_member": {"chat": {"id": A, "type": "private"}}},
    ]


@pytest.mark.parametrize("payload", payloads(), ids=lambda p: str(sorted(p)[-1]))
def test_extract_reads_the_json_as_it_reads_ptbs_update(payload: dict[str, Any]) -> None:
    parsed = Update.de_json(payload, Bot("123:ABC"))
    assert extract(payload, NOW) == extract(parsed, NOW)


def test_extract_reads_what_the_message_says() -> None:
    first = extract(payloads()[0], NOW)
    assert first is not None
    assert (first.kind, first.text, first.username, first.sent_at) == (
        "text",
        "kak ukuran M ada?",
        "sari",
        NOW,
    )
    kinds = [(i.kind, i.text) if i else None for i in (extract(p, NOW) for p in payloads())]
    assert kinds[1] == ("command", "/start ref")
    assert kinds[2] == ("text", "/ not a command")
    assert kinds[6] == ("sticker", "😀")
    assert kinds[7] == ("location", "-6.2,106.8")
    assert kinds[8] == ("contact", "Ani W 0812")
    assert kinds[-3:] == [None, None, None]  # a group, a bot, a membership change


def test_extract_takes_odd_json_without_failing() -> None:
    odd = [
        {"update_id": 1, "message": "x"},
        {"update_id": 2, "message": {"chat": {"id": "1", "type": "private"}, "from": {"id": 1}}},
        {"update_id": 3, "message": {"chat": {"id": 1, "type": "private"}, "from": 5}},
        {"update_id": 4, "callback_query": {"from": {"id": 1}, "message": None}},
    ]
    assert [extract(p, NOW) for p in odd] == [None, None, None, None]


@pytest.fixture
async def bot(settings: Settings, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, sqlite_engine) as harness:
        yield harness


def counting_handlers(bot: BotHarness) -> list[int]:
    """Watch which updates go through PTB's handlers (the application's own entry point)."""
    seen: list[int] = []
    handle = bot.app.process_update

    async def counted(update: object) -> None:
        seen.append(update.update_id)  # type: ignore[attr-defined]
        await handle(update)

    bot.app.process_update = counted  # type: ignore[method-assign]
    return seen


async def test_a_message_that_asks_for_nothing_is_recorded_past_the_handlers(
    bot: BotHarness,
) -> None:
    through = counting_handlers(bot)
    first = await bot.feed(bot.telegram.message_update(bot.user(A), text="halo kak"))
    assert bot.texts(A) == [t("id", "ack")]  # opens a conversation: acknowledged
    later = [
        await bot.feed(bot.telegram.message_update(bot.user(A), text=f"ukuran {size} ada?"))
        for size in ("S", "M", "L")
    ]
    assert bot.texts(A) == [t("id", "ack")]  # the rest of the conversation: nothing to say
    assert through == []  # the acknowledgement too was sent without PTB's handlers
    assert first["update_id"] not in through
    with Session(bot.engine) as session:
        texts = session.exec(
            select(Message.text).where(Message.direction == "in").order_by(Message.id)
        ).all()
        pending = session.exec(select(InboxUpdate).where(InboxUpdate.processed_at == None)).all()  # noqa: E711
        scored = session.exec(
            select(Message.sentiment_label).where(Message.direction == "in")
        ).all()
    assert texts == ["halo kak", "ukuran S ada?", "ukuran M ada?", "ukuran L ada?"]
    assert None not in scored
    assert pending == []  # each marked processed with its recording
    again = await bot.feed(later[0])  # Telegram sends one again: recorded once, no reply
    assert again == later[0]
    with Session(bot.engine) as session:
        assert len(session.exec(select(Message).where(Message.direction == "in")).all()) == 4
    assert len(bot.texts(A)) == 1


async def test_messages_that_ask_for_an_answer_still_get_it_once(bot: BotHarness) -> None:
    await bot.send(A, "halo kak")
    await bot.send(A, "barang rusak pas dateng, sobek 😡 kecewa banget")
    assert bot.last_text(A) == t("id", "complaint_ask", name="User601")
    await bot.send(A, "kecewa banget pokoknya, jelek")  # a second complaint: asked once only
    await bot.send(A, "/feedback")
    await bot.send(A, "pengirimannya lama")  # the awaited feedback
    assert bot.texts(A)[-1] == t("id", "feedback_thanks")
    assert bot.texts(A).count(t("id", "complaint_ask", name="User601")) == 1
    bot.clock.advance(minutes=31)
    await bot.send(A, "kak mau order lagi")  # a new conversation: acknowledged again
    assert bot.last_text(A) == t("id", "ack")


async def test_owners_and_commands_still_go_through_the_handlers(
    settings: Settings, sqlite_engine: Engine
) -> None:
    owner = 700
    settings = settings.model_copy(update={"owner_ids": frozenset({owner})})
    async with BotHarness(settings, sqlite_engine) as bot:
        through = counting_handlers(bot)
        await bot.send(A, "halo kak")  # recorded and acknowledged past the handlers
        help_update = await bot.feed(bot.telegram.message_update(bot.user(A), text="/help"))
        owner_update = await bot.feed(bot.telegram.message_update(bot.user(owner), text="halo"))
        assert through == [help_update["update_id"], owner_update["update_id"]]
        with Session(bot.engine) as session:
            senders = session.exec(select(Message.chat_id).where(Message.direction == "in")).all()
        assert owner not in senders  # owners are not customers
