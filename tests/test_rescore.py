"""`akrab rescore`: stale sentiment is recomputed in batches, and a second run finds nothing."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.services.rescore import rescore
from scoring import sentiment
from storage import customers, messages
from storage.db import make_engine, migrate, session_scope
from storage.messages import SentimentFields
from storage.models import Customer, Message

NOW = datetime(2026, 11, 1, tzinfo=UTC)
ROWS = [
    ("text", "barangnya bagus banget, makasih", 0),  # scored by an old analyzer
    ("text", "The delivery was terrible", None),  # never scored
    ("photo", "kecewa, warnanya gak sesuai", 0),
    ("command", "/feedback pelayanannya ramah sekali", None),
    ("command", "/start", None),  # no opinion to score: left alone
    ("sticker", "😀", None),  # not a text
    ("text", "ok siap", sentiment.ANALYZER_VERSION),  # already current: left alone
]


def seed(engine: Engine) -> None:
    with session_scope(engine) as session:
        customer = Customer(
            telegram_id=1,
            chat_id=1,
            first_seen=NOW,
            last_seen=NOW,
            referral_code=customers.new_referral_code(),
        )
        session.add(customer)
        session.flush()
        for number, (kind, text, version) in enumerate(ROWS, 1):
            stale = SentimentFields(0.0, "neutral", "en", version) if version is not None else None
            messages.record_message(
                session=session,
                customer=customer,
                direction="in",
                kind=kind,
                text=text,
                chat_id=1,
                telegram_message_id=number,
                sent_at=NOW,
                sentiment=stale,
            )


def stored(engine: Engine) -> list[Message]:
    with Session(engine) as session:
        return list(session.exec(select(Message).order_by(Message.id)))


def test_rescore_updates_stale_rows_in_batches(engine: Engine) -> None:
    seed(engine)
    assert rescore(engine, batch_size=2, progress=False) == 4
    rows = stored(engine)
    for row, text in [
        (rows[0], ROWS[0][1]),
        (rows[1], ROWS[1][1]),
        (rows[2], ROWS[2][1]),
        (rows[3], "pelayanannya ramah sekali"),
    ]:
        expected = sentiment.analyze(text)
        assert (
            row.sentiment_label,
            row.sentiment_polarity,
            row.sentiment_lang,
            row.sentiment_version,
        ) == (expected.label, expected.polarity, expected.lang, sentiment.ANALYZER_VERSION)
    assert [r.sentiment_version for r in rows[4:6]] == [None, None]
    assert (rows[6].sentiment_label, rows[6].sentiment_lang) == ("neutral", "en")
    assert rescore(engine, progress=False) == 0  # resumable: a second run has nothing left


def test_rescore_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'akrab.db'}"
    engine = make_engine(url)
    migrate(engine)
    seed(engine)
    engine.dispose()
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "rescore", "--batch-size", "3"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("re-scored 4 message(s)")
    assert "rescore: 100%" in run.stderr  # the progress bar
