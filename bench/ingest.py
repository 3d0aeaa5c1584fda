"""Ingest benchmark: N inbound text updates through the real Application, offline.

The bot runs with its real handlers on a SQLite file database (one commit per update, as in
production); only the Telegram network is replaced by `bot.adapter.offline.OfflineTelegram`.

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


async def run(updates: int, customers: int, database: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{database}")  # type: ignore[call-arg]
    engine = open_database(settings.database_url)
    telegram = OfflineTelegram()
    app = build_application(settings, engine=engine, request=telegram, rate_limit=False)
    rng = random.Random(7)
    people = [
        user(100_000 + i, f"C{i}", language_code=rng.choice(["id", "en"])) for i in range(customers)
    ]
    prepared = []
    for _ in range(updates):
        sender, text = rng.choice(people), customer_text(rng)
        prepared.append(Update.de_json(telegram.message_update(sender, text=text), app.bot))
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
