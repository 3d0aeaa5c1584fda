"""Behaviour of `scoring.sentiment`: routing, labels, and the Indonesian chat rules."""

from __future__ import annotations

import csv
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from textblob import TextBlob

from scoring import sentiment
from scoring.indonesian import IndonesianAnalyzer
from scoring.sentiment import Sentiment, analyze, analyze_many
from scoring.sentiment_english import EnglishChatAnalyzer

ROOT = Path(__file__).resolve().parent.parent


def _consistent(result: Sentiment) -> bool:
    if result.polarity > 0.05:
        return result.label == "positive"
    if result.polarity < -0.05:
        return result.label == "negative"
    return result.label == "neutral"


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("barangnya bagus banget, pengiriman cepat", "id", "positive"),
        ("pengiriman lama, barang rusak, kecewa", "id", "negative"),
        ("makanannya enak dan pelayanannya ramah", "id", "positive"),
        ("thank you so much, great service!", "en", "positive"),
        ("this is the worst purchase I have ever made", "en", "negative"),
        ("barangnya bagus, fast response, recommended seller", "id", "positive"),
        ("seller nya slow respon, kecewa banget", "id", "negative"),
    ],
)
def test_language_and_label(text: str, lang: str, label: str) -> None:
    result = analyze(text)
    assert (result.lang, result.label) == (lang, label)
    assert _consistent(result)


@pytest.mark.parametrize(
    ("plain", "negated"),
    [
        ("bagus", "tidak bagus"),
        ("barangnya bagus", "barangnya gak bagus"),
        ("puas", "nggak puas"),
        ("sesuai pesanan", "tidak sesuai pesanan"),
        ("cepat", "kurang cepat"),
        ("recommended", "ga recommended"),
    ],
)
def test_negation_flips_positive(plain: str, negated: str) -> None:
    assert analyze(plain).label == "positive"
    assert analyze(negated).label == "negative"


@pytest.mark.parametrize(
    ("plain", "negated"),
    [("kecewa", "tidak kecewa"), ("barangnya rusak", "barangnya tidak rusak")],
)
def test_negation_softens_negative(plain: str, negated: str) -> None:
    assert analyze(plain).label == "negative"
    assert analyze(negated).polarity > analyze(plain).polarity


@pytest.mark.parametrize(
    ("plain", "stronger"),
    [
        ("enak", "enak banget"),
        ("enak", "sangat enak"),
        ("bagus", "bagus bgt"),
        ("jelek", "jelek banget"),
        ("kecewa", "sangat kecewa"),
        ("mantap", "mantaaap"),
        ("good", "very good!!!"),
    ],
)
def test_intensifiers_strengthen(plain: str, stronger: str) -> None:
    base, strong = analyze(plain), analyze(stronger)
    assert base.label == strong.label != "neutral"
    assert abs(strong.polarity) > abs(base.polarity)


@pytest.mark.parametrize(
    ("slang", "label"),
    [
        ("mantul gan", "positive"),
        ("brg udh nyampe, bgs bgt", "positive"),
        ("mantaaaap jiwaaa", "positive"),
        ("zonk, nyesel beli disini", "negative"),
        ("lemot bgt pengirimannya", "negative"),
        ("barang sesuai 👍", "positive"),
        ("paket belum dateng juga 😡", "negative"),
        ("makasih kak :)", "positive"),
    ],
)
def test_slang_and_emoji(slang: str, label: str) -> None:
    assert analyze(slang).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [("👍", "positive"), ("😍😍😍", "positive"), ("😡", "negative"), ("👎👎", "negative")],
)
def test_pure_emoji(text: str, label: str) -> None:
    result = analyze(text)
    assert result.label == label
    assert _consistent(result)


@pytest.mark.parametrize(
    "text",
    [
        *("ok", "oke kak", "siap", "halo", "halo min", "/start", "12345", "#INV-2024-0042"),
        *("Ya", "", "x", "xxxxxxxx", "q?"),
    ],
)
def test_opinion_free_is_neutral(text: str) -> None:
    result = analyze(text)
    assert result == Sentiment(0.0, "neutral", result.lang)


# Shop chat the bot really receives, written fresh for these tests: none of these texts is
# in bench/data/chat_id.csv (checked below). Questions and logistics carry no opinion; the
# complaints and praise around them still do.
SHOP_CHAT: list[tuple[str, str]] = [
    ("kak, celana chino ukuran 32 masih ada?", "neutral"),
    ("min, sandal jepit ukuran 40 masih ready ga?", "neutral"),
    ("sis, gamis yang warna sage ready?", "neutral"),
    ("warna hijau army ada gan?", "neutral"),
    ("kak yg warna lilac ada?", "neutral"),
    ("ready yang rasa coklat kak?", "neutral"),
    ("brp harga kemeja flanel yg kotak2?", "neutral"),
    ("harga paket nasi box 25 porsi brp kak?", "neutral"),
    ("laundry satuan jas berapa kak?", "neutral"),
    ("cuci karpet bisa kak? per meter berapa?", "neutral"),
    ("ongkir ke yogyakarta berapa ya min", "neutral"),
    ("ongkir ke balikpapan kira2 berapa?", "neutral"),
    ("ada voucher ongkir ga min", "neutral"),
    ("bisa cod daerah tangerang kak?", "neutral"),
    ("cod ke cibubur bisa ga gan", "neutral"),
    ("bisa bayar pakai gopay?", "neutral"),
    ("udh tf 200rb ya kak, tolong dicek", "neutral"),
    ("sdh sy transfer ke bca ya kak", "neutral"),
    ("ini bukti bayarnya ya min", "neutral"),
    ("nomor resinya boleh dikirim sekarang?", "neutral"),
    ("resi jnt nya berapa ya kak", "neutral"),
    ("paket order 9034 sudah jalan belum kak?", "neutral"),
    ("pesanan no 6120 udah dikirim kak?", "neutral"),
    ("kira2 kapan paketnya sampai kak?", "neutral"),
    ("kak, bisa dikirim pakai grab?", "neutral"),
    ("kurir yang ambil besok jam brp ya", "neutral"),
    ("hari sabtu tokonya buka jam brp?", "neutral"),
    ("besok buka jam 8 kak?", "neutral"),
    ("mau pesan 4 porsi ayam bakar ya kak", "neutral"),
    ("mau pesan 3 cup es kopi susu ya", "neutral"),
    ("saya ambil 2 yang ukuran M, 1 yang L", "neutral"),
    ("pagi kak, mau order kue lapis 1 loyang", "neutral"),
    ("alamat pengiriman: jl. kenanga 12, malang", "neutral"),
    ("alamat saya perumahan taman sari blok f no 3 depok", "neutral"),
    ("tolong kirim ke alamat yang baru ya kak", "neutral"),
    ("selamat siang kak, saya mau tanya soal pesanan", "neutral"),
    ("oke kak, besok pagi saya ambil", "neutral"),
    ("kak paket saya udah 8 hari belum sampai juga", "negative"),
    ("udah 9 hari belum nyampe kak, gimana nih", "negative"),
    ("kemejanya sobek, kecewa banget", "negative"),
    ("sepatunya dateng lecet dan kotor, kecewa", "negative"),
    ("kok yang dikirim ukuran XL, saya pesan M", "negative"),
    ("ini salah kirim kak, saya pesan yang biru", "negative"),
    ("chat saya dari pagi gak dibalas2", "negative"),
    ("min saya chat dari kemarin ga dibales, gimana sih", "negative"),
    ("ditunggu2 gak ada kabar, parah", "negative"),
    ("mienya dingin dan kuahnya tumpah", "negative"),
    ("laundry saya bajunya luntur semua kak", "negative"),
    ("paketnya sudah sampai, rapi dan cepat, makasih kak", "positive"),
    ("sepatunya udah nyampe, kece banget kak", "positive"),
    ("kemejanya bagus banget, pas di badan", "positive"),
    ("mantap gan, ayam bakarnya enak", "positive"),
    ("makasih kak, kuenya enak semua", "positive"),
    ("pengirimannya cepat, barangnya bagus, mantap", "positive"),
    ("laundry nya rapi dan wangi, terima kasih", "positive"),
    ("makasih min, pelayanannya ramah banget", "positive"),
    ("gamisnya adem dan cantik, suka bgt", "positive"),
    ("udah dicoba, nyaman banget dipakai", "positive"),
]


@pytest.mark.parametrize(("text", "label"), SHOP_CHAT)
def test_shop_chat(text: str, label: str) -> None:
    result = analyze(text)
    assert (result.lang, result.label) == ("id", label)
    assert _consistent(result)


def test_shop_chat_table_is_not_training_data() -> None:
    with (ROOT / "bench" / "data" / "chat_id.csv").open(encoding="utf-8", newline="") as fh:
        trained = {row["text"].lower() for row in csv.DictReader(fh)}
    assert not {text.lower() for text, _ in SHOP_CHAT} & trained


@pytest.mark.parametrize(
    "text",
    [
        "спасибо, всё отлично",
        "ありがとうございます、最高です",
        "شكرا جزيلا",
        "非常好 👍",
        "ขอบคุณมาก",
    ],
)
def test_non_latin_scripts_are_other_and_neutral(text: str) -> None:
    assert analyze(text) == Sentiment(0.0, "neutral", "other")


def test_long_text() -> None:
    text = ("barangnya bagus dan pengiriman cepat, terima kasih seller! " * 80)[:4096]
    assert len(text) == 4096
    result = analyze(text)
    assert result.label == "positive"
    assert -1.0 <= result.polarity <= 1.0


def test_analyze_many_matches_analyze_and_is_deterministic() -> None:
    texts = ["bagus", "jelek", "ok", "great!", "😡", "спасибо"]
    assert analyze_many(texts) == [analyze(t) for t in texts]
    assert analyze_many(iter(texts)) == analyze_many(texts)


def test_threads_agree() -> None:
    texts = ["barang bagus", "pengiriman lama banget", "nice product", "tidak sesuai"] * 50
    expected = analyze_many(texts)
    results: list[list[Sentiment]] = []
    threads = [
        threading.Thread(target=lambda: results.append(analyze_many(texts))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_polarity_range_and_label_consistency() -> None:
    texts = ["bagus", "kurang bagus", "biasa saja", "so so", "meh", "ok lah", "harga standar"]
    for result in analyze_many(texts):
        assert -1.0 <= result.polarity <= 1.0
        assert _consistent(result)


def test_textblob_interface() -> None:
    # Both languages plug into TextBlob as sentiment analyzers.
    assert TextBlob("barangnya bagus", analyzer=IndonesianAnalyzer()).sentiment.label == "positive"
    assert TextBlob("awful service", analyzer=EnglishChatAnalyzer()).sentiment.polarity < 0


def test_analyzer_version_is_an_int() -> None:
    assert isinstance(sentiment.ANALYZER_VERSION, int)
    assert sentiment.ANALYZER_VERSION >= 2


def test_import_is_cheap() -> None:
    # Importing must not load models (the bot imports this at start-up).
    code = (
        "import sys, scoring.sentiment;"
        "assert 'vaderSentiment' not in sys.modules;"
        "assert 'textblob' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
