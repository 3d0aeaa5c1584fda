"""The answer to a plain customer message, sent without PTB's handlers (bot/handlers/direct.py):
the same texts, the same journal and the same treatment of Telegram's errors as the handlers
give, and the journal of a sent message committed in the background, in order."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from telegram.error import TimedOut

from bot.adapter.offline import Fault, OfflineTelegram
from bot.app import build_application
from bot.config import Settings
from bot.texts import t
from storage.models import Customer, Message
from tests.auxil.harness import STICKER, BotHarness

A = 5101


@pytest.fixture
async def bot(settings: Settings, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, sqlite_engine) as harness:
        yield harness


def handled_by_ptb(bot: BotHarness) -> list[int]:
    seen: list[int] = []
    handle = bot.app.process_update

    async def counted(update: Any) -> None:
        seen.append(update.update_id)
        await handle(update)

    bot.app.process_update = counted  # type: ignore[method-assign]
    return seen


def sends(bot: BotHarness) -> list[dict[str, Any]]:
    """The bot's sendMessage calls to the customer (not the relays to the owner)."""
    return [call for call in bot.calls("sendMessage") if call["chat_id"] == A]


def replies(engine: Engine, chat_id: int) -> list[tuple[str | None, str | None, bool]]:
    """(text, delivery, has Telegram's message id) of each journalled send to the chat."""
    with Session(engine) as session:
        found = session.exec(
            select(Message)
            .where(Message.chat_id == chat_id, Message.direction == "out")
            .order_by(Message.id)
        ).all()
    return [(m.text, m.delivery, m.telegram_message_id is not None) for m in found]


async def test_every_answer_recording_chooses_goes_out_without_the_handlers(
    bot: BotHarness,
) -> None:
    through = handled_by_ptb(bot)
    await bot.send(A, "halo kak")  # a conversation's first message: acknowledged
    await bot.send(A, "barangnya rusak, kecewa banget")  # its first complaint: what went wrong?
    await bot.send(A, "jahitannya lepas semua")  # awaited as the complaint's feedback: thanks
    await bot.send(A, "/feedback")  # a bare /feedback: the next message is the feedback
    await bot.send_kind(A, sticker=STICKER)  # ... and a sticker is not it
    expected = [
        t("id", "ack"),
        t("id", "complaint_ask"),
        t("id", "feedback_thanks"),
        t("id", "feedback_ask"),
        t("id", "feedback_not_text"),
    ]
    assert bot.texts(A) == expected
    assert len(through) == 1  # only the /feedback command went through PTB's handlers
    # Each send journalled once, as sent, with the message id Telegram gave it.
    assert replies(bot.engine, A) == [(text, "sent", True) for text in expected]


async def test_the_answer_is_in_the_customers_language(bot: BotHarness) -> None:
    bot.user(A, language_code="en")
    await bot.send(A, "hello, is the black tote still available?")
    assert bot.texts(A) == [t("en", "ack")]


@pytest.mark.parametrize("code", [500, 502])
async def test_a_server_error_on_the_answer_is_retried_and_it_is_sent_once(
    bot: BotHarness, code: int
) -> None:
    bot.telegram.faults.append(Fault("sendMessage", code, "Bad Gateway"))
    await bot.send(A, "halo kak")
    assert len(sends(bot)) == 2
    assert bot.texts(A) == [t("id", "ack")]
    assert replies(bot.engine, A) == [(t("id", "ack"), "sent", True)]


async def test_a_blocked_customer_is_marked_and_their_message_kept(bot: BotHarness) -> None:
    bot.telegram.faults.append(Fault("sendMessage", 403, "Forbidden: bot was blocked by the user"))
    await bot.send(A, "halo kak")
    with Session(bot.engine) as session:
        [customer] = session.exec(select(Customer)).all()
        inbound = session.exec(select(Message.text).where(Message.direction == "in")).all()
    assert customer.blocked is True
    assert inbound == ["halo kak"]
    assert replies(bot.engine, A) == []  # refused: nothing went out, nothing journalled
    assert len(sends(bot)) == 1  # final, not retried


async def test_a_refused_answer_is_not_retried_and_the_message_is_kept(bot: BotHarness) -> None:
    bot.telegram.faults.append(Fault("sendMessage", 400, "Bad Request: chat not found", count=2))
    await bot.send(A, "halo kak")
    with Session(bot.engine) as session:
        inbound = session.exec(select(Message.text).where(Message.direction == "in")).all()
    assert inbound == ["halo kak"]
    # The answer, then "try again later" (as the error handler does it): both refused.
    assert len(sends(bot)) == 2
    assert sends(bot)[1]["text"] == t("id", "error_later")


class TimingOut(OfflineTelegram):
    """The offline Telegram whose first sendMessage times out (it may have arrived)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timeouts = 1

    async def do_request(self, url: str, method: str, request_data: Any = None, **kw: Any) -> Any:
        if url.endswith("/sendMessage") and self.timeouts:
            self.timeouts -= 1
            raise TimedOut("read timed out")
        return await super().do_request(url, method, request_data, **kw)


async def test_a_timed_out_answer_is_unconfirmed_and_never_resent(
    settings: Settings, sqlite_engine: Engine
) -> None:
    harness = BotHarness(settings, sqlite_engine)
    flaky = TimingOut(clock=harness.telegram.clock)
    harness.telegram = flaky
    harness.app = build_application(
        settings, engine=sqlite_engine, request=flaky, clock=harness.clock, rate_limit=False
    )
    async with harness as bot:
        await bot.send(A, "halo kak")
        assert flaky.timeouts == 0
        assert bot.texts(A) == []  # nothing resent
        assert replies(sqlite_engine, A) == [(t("id", "ack"), "unconfirmed", False)]
        await bot.send(A, "masih ada stok?")  # the conversation goes on: nothing to answer
        assert bot.texts(A) == []
