"""After /forget no byte of the customer is left: not in the database file, its WAL, the raw
inbox, or the log lines. And the bot's token is in no log line."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot import logs
from bot.config import Settings
from storage.db import make_engine, migrate
from tests.auxil.harness import BotHarness

A, B = 811, 812
NAME, USERNAME = "Zubaidahqx", "zubaidah_qx_shop"
TEXTS = ["pesanan kuning-ungu-QX91 belum sampai", "/feedback jahitan QX77 lepas semua"]


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "private.db"


@pytest.fixture
async def bot(db_file: Path) -> AsyncIterator[BotHarness]:
    url = f"sqlite:///{db_file}"
    settings = Settings(_env_file=None, database_url=url, owner_ids=frozenset({99}))  # type: ignore[call-arg]
    engine: Engine = make_engine(url)
    migrate(engine)
    async with BotHarness(settings, engine) as harness:
        yield harness
    engine.dispose()


def database_bytes(db_file: Path) -> bytes:
    return b"".join(
        path.read_bytes()
        for path in (db_file, db_file.with_name(db_file.name + "-wal"))
        if path.exists()
    )


async def test_forget_leaves_no_byte_of_the_customer(
    bot: BotHarness, db_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    logs.quiet_libraries()  # as `akrab` configures logging at start-up
    caplog.set_level(logging.DEBUG)
    bot.user(A, first_name=NAME, username=USERNAME)
    await bot.send(A, "/start")
    for text in TEXTS:
        await bot.send(A, text)
    await bot.send(A, "/rate")
    await bot.press(A, "v1:csat:2")
    await bot.send(B, "halo kak, saya pelanggan lain")
    secrets = [NAME, USERNAME, "QX91", "QX77"]
    before = database_bytes(db_file)
    assert all(s.encode() in before for s in secrets)  # the check below can fail

    await bot.send(A, "/forget")
    await bot.press(A, "v1:forget:yes")

    after = database_bytes(db_file)
    assert [s for s in secrets if s.encode() in after] == []
    assert b"saya pelanggan lain" in after  # the other customer is untouched
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert [s for s in secrets if s in logged] == []


async def test_a_rating_button_from_before_forget_is_refused(bot: BotHarness) -> None:
    await bot.send(A, "/rate")
    keyboard = bot.telegram.bot_messages(A)[-1]
    await bot.send(A, "/forget")
    await bot.press(A, "v1:forget:yes")
    await bot.feed(bot.telegram.callback_update(bot.user(A), keyboard, "v1:csat:5"))
    answers = bot.calls("answerCallbackQuery")
    assert answers[-1].get("show_alert") is True
    from sqlmodel import Session, select

    from storage.models import Feedback

    with Session(bot.engine) as session:
        assert list(session.exec(select(Feedback))) == []


async def test_forget_cancels_and_blanks_the_customers_outreach(
    bot: BotHarness, db_file: Path
) -> None:
    from datetime import timedelta

    from bot.jobs.dispatcher import Dispatcher
    from tests.outreach_support import customer, plan, row

    await bot.send(A, "/start")
    customer_id = _customer_id(bot, A)
    now = bot.clock.now
    sent = plan(
        bot.engine, customer_id, "birthday", due=now, text=f"Selamat ulang tahun kak {NAME} QX55"
    )
    planned = plan(
        bot.engine,
        customer_id,
        "holiday",
        due=now + timedelta(days=3),
        text=f"Halo kak {NAME} QX56",
    )
    worker = Dispatcher(bot.app, active=lambda: True)
    await worker.recover()
    await worker.run()
    assert row(bot.engine, sent).status == "sent"
    assert b"QX55" in database_bytes(db_file)
    assert b"QX56" in database_bytes(db_file)

    await bot.send(A, "/forget")
    await bot.press(A, "v1:forget:yes")

    after = database_bytes(db_file)
    assert [s for s in (NAME, "QX55", "QX56") if s.encode() in after] == []
    assert (row(bot.engine, planned).status, row(bot.engine, planned).text) == ("cancelled", "")
    assert (row(bot.engine, sent).status, row(bot.engine, sent).text) == ("sent", "")
    assert customer(bot.engine, customer_id).erased_at is not None


def _customer_id(bot: BotHarness, telegram_id: int) -> int:
    from sqlmodel import Session

    from storage import customers

    with Session(bot.engine) as session:
        found = customers.get_customer(session=session, telegram_id=telegram_id)
        assert found is not None
        assert found.id is not None
        return found.id
