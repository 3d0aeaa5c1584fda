"""Ingest benchmark: N inbound text updates through the real Application, offline.

The bot runs with its real handlers on a SQLite file database (one commit per update, as in
production); only the Telegram network is replaced by `bot.offline.OfflineTelegram`.

    .venv/bin/python bench/ingest.py --updates 5000 --customers 200
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from telegram import Update

from bot.app import build_application, post_init
from bot.config import Settings
from bot.offline import OfflineTelegram, user
from storage.db import open_database

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


async def run(updates: int, customers: int, database: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{database}")  # type: ignore[call-arg]
    engine = open_database(settings.database_url)
    telegram = OfflineTelegram()
    app = build_application(settings, engine=engine, request=telegram, rate_limit=False)
    rng = random.Random(7)
    people = [
        user(100_000 + i, f"C{i}", language_code=rng.choice(["id", "en"])) for i in range(customers)
    ]
    prepared = [
        Update.de_json(telegram.message_update(rng.choice(people), text=rng.choice(TEXTS)), app.bot)
        for _ in range(updates)
    ]
    latencies: list[float] = []
    async with app:
        await post_init(app)
        for update in prepared[: min(200, updates // 10)]:  # warm-up: imports, caches
            await app.process_update(update)
        timed = prepared[min(200, updates // 10) :]
        start = time.perf_counter()
        for update in timed:
            began = time.perf_counter()
            await app.process_update(update)
            latencies.append(time.perf_counter() - began)
        elapsed = time.perf_counter() - start
    engine.dispose()
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
    replies = sum(1 for c in telegram.calls if c.method == "sendMessage")
    print(f"updates timed: {len(timed)}  customers: {customers}  bot replies: {replies}")
    print(f"throughput: {len(timed) / elapsed:,.0f} updates/s")
    print(f"latency: p50 {p50:.2f} ms  p95 {p95:.2f} ms  max {latencies[-1] * 1000:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--customers", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(args.updates, args.customers, Path(folder) / "bench.db"))


if __name__ == "__main__":
    main()
