"""The customers' CSV (/export, `akrab export customers`): columns, encoding, erased customers
left out, formulas defused, and /export behind the owner gate."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from bot.cli import cli
from bot.config import Settings
from bot.services.export import BOM, HEADER, customers_csv
from bot.texts import t
from storage.db import make_engine, migrate, session_scope
from tests.auxil.harness import BotHarness
from tests.auxil.shop import Shop

NOW = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
D = timedelta(days=1)
EXPECTED_HEADER = [
    "customer_id",
    "telegram_id",
    "username",
    "first_name",
    "last_name",
    "language",
    "segment",
    "ces",
    "declining",
    "frequency",
    "recency",
    "depth",
    "monetary",
    "sentiment",
    "satisfaction",
    "scored_at",
    "first_seen",
    "last_seen",
    "purchases",
    "spend",
    "opted_out",
    "blocked",
]


def build(engine: Engine) -> None:
    shop = Shop(engine)
    dewi = shop.customer("Dewi 🌸", NOW - 10 * D, segment="advocate", ces=81.5, scored_at=NOW)
    dewi.last_name, dewi.username = "Müller", "dewi"
    sneaky = shop.customer('=HYPERLINK("http://x")', NOW - 3 * D, username="sneaky")
    shop.customer("Gone", NOW - 5 * D, erased_at=NOW - D, telegram_id=None, username=None)
    shop.snapshot(dewi, NOW - 2 * D, 70.0, "advocate", frequency=10.0, recency=20.0)
    shop.snapshot(dewi, NOW, 81.5, "advocate", frequency=62.5, recency=99.0, monetary=50.0)
    shop.purchase(dewi, 25_000_050, NOW - 3 * D)
    shop.purchase(dewi, 10_000_000, NOW - 2 * D)
    shop.message(sneaky, NOW - D, "halo", polarity=0.0)
    shop.commit()


def parse(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(BOM.encode("utf-8"))  # EF BB BF: Excel then reads UTF-8
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header, *rows = list(reader)
    assert header == EXPECTED_HEADER == list(HEADER)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_export_has_one_row_per_customer_not_erased(engine: Engine, settings: Settings) -> None:
    build(engine)
    with session_scope(engine) as session:
        data, count = customers_csv(session, settings.tz)
    rows = parse(data)
    assert count == len(rows) == 2
    dewi, sneaky = rows
    assert dewi["first_name"] == "Dewi 🌸"
    assert dewi["last_name"] == "Müller"
    assert (dewi["segment"], dewi["ces"], dewi["declining"]) == ("advocate", "81.50", "0")
    # The components of the newest snapshot, empty where the run had none.
    assert (dewi["frequency"], dewi["recency"], dewi["monetary"], dewi["depth"]) == (
        "62.50",
        "99.00",
        "50.00",
        "",
    )
    assert (dewi["purchases"], dewi["spend"]) == ("2", "350000.50")
    assert dewi["scored_at"] == "2026-11-22 12:00:00"  # the shop's time (Asia/Jakarta)
    assert dewi["first_seen"] == "2026-11-12 12:00:00"
    assert sneaky["first_name"] == '\'=HYPERLINK("http://x")'  # never run as a formula
    assert (sneaky["segment"], sneaky["ces"], sneaky["frequency"], sneaky["spend"]) == (
        "",
        "",
        "",
        "0",
    )
    assert sneaky["last_seen"] == "2026-11-21 12:00:00"
    assert "Gone" not in data.decode("utf-8")


def test_export_cli_writes_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    engine = make_engine(url)
    migrate(engine)
    build(engine)
    with session_scope(engine) as session:
        expected, _ = customers_csv(session, settings.tz)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", "customers", "out.csv"], prog_name="akrab")
    assert result.exit_code == 0, result.output
    assert result.stdout == "exported 2 customer(s) to out.csv\n"
    assert (tmp_path / "out.csv").read_bytes() == expected


def test_export_cli_unwritable_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'shop.db'}")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["export", "customers", "no/such/dir/out.csv"], prog_name="akrab"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("akrab: cannot write no/such/dir/out.csv")


OWNER, STRANGER = 99, 501


@pytest.fixture
async def bot(settings: Settings, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, sqlite_engine) as harness:
        yield harness


async def test_owner_export_sends_a_csv_document(bot: BotHarness) -> None:
    await bot.send(STRANGER, "/start")
    await bot.send(OWNER, "/export")
    [document] = bot.calls("sendDocument")
    assert document["chat_id"] == OWNER
    assert document["caption"] == t("id", "export_caption", n=1)


async def test_owner_export_of_an_empty_shop_says_so(bot: BotHarness) -> None:
    await bot.send(OWNER, "/export")
    assert bot.last_text(OWNER) == t("id", "export_empty")
    assert bot.calls("sendDocument") == []


async def test_non_owner_export_is_an_unknown_command(bot: BotHarness) -> None:
    await bot.send(STRANGER, "/start")
    await bot.send(STRANGER, "/export")
    assert bot.last_text(STRANGER) == t("id", "unknown_command", command="/export")
    assert bot.calls("sendDocument") == []
