"""CES from stored data: the full run and the per-customer refresh agree, history and trends."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.services.ces_runs import refresh_customer, score_all
from scoring.ces import COMPONENTS, CesConfig
from storage import bulk, feedback, ingest, measures, purchases, scores
from storage.db import make_engine, migrate, session_scope
from storage.measures import MeasureWindow
from storage.messages import SentimentFields
from storage.models import Customer, Score

NOW = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
CFG = CesConfig.default()


def message(
    session: Session,
    telegram_id: int,
    number: int,
    days_ago: float,
    polarity: float | None = 0.6,
    kind: str = "text",
) -> int:
    recorded = ingest.record_inbound(
        session=session,
        telegram_id=telegram_id,
        chat_id=telegram_id,
        first_name="C",
        last_name=None,
        username=f"c{telegram_id}",
        language="id",
        kind=kind,
        text="halo",
        telegram_message_id=number if kind != "callback" else None,
        callback_id=f"cb{telegram_id}-{number}" if kind == "callback" else None,
        sent_at=NOW - timedelta(days=days_ago),
        sentiment=SentimentFields(polarity, "positive", "id", 1) if polarity is not None else None,
    )
    return recorded.customer.id


def seed(engine: Engine) -> dict[str, int]:
    """Four customers with different lives: loyal, lapsed, brand new, unhappy."""
    ids: dict[str, int] = {}
    with session_scope(engine) as session:
        for n, days in enumerate([60, 40, 20, 12, 9, 5, 3, 2, 1, 0.2], 1):
            ids["loyal"] = message(session, 1, n, days, 0.8)
        message(session, 1, 99, 0.1, None, kind="callback")
        for n, days in enumerate([80, 70, 50], 1):
            ids["lapsed"] = message(session, 2, n, days, -0.2)
        ids["new"] = message(session, 3, 1, 0.5, 0.1)
        for n, days in enumerate([30, 10, 6, 4, 1], 1):
            ids["unhappy"] = message(session, 4, n, days, -0.9)
        loyal = session.get(Customer, ids["loyal"])
        unhappy = session.get(Customer, ids["unhappy"])
        assert loyal is not None
        assert unhappy is not None
        feedback.set_rating(
            session=session,
            customer=loyal,
            kind="csat",
            score=5,
            prompt_message_id=500,
            now=NOW - timedelta(days=2),
        )
        feedback.set_rating(
            session=session,
            customer=loyal,
            kind="nps",
            score=9,
            prompt_message_id=501,
            now=NOW - timedelta(days=2),
        )
        feedback.add_text_feedback(
            session=session,
            customer_id=loyal.id,
            comment="mantap",
            message_id=None,
            now=NOW - timedelta(days=1),
        )
        feedback.set_rating(
            session=session,
            customer=unhappy,
            kind="csat",
            score=1,
            prompt_message_id=502,
            now=NOW - timedelta(days=1),
        )
        purchases.add_purchase(
            session=session,
            customer_id=ids["loyal"],
            amount_cents=250_000_00,
            currency="IDR",
            purchased_at=NOW - timedelta(days=3),
            dedupe_key="p1",
            now=NOW,
        )
        session.get(Customer, ids["new"]).referred_by_id = ids["loyal"]  # type: ignore[union-attr]
    return ids


def current(engine: Engine, customer_id: int) -> tuple[float | None, str | None, bool]:
    with Session(engine) as session:
        row = session.get(Customer, customer_id)
        assert row is not None
        return row.ces, row.segment, row.declining


def test_full_run_segments_customers(engine: Engine) -> None:
    ids = seed(engine)
    summary = score_all(engine, CFG, now=NOW, timezone="Asia/Jakarta", retention_days=365)
    assert summary.customers == 4
    segments = {name: current(engine, cid)[1] for name, cid in ids.items()}
    assert segments == {
        "loyal": "advocate",
        "lapsed": "at_risk",
        "new": "new",
        "unhappy": "at_risk",
    }
    assert sum(summary.segments.values()) == 4


def test_incremental_refresh_equals_full_run(engine: Engine) -> None:
    ids = seed(engine)
    score_all(engine, CFG, now=NOW, timezone="Asia/Jakarta", retention_days=365)
    full = {cid: current(engine, cid) for cid in ids.values()}
    for cid in ids.values():
        outcome = refresh_customer(engine, CFG, cid, now=NOW, timezone="Asia/Jakarta")
        assert outcome is not None
        _, result, declining = outcome
        assert (result.ces, result.segment, declining) == full[cid]
        assert current(engine, cid) == full[cid]


def test_measure_rows_are_named_with_ages_at_now(engine: Engine) -> None:
    ids = seed(engine)
    window = MeasureWindow(now=NOW)
    with Session(engine) as session:
        before = {
            m.customer_id: m for m in measures.customer_measures(session=session, window=window)
        }
    loyal = before[ids["loyal"]]
    assert loyal.days_since_last_inbound == pytest.approx(0.1)  # the button press
    assert loyal.days_since_first_seen == pytest.approx(60.0)
    assert (loyal.active_days_30, loyal.button_clicks, loyal.spend_cents) == (8, 1, 250_000_00)
    assert loyal.spend == Decimal(250_000)
    assert {m.segment for m in before.values()} == {None}  # never scored yet
    score_all(engine, CFG, now=NOW, timezone="Asia/Jakarta", retention_days=365)
    with Session(engine) as session:
        (after,) = measures.customer_measures(
            session=session, window=window, customer_id=ids["loyal"]
        )
    assert after.segment == "advocate"
    assert after.peak_ces == current(engine, ids["loyal"])[0]
    assert after._replace(segment=None, peak_ces=None) == loyal


def test_refresh_of_unknown_customer_is_none(engine: Engine) -> None:
    assert refresh_customer(engine, CFG, 424242, now=NOW, timezone="Asia/Jakarta") is None


def test_history_trend_declining_and_retention(engine: Engine) -> None:
    ids = seed(engine)
    cfg = CesConfig.from_mapping({"declining_drop": 12})  # the thresholds reach the SQL path
    pruned = 0
    for days_ago in (400, 0):  # an old run (past retention), and one now
        pruned += score_all(
            engine,
            cfg,
            now=NOW - timedelta(days=days_ago),
            timezone="Asia/Jakarta",
            retention_days=365,
        ).pruned
    later = NOW + timedelta(days=13)  # nobody writes for 13 more days: recency decays
    score_all(engine, cfg, now=later, timezone="Asia/Jakarta", retention_days=365)
    assert pruned == 4  # the 400-day-old run, one snapshot per customer
    with Session(engine) as session:
        series = scores.ces_series(session=session, customer_id=ids["loyal"])
        counts = scores.segment_counts_over_time(session=session, since=NOW - timedelta(days=30))
    assert [t for t, _ in series] == [NOW, later]
    assert len({t for t, _, _ in counts}) == 2
    assert sum(n for t, _, n in counts if t == later) == 4
    flags = {}
    for name, cid in ids.items():
        history = scores_of(engine, cid)
        peak = max(ces for moment, ces in history[:-1] if later - moment <= timedelta(days=14))
        flags[name] = (peak - history[-1][1] >= 12, current(engine, cid)[2])
    assert all(expected == stored for expected, stored in flags.values()), flags
    assert flags == {
        "loyal": (True, True),
        "lapsed": (False, False),
        "new": (False, False),
        "unhappy": (True, True),
    }


def scores_of(engine: Engine, customer_id: int) -> list[tuple[datetime, float]]:
    with Session(engine) as session:
        return scores.ces_series(session=session, customer_id=customer_id)


def test_segment_moves_are_counted(engine: Engine) -> None:
    seed(engine)
    score_all(engine, CFG, now=NOW, timezone="Asia/Jakarta", retention_days=365)
    later = score_all(
        engine, CFG, now=NOW + timedelta(days=60), timezone="Asia/Jakarta", retention_days=365
    )
    assert later.moves[("advocate", "at_risk")] + later.moves[("advocate", "potential")] == 1
    assert later.moves[("new", "at_risk")] == 1


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", **env},
    )


def test_score_and_customer_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'akrab.db'}"
    engine = make_engine(url)
    migrate(engine)
    seed(engine)
    engine.dispose()
    scored = run_cli(tmp_path, "score", "--quiet", DATABASE_URL=url)
    assert scored.returncode == 0, scored.stderr
    assert scored.stdout.splitlines()[0] == "scored 4 customer(s)"
    shown = run_cli(tmp_path, "customer", "@c4", "--lang", "en", DATABASE_URL=url)
    assert shown.returncode == 0, shown.stderr
    assert "segment: at risk" in shown.stdout
    assert "why: " in shown.stdout
    shown_id = run_cli(tmp_path, "customer", "4", DATABASE_URL=url)
    assert "segmen: berisiko pergi" in shown_id.stdout
    missing = run_cli(tmp_path, "customer", "@nobody", DATABASE_URL=url)
    assert missing.returncode == 2


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CES_WEIGHTS", "frequency=-1", "must be 0 or more"),
        ("CES_WEIGHTS", "frequency=0,recency=0", "all 0"),
        ("CES_WEIGHTS", "loyalty=1", "unknown CES component(s) loyalty"),
        ("CES_SETTINGS", "advocate_min=30,potential_min=50", "thresholds inverted"),
    ],
)
def test_bad_ces_settings_stop_at_start_up(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    result = run_cli(tmp_path, "score", **{name: value})
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_write_run_stores_every_row_as_given(engine: Engine) -> None:
    """Enough rows for several multi-row INSERTs and a remainder (SQLite), or one executemany."""
    n = 250
    with session_scope(engine) as session:
        customers = [
            {"id": i, "telegram_id": i, "chat_id": i, "first_seen": NOW} for i in range(1, n + 1)
        ]
        bulk.load_customers(session=session, rows=customers)
    rows = [
        (i, i / 3, "potential" if i % 2 else "at_risk", i % 7 == 0, *components(i))
        for i in range(1, n + 1)
    ]
    with session_scope(engine) as session:
        scores.write_run(session=session, computed_at=NOW, rows=rows)
    with Session(engine) as session:
        stored = session.exec(select(Score).order_by(Score.customer_id)).all()
        current_rows = session.exec(select(Customer).order_by(Customer.id)).all()
    assert [
        (s.customer_id, s.ces, s.segment, s.declining, *(getattr(s, c) for c in COMPONENTS))
        for s in stored
    ] == rows
    assert {s.computed_at for s in stored} == {NOW}
    assert [(c.ces, c.segment, c.declining, c.scored_at) for c in current_rows] == [
        (row[1], row[2], row[3], NOW) for row in rows
    ]


def components(i: int) -> tuple[float | None, ...]:
    return tuple(None if (i + k) % 5 == 0 else round(i * 0.37 + k, 2) for k in range(6))
