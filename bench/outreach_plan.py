"""Planning benchmark: every outreach planner over a 100,000-customer SQLite database.

Builds a migrated SQLite file with customers (birthdays, first contacts over five years,
segments, declining flags), purchases and scores, recent conversations (some idle long enough
for a rating request) and complaints (negative messages, low ratings), then runs each planner
through `bot.services.planning.plan` at one moment (New Year's Day, a default greeting, so the
holiday planner writes a row for every customer), times each and the total, and runs them all a
second time (which must plan nothing).

    .venv/bin/python bench/outreach_plan.py --customers 100000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bot.config import Settings
from bot.services.planning import PLANNERS, plan
from storage._sql import table_of
from storage.db import open_database, session_scope
from storage.models import Customer, Feedback, Message, Outreach, Purchase, Score

NOW = datetime(2027, 1, 1, 3, 0, tzinfo=UTC)  # 10:00 on New Year's Day in Jakarta


def build(url: str, customers: int, seed: int) -> None:
    rng = random.Random(seed)
    engine = open_database(url)
    people, buys, scores, msgs, feedback = [], [], [], [], []
    message_id = 0
    for n in range(1, customers + 1):
        first = NOW - timedelta(days=rng.randint(1, 5 * 365), minutes=rng.randint(0, 1440))
        recent = rng.random() < 0.10
        last = NOW - timedelta(minutes=rng.randint(30, 600)) if recent else first
        segment = rng.choices(["advocate", "potential", "at_risk", "new"], [2, 4, 3, 1])[0]
        people.append(
            {
                "id": n,
                "telegram_id": n,
                "chat_id": n,
                "first_name": f"Pelanggan{n}",
                "language": "id" if rng.random() < 0.8 else "en",
                "language_locked": False,
                "first_seen": first,
                "last_seen": last,
                "birthday_day": rng.randint(1, 28) if rng.random() < 0.6 else None,
                "birthday_month": rng.randint(1, 12),
                "referral_code": f"R{n}",
                "opted_out": rng.random() < 0.02,
                "blocked": rng.random() < 0.01,
                "declining": rng.random() < 0.1,
                "segment": segment,
                "ces": rng.uniform(0, 100),
            }
        )
        if rng.random() < 0.5:
            buys.append(
                {
                    "customer_id": n,
                    "amount_cents": rng.randint(1, 500) * 100_000,
                    "currency": "IDR",
                    "purchased_at": first,
                    "source": "csv",
                    "dedupe_key": f"p{n}",
                    "created_at": first,
                }
            )
        for k in range(2):
            scores.append(
                {
                    "customer_id": n,
                    "computed_at": NOW - timedelta(days=14 * k),
                    "ces": rng.uniform(0, 100),
                    "segment": segment,
                    "declining": False,
                }
            )
        if recent:
            for k in range(rng.randint(1, 6)):
                message_id += 1
                complaint = rng.random() < 0.05
                msgs.append(
                    {
                        "customer_id": n,
                        "direction": "in",
                        "kind": "command" if k == 0 and rng.random() < 0.3 else "text",
                        "text": "kecewa banget" if complaint else "kak, ukuran L masih ada?",
                        "chat_id": n,
                        "telegram_message_id": message_id,
                        "sent_at": last - timedelta(minutes=5 * k),
                        "sentiment_polarity": -0.9 if complaint else 0.0,
                    }
                )
            if rng.random() < 0.05:
                feedback.append(
                    {
                        "customer_id": n,
                        "kind": "csat",
                        "score": rng.randint(1, 5),
                        "created_at": last,
                        "updated_at": last,
                    }
                )
    with engine.begin() as connection:
        for model, rows in (
            (Customer, people),
            (Purchase, buys),
            (Score, scores),
            (Message, msgs),
            (Feedback, feedback),
        ):
            for start in range(0, len(rows), 20_000):
                connection.execute(insert(table_of(model)), rows[start : start + 20_000])
    print(
        f"built {customers:,} customers, {len(buys):,} purchases, {len(scores):,} scores, "
        f"{len(msgs):,} recent messages, {len(feedback):,} ratings"
    )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        build(url, args.customers, args.seed)
        engine = open_database(url)
        settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
        for run in ("first run", "second run"):
            total = 0.0
            print(f"{run} at {NOW.isoformat()}:")
            for kind in PLANNERS:
                started = time.perf_counter()
                with session_scope(engine) as session:
                    planned = plan(session, settings, NOW, kinds=[kind])[kind].planned
                took = time.perf_counter() - started
                total += took
                print(f"  {kind:<19} {planned:>7,} planned in {took:6.2f} s")
            print(f"  {'total':<19} {'':>7}           {total:6.2f} s")
        with session_scope(engine) as session:
            rows = session.execute(select(func.count(Outreach.id))).scalar_one()
        print(f"outreach rows: {rows:,}")
        engine.dispose()


if __name__ == "__main__":
    main()
