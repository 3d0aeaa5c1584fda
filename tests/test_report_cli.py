"""`akrab report` through click's CliRunner on a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli
from bot.texts import t
from storage.db import make_engine, migrate
from tests.auxil.shop import Shop
from tests.test_report import NOW
from tests.test_report_chart import png_size


@pytest.fixture
def shop_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    engine = make_engine(url)
    migrate(engine)
    shop = Shop(engine)
    who = shop.customer("Sari", NOW, segment="potential", ces=55.0)
    shop.commit()
    engine.dispose()
    assert who.id is not None
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    return url


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="akrab")


def test_report_prints_the_report_and_writes_the_chart(shop_url: str, tmp_path: Path) -> None:
    result = invoke("report", "--period", "30d", "--chart", "chart.png", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("📊 The last 30 days at Toko Kami\n")
    assert "👥 Customers: 1\n" in result.stdout
    assert result.stdout.endswith("chart: chart.png\n")
    assert png_size((tmp_path / "chart.png").read_bytes()) == (1200, 800)


def test_report_defaults_to_seven_days_in_the_default_language(shop_url: str) -> None:
    result = invoke("report")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("📊 Laporan 7 hari terakhir, Toko Kami\n")
    assert t("id", "rep_customers", total="1") in result.stdout


def test_report_refuses_an_unknown_period(shop_url: str) -> None:
    result = invoke("report", "--period", "14d")
    assert result.exit_code == 2
    assert "Invalid value for '--period'" in result.stderr
