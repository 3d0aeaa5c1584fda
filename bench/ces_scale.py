"""CES at scale: build a synthetic shop with `storage.bulk`, then time `akrab score` against
the bare aggregation SQL, and the per-customer refresh.

    .venv/bin/python bench/ces_scale.py --customers 100000 --messages 5000000
    .venv/bin/python bench/ces_scale.py --customers 100000 --messages 5000000 \
        --db /tmp/ces.db --keep --copy   # build once (minutes), then each run on a fresh copy

The database (a SQLite file in a temporary folder unless --db says where) is built by a child
process, so the peak RSS this process reports (`ru_maxrss`) is that of the measurements alone:
imports, the bare SQL and the scoring run. Data are deterministic for a --seed: Pareto-skewed
message counts (a few heavy customers, many light ones) over 180 days in time order, scored
inbound texts, bot replies, button presses, CSAT/NPS answers and text feedback, referrals and
purchases. An existing --db file is reused (no build) and never deleted; it is measured as it
is, so each run adds a run of snapshots to it (the next run then also has peaks to compare
with), unless --copy measures a throwaway copy instead and leaves the file as built. Times are
wall-clock; the process CPU time is shown next to them, as the machine may be shared.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select

from bot.services.ces_runs import refresh_customer, score_all, window_for
from scoring.ces import CesConfig
from storage import bulk
from storage.db import open_database, session_scope
from storage.measures import measures_statement

NOW = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
TIMEZONE = "Asia/Jakarta"
SPAN_DAYS = 180
WINDOW_DAYS = 5  # messages are generated (and committed) window by window, in time order
TELEGRAM_BASE = 1_000_000_000
TEXTS = [
    "barangnya bagus banget, makasih kak",
    "pesanan saya belum sampai, gimana ini?",
    "ok siap",
    "The delivery was quick, thank you!",
    "kecewa, warnanya gak sesuai foto",
    "mantaaap 👍👍",
    "min, stok ukuran L masih ada?",
    "pelayanannya ramah dan cepat",
]
REPLIES = ["Terima kasih kak 🙏", "Baik kak, kami cek dulu ya", "Thank you for your message!"]
OTHER_KINDS = ["photo", "sticker", "command", "voice"]


def rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- building -------------------------------------------------------------------------------


class Shop:
    """The customers' plans: when each was active, how much, and in what mood."""

    def __init__(self, rng: random.Random, customers: int, messages: int) -> None:
        start = NOW.timestamp() - SPAN_DAYS * 86400
        # Customers numbered in the order they first wrote, as the bot would number them.
        firsts = sorted(start + rng.random() * SPAN_DAYS * 86400 for _ in range(customers))
        weights = [rng.paretovariate(1.2) for _ in range(customers)]
        cap = max(1.0, messages * 0.005)  # the heaviest customer: at most 0.5% of all messages
        scale, wanted = 1.0, max(0, messages - customers)
        for _ in range(20):  # the cap takes messages away: scale the rest up to `messages`
            total = sum(min(cap, weight * scale) for weight in weights)
            scale *= wanted / total if total else 1.0
        self.first = firsts
        self.end: list[float] = []
        self.count: list[float] = []
        self.mood: list[float] = []
        for first, weight in zip(firsts, weights, strict=True):
            lapsed = rng.random() < 0.3  # stopped writing some time after joining
            end = first + (NOW.timestamp() - first) * rng.random() if lapsed else NOW.timestamp()
            self.end.append(max(end, first + 3600))
            self.count.append(min(cap, weight * scale))  # beyond the first message
            self.mood.append(rng.uniform(-0.5, 0.7))
        self.sent = [0] * customers  # telegram message ids used so far, per chat

    def __len__(self) -> int:
        return len(self.first)


def customer_rows(shop: Shop, rng: random.Random) -> Iterator[dict[str, Any]]:
    heavy = sorted(range(len(shop)), key=shop.count.__getitem__)[-max(1, len(shop) // 50) :]
    for i in range(len(shop)):
        cid = i + 1
        referrer = None
        if i > 0 and rng.random() < 0.08:  # referrals: often by a heavy customer who came first
            earlier = [h for h in heavy if h < i]
            pick = rng.choice(earlier) if earlier and rng.random() < 0.5 else rng.randrange(i)
            referrer = pick + 1
        yield {
            "id": cid,
            "telegram_id": TELEGRAM_BASE + cid,
            "chat_id": TELEGRAM_BASE + cid,
            "first_name": f"C{cid}",
            "username": f"user{cid}" if rng.random() < 0.6 else None,
            "language": "en" if rng.random() < 0.2 else "id",
            "first_seen": datetime.fromtimestamp(shop.first[i], UTC),
            "last_seen": datetime.fromtimestamp(shop.end[i], UTC),
            "referral_code": f"r{cid:07d}",
            "referred_by_id": referrer,
        }


def window_events(shop: Shop, rng: random.Random, t0: float, t1: float) -> list[tuple[float, int]]:
    """(time, customer index) of every message in [t0, t1), in time order."""
    events: list[tuple[float, int]] = []
    for i, first in enumerate(shop.first):
        if t0 <= first < t1:
            events.append((first, i))  # the first message opens the chat
        lo, hi = max(first, t0), min(shop.end[i], t1)
        if lo >= hi:
            continue
        expected = shop.count[i] * (hi - lo) / (shop.end[i] - first)
        n = int(expected) + (rng.random() < expected - int(expected))
        events.extend((rng.uniform(lo, hi), i) for _ in range(n))
    events.sort()
    return events


def polarity(rng: random.Random, mood: float) -> float:
    return round(max(-1.0, min(1.0, rng.gauss(mood, 0.35))), 3)


def message_rows(
    shop: Shop,
    rng: random.Random,
    events: list[tuple[float, int]],
    next_id: int,
    feedback: list[dict[str, Any]],
) -> Iterator[dict[str, Any]]:
    """Messages of `events`, ids from `next_id`; ratings and text feedback go to `feedback`."""
    for offset, (moment, i) in enumerate(events):
        mid, cid = next_id + offset, i + 1
        sent_at = datetime.fromtimestamp(moment, UTC)
        row: dict[str, Any] = {
            "id": mid,
            "customer_id": cid,
            "chat_id": TELEGRAM_BASE + cid,
            "sent_at": sent_at,
        }
        first = shop.sent[i] == 0
        r = rng.random()
        if not first and r < 0.35:
            row.update(direction="out", text=rng.choice(REPLIES))
        elif not first and r < 0.40:
            row.update(direction="in", kind="callback", callback_id=f"cb{mid}")
            yield row
            continue
        elif first or r < 0.47:
            kind = "command" if first else rng.choice(OTHER_KINDS)
            row.update(direction="in", kind=kind, text="/start" if kind == "command" else None)
        else:
            row.update(direction="in", text=rng.choice(TEXTS))
            if rng.random() < 0.98:  # the rest still wait for `akrab rescore`
                p = polarity(rng, shop.mood[i])
                label = "positive" if p > 0.05 else "negative" if p < -0.05 else "neutral"
                row.update(
                    sentiment_polarity=p,
                    sentiment_label=label,
                    sentiment_lang="en" if rng.random() < 0.2 else "id",
                    sentiment_version=1,
                )
            f = rng.random()
            if f < 0.024:
                shop.sent[i] += 1  # the bot's rating prompt
                answered = sent_at + timedelta(minutes=rng.uniform(1, 120))
                mood = shop.mood[i]
                if f < 0.012:
                    score = round(max(1, min(5, rng.gauss(3.2 + 2.2 * mood, 0.9))))
                    kind = "csat"
                elif f < 0.016:
                    score, kind = round(max(0, min(10, rng.gauss(6.5 + 4 * mood, 1.8)))), "nps"
                else:
                    score, kind = None, "text"
                feedback.append(
                    {
                        "customer_id": cid,
                        "kind": kind,
                        "score": score,
                        "comment": row["text"] if kind == "text" else None,
                        "prompt_message_id": shop.sent[i] if kind != "text" else None,
                        "message_id": mid if kind == "text" else None,
                        "created_at": answered,
                    }
                )
        shop.sent[i] += 1
        row["telegram_message_id"] = shop.sent[i]
        yield row


def purchase_rows(shop: Shop, rng: random.Random) -> Iterator[dict[str, Any]]:
    order = 0
    for i in range(len(shop)):
        if rng.random() > 0.15 + 0.5 * min(1.0, shop.count[i] / 100):
            continue
        for _ in range(1 + int(rng.expovariate(1.0) * (1 + math.log1p(shop.count[i])))):
            order += 1
            rupiah = max(10_000, round(rng.lognormvariate(11.8, 0.9), -3))
            yield {
                "customer_id": i + 1,
                "amount_cents": int(rupiah) * 100,
                "purchased_at": datetime.fromtimestamp(
                    rng.uniform(shop.first[i], NOW.timestamp()), UTC
                ),
                "dedupe_key": f"order-{order}",
                "external_id": f"INV{order:08d}",
            }


def build(url: str, customers: int, messages: int, seed: int) -> None:
    """Fill an empty database at `url` (run in a child process: see the module docstring)."""
    began = time.perf_counter()
    engine = open_database(url)
    # A big page cache for the build alone: index inserts in a large file otherwise thrash.
    event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA cache_size=-500000"))
    engine.dispose()
    rng = random.Random(seed)
    shop = Shop(rng, customers, messages)
    with session_scope(engine) as session:
        loaded = bulk.load_customers(session=session, rows=customer_rows(shop, rng))
    print(f"  customers  {loaded:>10,}  {time.perf_counter() - began:7.1f} s")
    start = NOW.timestamp() - SPAN_DAYS * 86400
    next_id, feedback_total = 1, 0
    for w in range(SPAN_DAYS // WINDOW_DAYS):
        t0 = start + w * WINDOW_DAYS * 86400
        t1 = NOW.timestamp() + 1 if w == SPAN_DAYS // WINDOW_DAYS - 1 else t0 + WINDOW_DAYS * 86400
        events = window_events(shop, rng, t0, t1)
        feedback: list[dict[str, Any]] = []
        with session_scope(engine) as session:  # one transaction per window keeps the WAL small
            next_id += bulk.load_messages(
                session=session, rows=message_rows(shop, rng, events, next_id, feedback)
            )
            feedback_total += bulk.load_feedback(session=session, rows=feedback)
    print(f"  messages   {next_id - 1:>10,}  {time.perf_counter() - began:7.1f} s")
    print(f"  feedback   {feedback_total:>10,}")
    with session_scope(engine) as session:
        loaded = bulk.load_purchases(session=session, rows=purchase_rows(shop, rng))
    print(f"  purchases  {loaded:>10,}  {time.perf_counter() - began:7.1f} s")
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")  # what a long-lived database has: planner stats
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    print(f"build time: {time.perf_counter() - began:.1f} s")


# --- measuring ------------------------------------------------------------------------------


def bare_sql(engine: Any, cfg: CesConfig) -> tuple[float, float, int]:
    """The aggregation alone: executed, every row fetched as the driver's plain tuples.
    Returns (wall seconds, CPU seconds, rows)."""
    with engine.connect() as connection:
        statement = measures_statement(connection.dialect.name, window_for(cfg, NOW, TIMEZONE))
        began, cpu = time.perf_counter(), time.process_time()
        result = connection.execute(statement)
        rows = result.cursor.fetchall()  # the DBAPI cursor: no SQLAlchemy Row, no type processing
        elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
        result.close()
    return elapsed, cpu, len(rows)


def refreshes(engine: Any, cfg: CesConfig, rng: random.Random, total: int) -> None:
    with engine.connect() as connection:
        counts = connection.execute(
            select(bulk.MESSAGE.c.customer_id, func.count())
            .group_by(bulk.MESSAGE.c.customer_id)
            .order_by(func.count().desc())
        ).all()
    ranked = [int(cid) for cid, _ in counts]
    heavy_pool = ranked[: max(1, len(ranked) // 100)]  # the top 1% by messages
    picks = {
        "heavy": [rng.choice(heavy_pool) for _ in range(total // 2)],
        "light": [rng.choice(ranked) for _ in range(total - total // 2)],
    }
    messages_of = dict(counts)
    for cid in picks["heavy"][:3]:
        refresh_customer(engine, cfg, cid, now=NOW, timezone=TIMEZONE)  # warm-up
    timings: dict[str, list[float]] = {}
    for name, ids in picks.items():
        for cid in ids:
            began = time.perf_counter()
            refresh_customer(engine, cfg, cid, now=NOW, timezone=TIMEZONE)
            timings.setdefault(name, []).append((time.perf_counter() - began) * 1000)
    every = sorted(t for ts in timings.values() for t in ts)
    for name, ts in (*timings.items(), ("all", every)):
        ts = sorted(ts)
        sizes = (
            "" if name == "all" else f" (messages per customer {min_max(picks[name], messages_of)})"
        )
        print(
            f"refresh {name:<5} n={len(ts):<4} median {statistics.median(ts):6.2f} ms  "
            f"p95 {ts[max(0, math.ceil(len(ts) * 0.95) - 1)]:6.2f} ms  max {ts[-1]:6.2f} ms{sizes}"
        )


def min_max(ids: list[int], messages_of: dict[int, int]) -> str:
    sizes = [messages_of[cid] for cid in ids]
    return f"{min(sizes):,}-{max(sizes):,}"


def measure(url: str, seed: int, total_refreshes: int, trace: bool) -> None:
    engine = open_database(url)
    cfg = CesConfig.default()
    print(f"peak RSS after start-up: {rss_mb():.0f} MB")
    runs = [bare_sql(engine, cfg) for _ in range(2)]  # the faster (warm) run is the baseline
    for n, (seconds, cpu, rows) in enumerate(runs, 1):
        print(
            f"bare aggregation SQL, run {n}: {seconds:.2f} s (cpu {cpu:.2f} s)  {rows:,} rows  "
            f"{rows / seconds:,.0f} rows/s"
        )
    sql_s, sql_cpu, _ = min(runs)
    print(f"peak RSS after bare SQL: {rss_mb():.0f} MB")
    began, cpu = time.perf_counter(), time.process_time()
    summary = score_all(engine, cfg, now=NOW, timezone=TIMEZONE, retention_days=365)
    full_s, full_cpu = time.perf_counter() - began, time.process_time() - cpu
    print(
        f"full score_all: {full_s:.2f} s (cpu {full_cpu:.2f} s)  {summary.customers:,} customers  "
        f"{summary.customers / full_s:,.0f} rows/s  "
        f"ratio full/bare (faster run) {full_s / sql_s:.2f} (cpu {full_cpu / sql_cpu:.2f})"
    )
    print(f"peak RSS after score_all (ru_maxrss, whole process): {rss_mb():.0f} MB")
    print(f"segments: {dict(summary.segments)}  declining: {summary.declining}")
    if trace:  # a second run under tracemalloc: Python heap only, and slower
        tracemalloc.start()
        score_all(engine, cfg, now=NOW, timezone=TIMEZONE, retention_days=365)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"tracemalloc peak during a second score_all: {peak / 2**20:.0f} MB")
    refreshes(engine, cfg, random.Random(seed + 1), total_refreshes)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=500_000)
    parser.add_argument("--db", type=Path, help="SQLite file to build (or reuse if it exists)")
    parser.add_argument("--keep", action="store_true", help="keep the database built")
    parser.add_argument(
        "--copy", action="store_true", help="measure a throwaway copy of --db, not the file"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--refreshes", type=int, default=200)
    parser.add_argument("--tracemalloc", action="store_true", help="also trace a second run")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(f"sqlite:///{args.db}", args.customers, args.messages, args.seed)
        return
    folder = None
    if args.db is None:
        folder = tempfile.mkdtemp(prefix="akrab-ces-")
        args.db = Path(folder) / "ces.db"
    built = not args.db.exists()
    try:
        if built:
            print(f"building {args.db}: {args.customers:,} customers, {args.messages:,} messages")
            command = [sys.executable, __file__, "--build-only", "--db", str(args.db)]
            options = ["--customers", str(args.customers), "--messages", str(args.messages)]
            subprocess.run([*command, *options, "--seed", str(args.seed)], check=True)
        else:
            print(f"reusing {args.db} as it is")
        print(f"database size: {args.db.stat().st_size / 2**20:,.0f} MB")
        target = args.db
        if args.copy:
            target = args.db.with_name(f"{args.db.name}.run")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            for suffix in ("", "-wal"):  # -wal too: committed pages may still be there
                if Path(f"{args.db}{suffix}").exists():
                    shutil.copyfile(f"{args.db}{suffix}", f"{target}{suffix}")
                    with open(f"{target}{suffix}", "rb+") as copied:
                        os.fsync(copied.fileno())  # else the run's first fsync writes it all
            print(f"measuring a copy: {target}")
        try:
            measure(f"sqlite:///{target}", args.seed, args.refreshes, args.tracemalloc)
        finally:
            if target != args.db:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
    finally:
        if built and not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        if folder is not None and not (built and args.keep):
            shutil.rmtree(folder, ignore_errors=True)
        if built and args.keep:
            print(f"kept {args.db}")


if __name__ == "__main__":
    main()
