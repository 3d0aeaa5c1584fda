"""The owner's /report at scale: build_report + the text + the chart on a copy of a database.

    .venv/bin/python bench/ces_scale.py --customers 100000 --messages 5000000 \
        --db /tmp/ces-bench/final.db --keep            # once (minutes), if not built yet
    .venv/bin/python bench/report.py --db /tmp/ces-bench/final.db --period 7d --runs 3

The database given is copied to a temporary folder first and never touched. On the copy:
the schema is migrated, and the indexes of the models that a database built before they were
added to migration 0006 lacks are created (timed apart); then, unless --no-enrich, the copy
gets what the CES benchmark does not build: 12 more weekly scoring runs (each customer's CES
moved by -10..+10 points, segments from the same thresholds), one outreach row for every
second customer (rating, birthday, at-risk and campaign, 30% responded) and owner-written
replies to a third of the last two weeks' bot messages. Each run then times, wall-clock and
process CPU, `build_report` (all the SQL), the Indonesian text and the PNG chart, as `/report`
does them; the median run is reported with the machine's load average, as the machine may be
shared.

Measured 2026-12-02 on the 2-core development machine shared with other work (load average
3.8-4.9), /tmp/ces-bench/final.db as built above, medians (wall, process CPU of both threads):
    --period 7d --runs 5   2.20 s wall, 1.84 s cpu (runs 1.48-5.06 s; chart 0.30-0.63 s)
    --period 30d --runs 3  2.24 s wall, 2.34 s cpu
    --period 90d --runs 3  5.16 s wall, 3.07 s cpu
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from bot.config import Settings
from bot.services.chart import render_png
from bot.services.report import build_report
from bot.services.report_text import render_report
from storage.db import make_engine, migrate, session_scope


def copy_database(source: Path, folder: Path) -> Path:
    target = folder / source.name
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy2(f"{source}{suffix}", f"{target}{suffix}")
    return target


def ensure_indexes(engine: Engine) -> float:
    """Create any index of the models the database lacks; seconds taken."""
    started = time.perf_counter()
    with engine.begin() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for index in table.indexes:
                index.create(connection, checkfirst=True)
    return time.perf_counter() - started


def enrich(engine: Engine, now: datetime) -> float:
    """Score history, outreach and owner replies (see the module docstring); seconds taken."""
    started = time.perf_counter()
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    with engine.begin() as c:
        latest = c.execute(text("SELECT max(computed_at) FROM score")).scalar()
        base = datetime.fromisoformat(latest) if latest else now.replace(tzinfo=None)
        for week in range(1, 13):
            at = (base - timedelta(days=7 * week)).strftime(fmt)
            c.execute(
                text(
                    "INSERT INTO score (customer_id, computed_at, ces, segment, declining, "
                    "frequency, recency, depth, monetary, sentiment, satisfaction) "
                    "SELECT customer_id, :at, v, CASE WHEN segment = 'new' THEN 'new' "
                    "WHEN v >= 70 THEN 'advocate' WHEN v >= 40 THEN 'potential' "
                    "ELSE 'at_risk' END, 0, frequency, recency, depth, monetary, sentiment, "
                    "satisfaction FROM (SELECT *, max(0.0, min(100.0, ces + "
                    "(abs(random()) % 21) - 10)) AS v FROM score WHERE computed_at = :latest)"
                ),
                {"at": at, "latest": latest},
            )
        c.execute(
            text(
                "INSERT INTO outreach (kind, customer_id, dedupe_key, template, language, text, "
                "priority, due_at, status, attempts, sent_at, responded_at, created_at, "
                "telegram_message_id) SELECT k, id, 'bench:' || id, k, 'id', '…', 0, s, "
                "'sent', 1, s, CASE WHEN abs(random()) % 10 < 3 THEN s END, s, 900000 + id "
                "FROM (SELECT id, CASE id % 8 WHEN 0 THEN 'rating' WHEN 2 THEN 'birthday' "
                "WHEN 4 THEN 'at_risk' ELSE 'campaign' END AS k, "
                "strftime('%Y-%m-%d %H:%M:%f', :now, '-' || (id % 30) || ' days') AS s "
                "FROM customer WHERE id % 2 = 0)"
            ),
            {"now": now.strftime(fmt)},
        )
        c.execute(
            text(
                "UPDATE message SET sent_by = 99 WHERE direction = 'out' AND id % 3 = 0 "
                "AND sent_at >= :since"
            ),
            {"since": (now - timedelta(days=14)).strftime(fmt)},
        )
    return time.perf_counter() - started


def measure(engine: Engine, settings: Settings, period: str, now: datetime) -> dict[str, float]:
    times: dict[str, float] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    with session_scope(engine) as session:
        report = build_report(session, settings, period=period, now=now)
    times["figures"] = time.perf_counter() - wall
    mark = time.perf_counter()
    message = render_report(report, lang="id", shop=settings.shop_name, timezone=settings.tz)
    times["text"] = time.perf_counter() - mark
    mark = time.perf_counter()
    png = render_png(report, lang="id", timezone=settings.tz)
    times["chart"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - wall
    times["cpu"] = time.process_time() - cpu
    times["chars"], times["png_bytes"] = len(message), len(png)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="SQLite file (copied, not changed)")
    parser.add_argument("--period", default="7d", choices=["7d", "30d", "90d"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--now", default="2026-11-22T05:00:00+00:00", help="the report's moment (ces_scale's)"
    )
    parser.add_argument("--no-enrich", action="store_true", help="measure the copy as built")
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now).astimezone(UTC)
    settings = Settings(_env_file=None, database_url="sqlite://")  # type: ignore[call-arg]
    with tempfile.TemporaryDirectory(prefix="akrab-report-") as folder:
        started = time.perf_counter()
        copy = copy_database(args.db, Path(folder))
        print(f"copied {args.db} in {time.perf_counter() - started:.1f} s")
        engine = make_engine(f"sqlite:///{copy}")
        migrate(engine)
        print(f"indexes ensured in {ensure_indexes(engine):.1f} s")
        if not args.no_enrich:
            print(
                f"enriched (score history, outreach, owner replies) in {enrich(engine, now):.1f} s"
            )
        runs = [measure(engine, settings, args.period, now) for _ in range(args.runs)]
        engine.dispose()
    for i, run in enumerate(runs, 1):
        print(
            f"run {i}: total {run['total']:.2f} s (cpu {run['cpu']:.2f} s) = figures "
            f"{run['figures']:.2f} + text {run['text']:.3f} + chart {run['chart']:.2f}; "
            f"{int(run['chars'])} chars, PNG {int(run['png_bytes']):,} bytes"
        )
    median = statistics.median(run["total"] for run in runs)
    cpu = statistics.median(run["cpu"] for run in runs)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"/report {args.period}: median {median:.2f} s wall, {cpu:.2f} s cpu (load {load})")


if __name__ == "__main__":
    main()
