"""What simulated customers of `akrab demo` write: templates and words, Indonesian and English.

Indonesian is informal shop chat ("kak", "udah", "gak", "bgt"); each mood has its own templates
and the slots are filled from small word lists, so a few hundred customers rarely repeat a line.
Sentiment is never decided here: the real analyzer scores whatever these texts turn out to be.
"""

from __future__ import annotations

import random

ITEMS = {
    "id": [
        "kaos", "hijab", "sepatu", "tas", "kopi susu", "keripik", "sambal", "madu", "serum",
        "kemeja", "celana", "dompet", "brownies", "kue kering", "sabun", "totebag", "mukena",
    ],
    "en": [
        "t-shirt", "hijab", "shoes", "bag", "coffee", "chips", "chili sauce", "honey", "serum",
        "shirt", "trousers", "wallet", "brownies", "cookies", "soap", "tote bag",
    ],
}  # fmt: skip
COLORS = {
    "id": ["hitam", "putih", "navy", "merah", "hijau army", "coklat", "abu", "pink"],
    "en": ["black", "white", "navy", "red", "army green", "brown", "grey", "pink"],
}
CITIES = ["Bandung", "Surabaya", "Medan", "Makassar", "Jogja", "Semarang", "Depok", "Bali"]
SIZES = ["S", "M", "L", "XL", "38", "40", "42"]
PAYMENTS = ["OVO", "GoPay", "DANA", "QRIS", "transfer BCA", "ShopeePay"]
SOFT = ["kak", "kak", "min", "kakak"]  # how people address the shop

TEMPLATES: dict[str, dict[str, list[str]]] = {
    "id": {
        "positive": [
            "makasih {kak}, {item}nya udah sampai, bagus banget 😍",
            "mantap {kak}, {item}nya sesuai foto, recommended deh 👍",
            "udah nyampe {kak}, packing rapi, makasih ya 🙏",
            "suka banget sama {item}nya, nanti order lagi ya {kak}",
            "pelayanannya ramah dan fast respon, makasih {kak}!",
            "{item} {color}nya cakep bgt {kak}, temen2 pada nanya beli dimana",
            "enak banget {item}nya, keluarga di rumah suka semua 😋",
            "puas belanja disini {kak}, pengiriman ke {city} cepet",
            "keren {kak}, kualitas {item}nya oke punya ✨",
            "makasih ya {kak} udah dibantu, sukses terus tokonya",
        ],
        "question": [
            "{kak}, {item} warna {color} masih ada?",
            "ongkir ke {city} berapa ya {kak}?",
            "bisa COD gak {kak}?",
            "pesanan saya udah dikirim belum ya {kak}?",
            "{kak} ukuran {size} ready?",
            "jam berapa tokonya buka {kak}?",
            "bisa bayar pakai {pay} {kak}?",
            "nomor resinya berapa ya {kak}?",
            "{item} ada promo gak minggu ini {kak}?",
            "kalau pesan sekarang kapan sampai di {city}?",
            "{kak} mau tanya, {item} ada varian lain?",
            "stok {item} {color} kapan restock {kak}?",
        ],
        "complaint": [
            "{kak} pesanan saya belum sampai udah seminggu, kecewa banget",
            "barangnya rusak pas dateng {kak}, gimana ini? kecewa",
            "{item}nya beda sama foto, kecewa berat 😞",
            "kok lama banget sih balesnya {kak}, udah nunggu dari kemarin",
            "ukurannya kekecilan, jelek jahitannya, nyesel beli",
            "packingnya jelek, {item}nya penyok semua 😡",
            "udah transfer dari kemarin tapi belum diproses juga, parah",
            "{item}nya basi {kak}, gak bisa dimakan, kecewa banget",
            "pengiriman ke {city} lama banget, gak lagi deh order disini",
            "warnanya luntur pas dicuci, kualitasnya buruk",
        ],
        "feedback": [
            "tolong tambah varian {item} yang lebih besar {kak}",
            "semoga ada promo gratis ongkir ke {city} ya",
            "adminnya ramah, tapi pengirimannya bisa lebih cepat",
            "packingnya tolong dibikin lebih tebal {kak}",
            "tambah pilihan warna {color} dong",
        ],
        "reply": [
            "makasih {kak} infonya 🙏", "siap {kak}, nanti saya cek", "oke {kak} 👍",
            "wah boleh juga {kak}, nanti saya order", "iya {kak}, makasih udah diingetin",
        ],
        "cold": [
            "iya {kak}", "nanti dulu deh {kak}", "lagi gak butuh {kak}", "hmm oke",
        ],
        "photo": ["ini {kak} {item}nya", "kayak gini {kak} kondisinya", "yang ini ada {kak}?"],
    },
    "en": {
        "positive": [
            "thanks, the {item} arrived and it's lovely 😍",
            "great service, the {item} looks exactly like the photo 👍",
            "got my order today, very well packed, thank you!",
            "love the {item}, will definitely order again",
            "super friendly and fast replies, thanks a lot",
            "the {color} {item} is gorgeous, my friends keep asking where I got it",
            "delicious {item}, the whole family loved it 😋",
            "really happy with this shop, delivery to {city} was quick",
        ],
        "question": [
            "hi, is the {item} still available in {color}?",
            "how much is shipping to {city}?",
            "do you do cash on delivery?",
            "has my order been shipped yet?",
            "is size {size} in stock?",
            "what time do you open?",
            "can I pay with {pay}?",
            "could you send me the tracking number please?",
            "any promo on the {item} this week?",
        ],
        "complaint": [
            "my order still hasn't arrived after a week, very disappointed",
            "the {item} arrived broken, this is terrible",
            "the {item} looks nothing like the photo, really disappointed 😞",
            "why is it taking so long to reply? I've been waiting since yesterday",
            "the size is wrong and the stitching is awful, I regret buying it",
            "terrible packaging, the {item} was crushed 😡",
            "I paid yesterday and nothing has happened, this is bad service",
        ],
        "feedback": [
            "please add bigger sizes for the {item}",
            "free shipping to {city} would be great",
            "friendly staff, but shipping could be faster",
        ],
        "reply": [
            "thanks for letting me know 🙏", "sure, I'll have a look", "ok 👍",
            "nice, I might order soon", "thank you!",
        ],
        "cold": ["ok", "maybe later", "not now, thanks", "hmm"],
        "photo": ["this is the {item}", "look at this", "do you have this one?"],
    },
}  # fmt: skip

OWNER_REPLIES = {
    "complaint": [
        "Halo kak, mohon maaf atas kendalanya 🙏 Kami cek sekarang dan kabari secepatnya ya.",
        "Maaf ya kak, pesanannya kami bantu proses ulang hari ini. Makasih sudah sabar 🙏",
    ],
    "question": [
        "Halo kak, masih ready ya 😊 Mau diproses sekarang?",
        "Bisa kak, ongkirnya kami cek dulu sebentar ya.",
        "Sudah dikirim kak, resinya kami kirim sebentar lagi ya 🙏",
    ],
    "positive": ["Makasih banyak kak, senang sekali dengarnya 😊🙏"],
}

ID_NAMES = [
    "Budi", "Siti", "Dewi", "Rina", "Agus", "Putri", "Andi", "Wulan", "Fajar", "Intan", "Rizky",
    "Ayu", "Dimas", "Nur", "Yusuf", "Sari", "Eka", "Bayu", "Lestari", "Hendra", "Nadia", "Reza",
    "Maya", "Joko", "Indah", "Rudi", "Fitri", "Arif", "Citra", "Wahyu", "Dian", "Bagus", "Ratna",
    "Hadi", "Yuni", "Tono", "Mega", "Gilang", "Salsa", "Kevin",
]  # fmt: skip
EN_NAMES = [
    "Emma", "James", "Olivia", "Liam", "Sophie", "Daniel", "Grace", "Ethan", "Chloe", "Ryan",
    "Hannah", "Lucas", "Mia", "Noah", "Zoe", "Adam", "Lily", "Sam",
]  # fmt: skip


def fill(template: str, lang: str, rng: random.Random) -> str:
    return template.format(
        kak=rng.choice(SOFT),
        item=rng.choice(ITEMS[lang]),
        color=rng.choice(COLORS[lang]),
        city=rng.choice(CITIES),
        size=rng.choice(SIZES),
        pay=rng.choice(PAYMENTS),
    )


def say(lang: str, mood: str, rng: random.Random) -> str:
    """One message of `mood` (positive, question, complaint, feedback, reply, cold, photo)."""
    return fill(rng.choice(TEMPLATES[lang][mood]), lang, rng)


def classify(relayed: str) -> str:
    """What a relayed customer message looks like to the owner: complaint, question or positive."""
    lowered = relayed.lower()
    complaint_words = ("kecewa", "rusak", "belum", "lama", "jelek", "parah", "disappoint")
    if any(word in lowered for word in complaint_words):
        return "complaint"
    return "question" if "?" in relayed else "positive"


def owner_reply(kind: str, rng: random.Random) -> str:
    """The owner's answer to a relayed customer message of `kind` (see `classify`)."""
    return rng.choice(OWNER_REPLIES[kind])


def name(lang: str, rng: random.Random) -> str:
    return rng.choice(ID_NAMES if lang == "id" else EN_NAMES)
