"""Offline language routing for sentiment: Indonesian, English or other.

Chat messages are short and often code-mixed ("barangnya bagus, fast response"), so
this counts word evidence instead of character n-grams: hand-written lists of frequent
Indonesian and English words, Indonesian morphology (-nya, -kan, me-/ber-/di- ...), the
words the Indonesian model knows, and the English words of TextBlob's spelling list.
Text mostly in a non-Latin script is "other".
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Literal

from scoring.indonesian_text import SLANG

Lang = Literal["id", "en", "other"]


def _split(words: str) -> list[str]:
    return words.split()


_ID_WORDS = (
    frozenset(
        _split(
            """yang dan di ke dari ini itu tidak sudah saya aku kamu kita kami mereka dia ada akan
        dengan untuk juga tapi karena kalau bisa harus sangat banget sekali lagi belum bukan
        masih hanya saja sama atau pada oleh dalam jadi lebih kurang mau ingin sih dong deh kok
        nih kan lah pun ya iya tak apa kenapa bagaimana kapan mana siapa berapa sini situ
        barang bagus jelek enak mahal murah cepat lambat lama baru rusak kecewa puas mantap
        pengiriman pesanan paket kirim sampai datang beli harga kualitas penjual toko kurir
        terima kasih tolong mohon maaf kak gan min selamat pagi siang malam halo baik buruk
        senang sedih marah kesal suka benar salah semua banyak sedikit besar kecil sesuai
        seperti tempat makanan makan minum rasa pelayanan ramah nyaman bersih kotor sayang
        sekarang nanti kemarin besok hari minggu bulan tahun orang anak ibu bapak uang bayar"""
        )
    )
    | frozenset(SLANG)
    | frozenset(w for v in SLANG.values() for w in v.split())
)

_EN_WORDS = frozenset(
    _split(
        """the a an and or but is are was were be been being am i you he she it we they me him
        her us them my your his its our their this that these those what which who whom whose
        when where why how not no never very really so too just only also of to in on at for
        with about from by as than then there here have has had do does did will would can
        could should shall may might must get got make made go going went come came know think
        want like love hate good great bad best worst better worse awesome terrible nice happy
        sad angry thanks thank please sorry yes okay well product service order delivery price
        quality fast slow recommend recommended buy bought works work worked broken excellent
        amazing horrible poor disappointed disappointing stupid fun funny cool beautiful ugly
        today tonight tomorrow day time people everyone something nothing anything all some any
        more most much many one two because if while after before again still even ever don't
        can't won't isn't wasn't didn't doesn't i'm it's you're that's"""
    )
)

# Indonesian affixes; an unknown word shaped like these counts as weak Indonesian evidence.
_ID_SHAPE_RE = re.compile(
    r"^(?:(?:me[mn]?g?|ber|ter|di|pe[mn]?g?|ke|se)[a-z]{3,}|[a-z]{3,}(?:nya|kan|lah|kah|an))$"
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ASCII_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")
_LATIN_WORD_RE = re.compile(r"^[a-z\u00c0-\u024f']+$")


@cache
def _lexicons() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(words the Indonesian model knows, English sentiment-lexicon words, other English
    words), loaded once."""
    from scoring import indonesian, sentiment_english

    english = sentiment_english.lexicon_words() - _ID_WORDS
    common = sentiment_english.common_words() - _ID_WORDS - english
    return indonesian.vocabulary() - english, english, common


@lru_cache(maxsize=65536)
def _evidence(word: str) -> tuple[float, float]:
    """(Indonesian, English) evidence of one lower-case word."""
    if not _LATIN_WORD_RE.match(word):
        return 0.0, 0.0
    id_score = 1.0 if word in _ID_WORDS else 0.0
    en_score = 1.0 if word in _EN_WORDS else 0.0
    if id_score or en_score:
        return id_score, en_score
    id_vocabulary, en_lexicon, en_common = _lexicons()
    if word in en_lexicon:
        return 0.0, 0.75
    if len(word) < 3:
        # Stray letters: "d" of ":D", "s" of "'s", "u" for "you".
        return 0.0, 0.0
    if word in en_common:
        # The Indonesian training texts mix in plenty of English ("design", "player"); a
        # word English uses often is English evidence, however often Indonesians borrow it.
        return 0.0, 0.5
    if word in id_vocabulary or _ID_SHAPE_RE.match(word):
        return 0.5, 0.0
    return 0.0, 0.0


def _is_latin_word(word: str) -> bool:
    return word.isascii() or bool(_LATIN_WORD_RE.match(word.lower()))


def detect(text: str) -> Lang:
    """Best guess at the language of `text` from the text alone.

    Latin text with no evidence either way is "id": the bot serves Indonesian shops, and
    the Indonesian analyzer treats unknown words as opinion-free.
    """
    if text.isascii():
        # The common case, without the per-word script check.
        latin = _ASCII_WORD_RE.findall(text.lower())
        if not latin:
            return "other"
    else:
        words = _WORD_RE.findall(text)
        if not words:
            return "other"
        latin = [w.lower() for w in words if _is_latin_word(w)]
        if len(latin) * 2 < len(words):
            return "other"
    id_score = en_score = 0.0
    for word in latin:
        i, e = _evidence(word)
        id_score += i
        en_score += e
    # Code-mixed text leans Indonesian: its analyzer learned the English that Indonesian
    # reviewers mix in ("fast respon", "recommended seller").
    return "en" if en_score > 2.0 * id_score else "id"
