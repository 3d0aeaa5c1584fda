"""End to end: the owner's /report and /export from a real `akrab run` process against the Bot
API emulator, and the same commands from a customer, who gets the unknown-command answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.texts import t
from tests.auxil.botprocess import OWNER_ID, BotProcess
from tests.emulator import BotApiEmulator

pytestmark = pytest.mark.e2e
CUSTOMER = 7201


@pytest.fixture
def emulator() -> Iterator[BotApiEmulator]:
    with BotApiEmulator() as emu:
        yield emu


@pytest.fixture
def bot(emulator: BotApiEmulator, tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(emulator, f"sqlite:///{tmp_path / 'e2e.db'}", tmp_path)
    process.start()
    emulator.wait_for_calls("setMyCommands", 2, timeout=30)
    try:
        yield process
    finally:
        process.stop()
    assert "Traceback" not in process.log_text(), process.log_text()


def test_owner_gets_the_report_with_one_photo_and_the_csv(
    emulator: BotApiEmulator, bot: BotProcess
) -> None:
    emulator.send_text(CUSTOMER, "/start", first_name="Sari", language_code="id")
    emulator.send_text(CUSTOMER, "barangnya bagus banget, makasih")
    emulator.wait_for_bot_messages(CUSTOMER, 1)
    emulator.send_text(CUSTOMER, "/report")
    answer = emulator.wait_for_bot_messages(CUSTOMER, 2)[-1]
    assert answer["text"] == t("id", "unknown_command", command="/report")

    relayed = len(emulator.wait_for_bot_messages(OWNER_ID, 1))  # the live inbox: Sari's words
    emulator.send_text(OWNER_ID, "/report", first_name="Owner", language_code="en")
    text, photo = emulator.wait_for_bot_messages(OWNER_ID, relayed + 2, timeout=30)[-2:]
    assert text["text"].startswith("📊 The last 7 days at ")
    assert "👥 Customers: 1\n• active: 1" in text["text"]
    assert "photo" in photo
    assert photo["caption"] == t("en", "rep_chart_caption", days=28)

    emulator.send_text(OWNER_ID, "/export")
    document = emulator.wait_for_bot_messages(OWNER_ID, relayed + 3, timeout=30)[-1]
    assert "document" in document
    assert document["caption"] == t("en", "export_caption", n=1)
