"""`akrab import-purchases`: exact amounts, bad rows reported by line, nothing imported twice."""

from __future__ import annotations

import subprocess
import sys
import zoneinfo
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlmodel import Session

from bot.cli import cli
from bot.services.purchase_import import (
    RowError,
    check_cents,
    import_purchases,
    parse_amount,
    parse_time,
    read_rows,
)
from storage import customers, purchases
from storage.db import make_engine, migrate, session_scope
from storage.models import Customer

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 22, tzinfo=UTC)
CSV = """customer,amount,currency,time,external_id
501,150000,IDR,2026-11-01,INV-1
@sari_shop,"Rp150.000",,2026-11-02 14:30,
501,"12,50",USD,02/11/2026 09:15,
@nobody,1000,IDR,2026-11-01,
501,-5,IDR,2026-11-01,
501,100,IDRR,2026-11-01,
501,100,IDR,yesterday,
,100,IDR,2026-11-01,
"""


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("150000", 15_000_000),
        ("150.000", 15_000_000),
        ("Rp 150.000", 15_000_000),
        ("1,234,567", 123_456_700),
        ("12,50", 1250),
        ("12.5", 1250),
        ("0.01", 1),
        ("1.234.567,89", 123_456_789),
        ("1.234", 123_400),
        ("99999999.99", 9_999_999_999),
    ],
)
def test_parse_amount_is_exact(text: str, cents: int) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "-5", "0", "12.345,678", "1e5", "1.2.3,4,5"])
def test_parse_amount_refuses(text: str) -> None:
    with pytest.raises(RowError):
        parse_amount(text)


def test_parse_time_takes_local_dates() -> None:
    assert parse_time("2026-11-01", JAKARTA) == datetime(2026, 10, 31, 17, tzinfo=UTC)
    assert parse_time("02/11/2026 09:15", JAKARTA) == datetime(2026, 11, 2, 2, 15, tzinfo=UTC)
    assert parse_time("2026-11-01T10:00:00+00:00", JAKARTA) == datetime(2026, 11, 1, 10, tzinfo=UTC)


def seed_customers(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        made = [
            Customer(
                telegram_id=tid,
                chat_id=tid,
                username=name,
                first_seen=NOW,
                last_seen=NOW,
                referral_code=customers.new_referral_code(),
            )
            for tid, name in ((501, None), (502, "Sari_Shop"))
        ]
        session.add_all(made)
        session.flush()
        return made[0].id or 0, made[1].id or 0


def test_import_reports_bad_rows_and_never_imports_twice(engine: Engine, tmp_path: Path) -> None:
    first_id, second_id = seed_customers(engine)
    path = tmp_path / "purchases.csv"
    path.write_text(CSV)
    report = import_purchases(engine, read_rows(path), zone=JAKARTA, now=NOW)
    assert (report.imported, report.duplicates) == (3, 0)
    assert [line for line, _ in report.errors] == [5, 6, 7, 8, 9]
    assert "no customer '@nobody'" in report.errors[0][1]
    again = import_purchases(engine, read_rows(path), zone=JAKARTA, now=NOW)
    assert (again.imported, again.duplicates, len(again.errors)) == (0, 3, 5)
    with Session(engine) as session:
        mine = purchases.purchases_for(session=session, customer_id=first_id)
        theirs = purchases.purchases_for(session=session, customer_id=second_id)
    assert [(Decimal(p.amount_cents) / 100, p.currency, p.external_id) for p in mine] == [
        (Decimal("150000"), "IDR", "INV-1"),
        (Decimal("12.5"), "USD", None),
    ]
    assert [(p.amount_cents, p.purchased_at) for p in theirs] == [
        (15_000_000, datetime(2026, 11, 2, 7, 30, tzinfo=UTC))
    ]


def test_import_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'akrab.db'}"
    engine = make_engine(url)
    migrate(engine)
    seed_customers(engine)
    engine.dispose()
    (tmp_path / "p.csv").write_text(CSV)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", "import-purchases", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url},
            check=False,
        )

    first = run("p.csv")
    assert first.returncode == 1
    assert first.stdout.strip() == "imported 3 purchase(s); 0 already imported; 5 bad row(s)"
    assert "p.csv:7: currency 'IDRR' is not a three-letter code like IDR" in first.stderr
    assert run("p.csv").stdout.strip().startswith("imported 0 purchase(s); 3 already imported")
    missing = run("nope.csv")
    assert (missing.returncode, missing.stderr.strip()) == (2, "akrab: no such file: nope.csv")
    (tmp_path / "bad.csv").write_text("who,amount\n1,2\n")
    bad = run("bad.csv")
    assert bad.returncode == 2
    assert "the header lacks column(s): customer, time" in bad.stderr


@pytest.mark.parametrize(
    ("text", "meant"),
    [("1.5", "1.500 (1500 IDR)"), ("12,50", "12.500 (12500 IDR)"), ("1.234,5", "1.234.500")],
)
def test_idr_amounts_with_cents_are_refused_with_a_hint(text: str, meant: str) -> None:
    with pytest.raises(RowError) as caught:
        check_cents(text, parse_amount(text), "IDR")
    assert str(caught.value).startswith(
        f"amount {text!r} has cents, but IDR amounts have none: did you mean {meant}"
    )


@pytest.mark.parametrize(
    ("text", "currency"), [("1.500", "IDR"), ("1.500,00", "IDR"), ("12,50", "USD"), ("1.5", "EUR")]
)
def test_whole_rupiah_and_other_currencies_cents_pass(text: str, currency: str) -> None:
    check_cents(text, parse_amount(text), currency)


def test_future_and_idr_cents_rows_are_bad_rows(engine: Engine, tmp_path: Path) -> None:
    first_id, _ = seed_customers(engine)
    soon = (NOW + timedelta(hours=20)).isoformat()  # within the day of clock-skew tolerance
    later = (NOW + timedelta(days=2)).isoformat()
    path = tmp_path / "p.csv"
    path.write_text(
        "customer,amount,currency,time\n"
        f"501,1.500,IDR,{soon}\n"
        f"501,1.000,IDR,{later}\n"
        "501,1.5,,2026-11-01\n"
        '501,"12,50",IDR,2026-11-01\n'
        '501,"12,50",USD,2026-11-01\n'
        "501,1.500,IDR,2027-01-05\n"
    )
    report = import_purchases(engine, read_rows(path), zone=JAKARTA, now=NOW)
    assert report.imported == 2
    assert report.errors == [
        (3, f"date {later!r} is in the future"),
        (4, "amount '1.5' has cents, but IDR amounts have none: did you mean 1.500 (1500 IDR)?"),
        (
            5,
            "amount '12,50' has cents, but IDR amounts have none: did you mean 12.500 (12500 IDR)?",
        ),
        (7, "date '2027-01-05' is in the future"),
    ]
    with Session(engine) as session:
        mine = purchases.purchases_for(session=session, customer_id=first_id)
    assert sorted((p.amount_cents, p.currency) for p in mine) == [(1250, "USD"), (150_000, "IDR")]


def test_command_line_reports_a_future_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'akrab.db'}"
    engine = make_engine(url)
    migrate(engine)
    seed_customers(engine)
    engine.dispose()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    (tmp_path / "p.csv").write_text("customer,amount,time\n501,150.000,2999-01-01\n")
    result = CliRunner().invoke(cli, ["import-purchases", "p.csv"])
    assert result.exit_code == 1
    assert result.stderr == "p.csv:2: date '2999-01-01' is in the future\n"
    assert result.stdout == "imported 0 purchase(s); 0 already imported; 1 bad row(s)\n"
