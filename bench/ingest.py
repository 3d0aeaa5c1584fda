"""Ingest benchmark: raw getUpdates batches through the inbox to recorded, scored messages.

Akrab runs as in production on a SQLite file: each batch is committed to the inbox as `akrab
run` does it, with its plain customer messages recorded (sentiment included) and marked
processed in that same commit (bot/adapter/receipt.py); the worker's lanes then take the rest
(the real handlers: replies to a conversation's first message, complaints, awaited feedback);
only the Telegram network is `bot.adapter.offline.OfflineTelegram`. An update counts as
handled when its commit returns (recorded at receipt) or when its lane is done with it. In the
same run, a minimal hand-written recorder (PTB plus one sqlite3 INSERT and commit per update,
no sentiment) takes the same updates, for the ratio.

    .venv/bin/python bench/ingest.py --updates 5000 --customers 200 --batch 20 --rounds 5

On a shared machine, `--rounds` runs both several times, alternately, and reports the medians.
Each round has texts of its own (another seed): with one set for all rounds, the analyzer's
cache of recent texts remembered the whole previous round and every round after the first
scored nothing (about 25% faster than it is).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.adapter.offline import OfflineTelegram, user
from bot.app import build_application, post_init
from bot.config import Settings
from storage.db import open_database

# Customer texts for an Indonesian shop: informal Indonesian and some English, positive,
# negative, neutral and questions. Each update fills a template with random products, sizes,
# order numbers and amounts, so most updates carry a distinct text (as real chats do) and
# per-word caches in the analyzer are not unrealistically warm.
TEMPLATES = [
    # Indonesian, positive
    "{product}nya bagus banget {kak}, makasih ya",
    "udah sampe {kak}, {product} {color} nya cakep, sesuai foto 👍",
    "mantap {kak}, {qty} {product} udah diterima semua, packing rapi",
    "pelayanannya ramah dan cepat, pasti order lagi {product} ukuran {size}",
    "suka banget sama {product}nya, bahannya adem. makasih {kak}!",
    "pesanan {order} udah nyampe, cepet banget cuma {days} hari 😍",
    "recommended seller! {product} ori, harga {price} worth it",
    "makasih {kak}, {product} buat hadiah ibu, dia seneng banget",
    # Indonesian, negative
    "kecewa {kak}, {product} {color} yang dateng warnanya beda sama foto",
    "pesanan {order} belum sampai juga padahal udah {days} hari, gimana ini?",
    "{kak} ukuran {size} kekecilan, padahal biasanya pas. bisa tukar?",
    "barang rusak pas dateng, {product}nya sobek 😡 tolong dicek {order}",
    "kok cuma dikirim {qty} padahal pesen {qty2}? kurang {product}nya",
    "lama banget balesnya {kak}, udah nanya dari kemarin soal {order}",
    "jelek, jahitan {product} lepas baru dipake {days} hari",
    "mahal amat ongkirnya ke {city}, {price} buat {qty} {product} doang",
    # Indonesian, neutral and questions
    "{kak}, stok {product} ukuran {size} warna {color} masih ada?",
    "ok siap {kak}, ditunggu resinya buat {order}",
    "{kak} kalo beli {qty} {product} ada diskon gak?",
    "ongkir ke {city} berapa ya {kak}?",
    "mau tanya {kak}, {product} {color} ini bahannya apa ya?",
    "sudah transfer {price} ya {kak}, atas nama {name}. order {order}",
    "{kak} bisa COD di {city} gak?",
    "tolong cek resi {order} dong {kak}",
    "{product} {color} ukuran {size} {qty} pcs ya {kak}",
    "kirim hari ini bisa {kak}? alamat di {city}",
    "halo {kak}, ada {product} model baru gak?",
    "estimasi sampai {city} berapa hari ya {kak}? order {order}",
    # English
    "The {product} arrived in {days} days, thank you!",
    "Love the {color} {product}, great quality for {price}",
    "Do you have the {product} in size {size}?",
    "My order {order} still hasn't arrived, it's been {days} days.",
    "The {product} from {order} is damaged, very disappointed.",
    "Can I order {qty} {product} and pay on delivery in {city}?",
    "Thanks, the packaging was great and the {size} {product} fits perfectly",
    "Hi, how much is shipping to {city} for {qty} items?",
    "Wrong size sent for {order}, I ordered {size}. Please fix this.",
    "ok thanks, waiting for {order}",
    # Code-mixing, emoji only
    "{product}nya so cute {kak}, thank you 🥰",
    "{emoji}",
]
PRODUCTS = [
    *["kaos polos", "kemeja batik", "hijab segi empat", "gamis", "celana jeans", "daster"],
    *["sepatu sneakers", "sandal jepit", "tas selempang", "dompet kulit", "jaket hoodie"],
    *["mukena", "rok plisket", "kaos kaki", "tumbler", "kopi bubuk", "keripik pedas"],
    *["sambal bawang", "madu hutan", "skincare serum", "lipstik matte", "casing hp"],
    *["earphone", "powerbank"],
]
SIZES = ["S", "M", "L", "XL", "XXL", "38", "39", "40", "41", "42", "all size"]
COLORS = ["hitam", "putih", "navy", "maroon", "sage", "mocca", "abu", "pink", "cream", "olive"]
CITIES = [
    *["Jakarta", "Bandung", "Surabaya", "Medan", "Makassar", "Yogya", "Semarang", "Bekasi"],
    *["Depok", "Malang", "Denpasar", "Palembang", "Balikpapan", "Pontianak"],
]
NAMES = ["Sari", "Dewi", "Andi", "Rina", "Budi", "Putri", "Agus", "Wulan", "Rizky", "Fitri"]
GREETINGS = ["kak", "min", "sis", "gan", "ka"]
EMOJI = ["👍", "👍👍", "🙏", "😍", "😡", "👌", "🙏🙏", "😭", "❤️", ":)", ":("]


def customer_text(rng: random.Random) -> str:
    """One customer text: a random template with random shop details."""
    qty = rng.randint(1, 12)
    return rng.choice(TEMPLATES).format(
        product=rng.choice(PRODUCTS),
        size=rng.choice(SIZES),
        color=rng.choice(COLORS),
        city=rng.choice(CITIES),
        name=rng.choice(NAMES),
        kak=rng.choice(GREETINGS),
        emoji=rng.choice(EMOJI),
        order=f"#INV-{rng.randint(10000, 99999)}",
        qty=qty,
        qty2=qty + rng.randint(1, 3),
        days=rng.randint(2, 14),
        price=f"Rp{rng.randint(15, 950) * 1000:,}".replace(",", "."),
    )


def make_updates(
    telegram: OfflineTelegram, updates: int, customers: int, seed: int = 7
) -> list[dict[str, Any]]:
    """Raw update JSON as getUpdates returns it: texts from `customers` people."""
    rng = random.Random(seed)
    people = [
        user(100_000 + i, f"C{i}", language_code=rng.choice(["id", "en"])) for i in range(customers)
    ]
    return [
        telegram.message_update(rng.choice(people), text=customer_text(rng)) for _ in range(updates)
    ]


def batches(raw: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [raw[i : i + size] for i in range(0, len(raw), size)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)] * 1000


async def akrab(
    telegram: OfflineTelegram, raw: list[dict[str, Any]], database: Path, batch: int
) -> tuple[float, list[float]]:
    """The real path: batches committed to the inbox (recording most), lanes for the rest."""
    settings = Settings(_env_file=None, database_url=f"sqlite:///{database}")  # type: ignore[call-arg]
    engine = open_database(settings.database_url)
    app = build_application(settings, engine=engine, request=telegram, rate_limit=False)
    worker = app.bot_data.worker
    done_at: dict[int, float] = {}
    worker.handled = lambda update_id: done_at.__setitem__(update_id, time.perf_counter())
    latencies: list[float] = []
    async with app:
        await post_init(app)
        worker.start()
        warm, timed_part = raw[:200], raw[200:]
        for chunk in batches(warm, batch):  # warm-up: imports, caches
            await worker.receive(chunk)
            await worker.drain()
        start = time.perf_counter()
        for chunk in batches(timed_part, batch):
            received = time.perf_counter()
            await worker.receive(chunk)
            await worker.drain()
            latencies.extend(done_at[u["update_id"]] - received for u in chunk)
        elapsed = time.perf_counter() - start
        await worker.stop()
    engine.dispose()
    return len(timed_part) / elapsed, latencies


async def minimal(raw: list[dict[str, Any]], database: Path, batch: int) -> float:
    """The baseline: PTB plus one sqlite3 INSERT and commit per update, no sentiment."""
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(
        "CREATE TABLE IF NOT EXISTS message (update_id INTEGER PRIMARY KEY, chat_id INTEGER, "
        "user_id INTEGER, text TEXT, sent_at INTEGER)"
    )
    app = Application.builder().token("123456:BASELINE").request(OfflineTelegram()).build()

    async def record(update: Update, _: object) -> None:
        message = update.effective_message
        assert message is not None
        connection.execute(
            "INSERT INTO message VALUES (?, ?, ?, ?, ?)",
            (
                update.update_id,
                message.chat_id,
                message.from_user.id if message.from_user else None,
                message.text,
                int(message.date.timestamp()),
            ),
        )
        connection.commit()

    app.add_handler(TypeHandler(Update, record))
    async with app:
        for chunk in batches(raw[:200], batch):
            for data in chunk:
                await app.process_update(Update.de_json(data, app.bot))
        start = time.perf_counter()
        for chunk in batches(raw[200:], batch):
            for data in chunk:
                await app.process_update(Update.de_json(data, app.bot))
        elapsed = time.perf_counter() - start
    connection.close()
    return (len(raw) - 200) / elapsed


async def run(updates: int, customers: int, batch: int, rounds: int, folder: Path) -> None:
    telegram = OfflineTelegram()  # one chat history: user and bot messages share the ids
    print(f"updates timed: {updates}  customers: {customers}  batch: {batch}  rounds: {rounds}")
    results = []
    for number in range(rounds):  # alternately, so both see the same load on a shared machine
        # Texts of their own in each round: the analyzer's cache of recent texts (customers
        # repeat themselves) must not remember a whole earlier round.
        raw = make_updates(telegram, updates + 200, customers, seed=7 + number)
        rate, latencies = await akrab(telegram, raw, folder / f"akrab{number}.db", batch)
        baseline = await minimal(raw, folder / f"minimal{number}.db", batch)
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        results.append((rate, p50, p95, baseline, rate / baseline))
        print(
            f"  round {number + 1}: akrab {rate:,.0f}/s p50 {p50:.2f} ms p95 {p95:.2f} ms, "
            f"minimal {baseline:,.0f}/s, ratio {rate / baseline:.1%}"
        )
    rate, p50, p95, baseline, ratio = map(statistics.median, zip(*results, strict=True))
    print(f"median: akrab (inbox, lanes, sentiment, handlers): {rate:,.0f} updates/s")
    print(f"  latency from batch commit to handled: p50 {p50:.2f} ms  p95 {p95:.2f} ms")
    print(f"minimal recorder (PTB + one sqlite3 INSERT/commit): {baseline:,.0f} updates/s")
    print(f"ratio akrab / minimal: {ratio:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--batch", type=int, default=20, help="updates per getUpdates batch")
    parser.add_argument("--rounds", type=int, default=1, help="both recorders, alternately")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(args.updates, args.customers, args.batch, args.rounds, Path(folder)))


if __name__ == "__main__":
    main()
