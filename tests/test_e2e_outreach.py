"""End to end: planned outbox rows in the database, `akrab run` as a real process against the
Bot API emulator, and what the emulator received (each Telegram fault of the dispatcher)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update

from storage.db import open_database, session_scope
from storage.models import Outreach
from tests.auxil.botprocess import BotProcess, query
from tests.emulator import BotApiEmulator
from tests.outreach_support import add_customer, plan

pytestmark = pytest.mark.e2e
BASE = 880_000
SLOW_ANSWER = 8.0  # past the bot's read timeout (PTB: 5 s)
QUIET_OFF = {"QUIET_HOURS": "off"}


@pytest.fixture
def emulator() -> Iterator[BotApiEmulator]:
    with BotApiEmulator() as emu:
        yield emu


@pytest.fixture
def seeded(db_url: str) -> Iterator[tuple[str, Engine]]:
    engine = open_database(db_url)
    yield db_url, engine
    engine.dispose()


def sends_to(emulator: BotApiEmulator, chat: int) -> list[dict[str, Any]]:
    return [
        c for c in emulator.calls("sendMessage") if c["params"].get("chat_id") in (chat, str(chat))
    ]


def statuses(engine: Engine) -> dict[int, tuple[str, str | None, int]]:
    rows = query(engine, "SELECT id, status, reason, attempts FROM outreach")
    return {int(i): (s, r, int(a)) for i, s, r, a in rows}


def start(emulator: BotApiEmulator, url: str, tmp_path: Path, **env: str) -> BotProcess:
    bot = BotProcess(emulator, url, tmp_path, env={**QUIET_OFF, **env})
    bot.start()
    bot.wait_ready()
    return bot


def test_due_rows_reach_customers_once_with_every_fault_handled(
    emulator: BotApiEmulator, seeded: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = seeded
    now = datetime.now(UTC)
    chat = {
        name: BASE + n
        for n, name in enumerate(
            ["plain", "stopped", "complaint", "blocked", "flood", "broken", "slow", "late"]
        )
    }
    ids = {
        name: add_customer(engine, c, at=now, opted_out=name == "stopped")
        for name, c in chat.items()
    }
    row = {
        name: plan(engine, ids[name], "rating", due=now, text=f"Halo kak {name}")
        for name in chat
        if name not in ("complaint", "late")
    }
    row["complaint"] = plan(
        engine, ids["complaint"], "complaint_followup", due=now, text="Sudah beres kak?"
    )
    row["late"] = plan(
        engine, ids["late"], "birthday", due=now - timedelta(days=1), expires=timedelta(hours=12)
    )
    # blocked since the last update (the bot has not heard of it): the send answers 403
    emulator.inject_fault(
        "sendMessage",
        chat_id=chat["blocked"],
        error_code=403,
        description="Forbidden: bot was blocked by the user",
    )
    emulator.inject_fault("sendMessage", chat_id=chat["flood"], retry_after=1)
    emulator.inject_fault(
        "sendMessage", chat_id=chat["broken"], error_code=502, description="Bad Gateway"
    )
    emulator.inject_fault(
        "sendMessage", chat_id=chat["slow"], delay=SLOW_ANSWER, process_first=True
    )

    bot = start(emulator, url, tmp_path)
    try:

        def settled() -> bool:
            s = statuses(engine)
            return (s[row["flood"]][0], s[row["slow"]][0], s[row["broken"]][1]) == (
                "sent",
                "unconfirmed",
                "retry",
            )

        bot.wait_until(settled, "every row to settle", 60)
        bot.stop()
        time.sleep(0.5)
        bot = start(emulator, url, tmp_path)  # a restart sends nothing again
        time.sleep(3.0)
        bot.ensure_alive()
    finally:
        bot.stop()
    s = statuses(engine)
    assert s[row["plain"]] == ("sent", None, 1)
    assert emulator.bot_messages(chat["plain"])[0]["text"] == "Halo kak plain"
    assert s[row["stopped"]][:2] == ("skipped", "opted_out")
    assert s[row["late"]][:2] == ("expired", "late")
    assert s[row["blocked"]][0] == "failed"
    blocked = query(engine, "SELECT blocked FROM customer WHERE id = :id", id=ids["blocked"])
    assert bool(blocked[0][0]) is True
    assert s[row["flood"]] == ("sent", None, 1)  # the 429 was not counted as an attempt
    assert len(sends_to(emulator, chat["flood"])) == 2
    assert s[row["broken"]][2] == 1  # a 502: planned again with backoff, one attempt counted
    assert s[row["slow"]] == ("unconfirmed", None, 1)
    assert len(sends_to(emulator, chat["slow"])) == 1  # never resent by itself
    [complaint] = emulator.bot_messages(chat["complaint"])
    buttons = [b["callback_data"] for b in complaint["reply_markup"]["inline_keyboard"][0]]
    assert buttons == ["v1:resolved:yes", "v1:resolved:no"]
    for name in ("stopped", "late"):
        assert sends_to(emulator, chat[name]) == []
    for name in ("plain", "complaint", "flood", "slow"):
        assert len(emulator.bot_messages(chat[name])) == 1, name
    journal = query(
        engine,
        "SELECT chat_id, delivery FROM message WHERE direction = 'out' ORDER BY chat_id",
    )
    assert sorted((int(c), d) for c, d in journal) == sorted(
        [
            (chat["plain"], "sent"),
            (chat["complaint"], "sent"),
            (chat["flood"], "sent"),
            (chat["slow"], "unconfirmed"),
        ]
    )
    assert "Traceback" not in bot.log_text()
    bot.assert_token_not_logged()


def test_a_row_left_sending_by_a_crash_is_unconfirmed_and_never_sent(
    emulator: BotApiEmulator, seeded: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = seeded
    now = datetime.now(UTC)
    customer = add_customer(engine, BASE + 50, at=now)
    row_id = plan(engine, customer, "rating", due=now - timedelta(minutes=1))
    other = plan(engine, add_customer(engine, BASE + 51, at=now), "rating", due=now)
    with session_scope(engine) as session:  # claimed and marked, then the process died
        session.connection().execute(
            update(Outreach.__table__)  # type: ignore[attr-defined]
            .where(Outreach.__table__.c.id == row_id)  # type: ignore[attr-defined]
            .values(status="sending", claimed_at=now - timedelta(seconds=30), attempts=1)
        )
    bot = start(emulator, url, tmp_path)
    try:
        bot.wait_until(lambda: statuses(engine)[other][0] == "sent", "the other row", 30)
    finally:
        bot.stop()
    assert statuses(engine)[row_id][0] == "unconfirmed"
    assert sends_to(emulator, BASE + 50) == []
    assert "1 outreach message(s) were being sent at a stop" in bot.log_text()


def test_a_message_due_in_quiet_hours_goes_out_when_they_end(
    emulator: BotApiEmulator, seeded: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = seeded
    now = datetime.now(UTC)
    if now.second > 50:  # quiet hours are whole minutes: end at the next one, soon enough
        time.sleep(61 - now.second)
        now = datetime.now(UTC)
    start_at, end_at = now - timedelta(minutes=1), now + timedelta(minutes=1)
    quiet = f"{start_at:%H:%M}-{end_at:%H:%M}"
    row_id = plan(engine, add_customer(engine, BASE + 60, at=now), "rating", due=now)
    bot = start(emulator, url, tmp_path, QUIET_HOURS=quiet, TIMEZONE="UTC")
    try:
        bot.wait_until(lambda: statuses(engine)[row_id][1] == "quiet_hours", "the deferral", 30)
        assert sends_to(emulator, BASE + 60) == []
        bot.wait_until(lambda: statuses(engine)[row_id][0] == "sent", "the send", 150)
    finally:
        bot.stop()
    [sent] = emulator.calls("sendMessage")
    assert sent["time"] >= end_at.replace(second=0, microsecond=0).timestamp()


TWO_PROCESS_ROWS = 200


def test_two_processes_on_one_database_send_each_row_once(
    emulator: BotApiEmulator, seeded: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = seeded
    now = datetime.now(UTC)
    chats = [BASE + 100 + n for n in range(TWO_PROCESS_ROWS)]
    for chat in chats:
        plan(engine, add_customer(engine, chat, at=now), "rating", due=now)
    one = BotProcess(emulator, url, tmp_path, env=QUIET_OFF, log_name="one.log")
    two = BotProcess(emulator, url, tmp_path, env=QUIET_OFF, log_name="two.log")
    with one, two:
        one.start()
        two.start()

        def done() -> bool:
            return all(s == "sent" for s, _, _ in statuses(engine).values())

        one.wait_until(done, "every row sent", 90)
        time.sleep(1.0)
        two.ensure_alive()
    received = [int(c["params"]["chat_id"]) for c in emulator.calls("sendMessage")]
    assert sorted(received) == chats  # each once, none twice
    assert all(len(emulator.bot_messages(chat)) == 1 for chat in chats)
    assert "Traceback" not in one.log_text() + two.log_text()
