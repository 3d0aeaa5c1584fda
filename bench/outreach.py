"""Outreach dispatch at scale: N due messages to N customers through `akrab run` (a real
process) and the project's Bot API emulator with Telegram-like flood control.

    .venv/bin/python bench/outreach.py --messages 10000 --rate 30
    .venv/bin/python bench/outreach.py --messages 600 --rate 30 --kills 2   # a quick look

Two runs, each on a fresh SQLite database (or --database-url, emptied first) and a fresh
emulator whose flood control answers 429 past --limit sends a second overall and 1 per chat:

1. steady: the bot starts, sends everything, the figures are read from the emulator's call
   log: achieved rate = (sends - 1) / (last send - first send), 429 answers, duplicates
   (chats that received more than one message);
2. with --kills SIGKILLs evenly spread over the run, each followed by a restart: duplicates
   must be 0 and every row `sent` in the end except at most one `unconfirmed` per kill.

Targets (issue 9): rate >= 95% of --rate, 0 answers 429, 0 duplicates.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, text  # noqa: E402

from storage._sql import table_of  # noqa: E402
from storage.db import open_database, session_scope  # noqa: E402
from storage.models import Customer  # noqa: E402
from storage.outreach import add_intents  # noqa: E402
from tests.auxil.botprocess import BotProcess, wait_until  # noqa: E402
from tests.emulator import BotApiEmulator  # noqa: E402

CHAT_BASE = 2_000_000_000


def seed(engine: Engine, count: int, now: datetime) -> None:
    """`count` customers, each with one rating request due now."""
    customers = [
        {
            "telegram_id": CHAT_BASE + n,
            "chat_id": CHAT_BASE + n,
            "first_name": f"Pelanggan {n}",
            "language": "id",
            "language_locked": False,
            "first_seen": now,
            "last_seen": now,
            "referral_code": f"bench{n}",
            "opted_out": False,
            "blocked": False,
            "declining": False,
        }
        for n in range(count)
    ]
    with session_scope(engine) as session:
        session.connection().execute(table_of(Customer).insert(), customers)
        ids = dict(session.connection().execute(text("SELECT telegram_id, id FROM customer")).all())
        rows = [
            {
                "kind": "rating",
                "customer_id": ids[CHAT_BASE + n],
                "dedupe_key": f"bench:{n}",
                "template": "rating",
                "text": f"Halo kak, gimana pengalaman belanjanya? ({n})",
                "priority": 50,
                "due_at": now,
            }
            for n in range(count)
        ]
        add_intents(session=session, rows=rows)


def statuses(engine: Engine) -> Counter[str]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT status, COUNT(*) FROM outreach GROUP BY status"))
        return Counter({status: int(n) for status, n in rows})


def empty_postgres(url: str) -> None:
    engine = open_database(url)
    with session_scope(engine) as session:
        session.connection().execute(text("TRUNCATE outreach, message, customer CASCADE"))
    engine.dispose()


def run(args: argparse.Namespace, workdir: Path, *, kills: int) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    if args.database_url:
        empty_postgres(url)
    engine = open_database(url)
    seed(engine, args.messages, datetime.now(UTC))
    env = {
        "QUIET_HOURS": "off",
        "OUTREACH_RATE": str(args.rate),
        "LOG_LEVEL": "WARNING",
    }
    with BotApiEmulator() as emulator, BotProcess(emulator, url, workdir, env=env) as bot:
        emulator.set_limits(global_per_s=args.limit, chat_per_s=1)
        bot.start()
        for k in range(1, kills + 1):  # kill when k/(kills+1) of the messages went out
            target = args.messages * k // (kills + 1)
            wait_until(  # polled gently: the emulator shares this process (and its GIL)
                lambda t=target: statuses(engine)["sent"] >= t,
                "progress",
                3600,
                alive=bot.ensure_alive,
                interval=0.5,
            )
            bot.kill()
            bot.start()

        def finished() -> bool:
            counts = statuses(engine)
            return counts["planned"] == 0 and counts["sending"] == 0

        wait_until(finished, "every row settled", 3600, alive=bot.ensure_alive, interval=1.0)
        calls = emulator.calls("sendMessage")
        floods = emulator.flood_count()
        delivered = Counter(
            int(c["params"]["chat_id"]) for c in calls if c.get("ok") or c.get("processed")
        )
    ok = sorted(c["time"] for c in calls if c.get("ok"))
    counts = statuses(engine)
    engine.dispose()
    span = ok[-1] - ok[0] if len(ok) > 1 else 0.0
    return {
        "kills": kills,
        "sends": len(calls),
        "delivered": sum(delivered.values()),
        "duplicates": sum(1 for n in delivered.values() if n > 1),
        "floods": floods,
        "rate": (len(ok) - 1) / span if span else 0.0,
        "span": span,
        "statuses": dict(counts),
    }


def report(result: dict[str, Any], rate: float) -> None:
    pct = 100.0 * result["rate"] / rate
    print(
        f"  kills {result['kills']}: {result['delivered']} delivered in {result['span']:.1f} s "
        f"= {result['rate']:.2f} msg/s ({pct:.1f}% of {rate:g}); 429 answers {result['floods']}; "
        f"chats with a duplicate {result['duplicates']}; rows {result['statuses']}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=30.0, help="OUTREACH_RATE (max 30)")
    parser.add_argument("--limit", type=float, default=30.0, help="the emulator's flood limit")
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--database-url", default=None, help="PostgreSQL to use (emptied!)")
    parser.add_argument("--skip-steady", action="store_true")
    args = parser.parse_args()
    failures = []
    with tempfile.TemporaryDirectory(prefix="akrab-bench-") as tmp:
        print(f"dispatch of {args.messages} messages at OUTREACH_RATE={args.rate:g}")
        if not args.skip_steady:
            steady = run(args, Path(tmp) / "steady", kills=0)
            report(steady, args.rate)
            if steady["rate"] < 0.95 * args.rate:
                failures.append("rate below 95% of the configured rate")
            if steady["floods"] or steady["duplicates"]:
                failures.append("429 answers or duplicates in the steady run")
        if args.kills:
            killed = run(args, Path(tmp) / "killed", kills=args.kills)
            report(killed, args.rate)
            counts = killed["statuses"]
            if killed["duplicates"]:
                failures.append("a message was sent twice across the kills")
            if counts.get("unconfirmed", 0) > args.kills:
                failures.append("more than one unconfirmed per kill")
            if counts.get("sent", 0) + counts.get("unconfirmed", 0) != args.messages:
                failures.append("rows neither sent nor unconfirmed")
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
