"""Indonesian chat text to model features: tokens, slang, negation, intensity and emoji.

Shared by the run-time analyzer (`scoring.indonesian`) and the training script
(`bench/train_sentiment.py`), so the shipped model sees exactly the features it was
trained on. Pure functions over the standard library; no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import lru_cache

# Our own table of informal spellings customers type, mapped to the standard word the
# SmSA/PRDECT vocabulary mostly uses. Written by hand for this project; only unambiguous
# forms are listed (a wrong mapping costs more than a missing one).
SLANG: dict[str, str] = {
    # negation
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "g": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "nggk": "tidak",
    "ngak": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "kagak": "tidak",
    "kaga": "tidak",
    "ndak": "tidak",
    "gag": "tidak",
    "gx": "tidak",
    "ora": "tidak",
    "tida": "tidak",
    "gaada": "tidak ada",
    "gada": "tidak ada",
    "blm": "belum",
    "blum": "belum",
    "belom": "belum",
    "bkn": "bukan",
    "jgn": "jangan",
    "jangn": "jangan",
    "krg": "kurang",
    "kurg": "kurang",
    # intensifiers
    "bgt": "banget",
    "bngt": "banget",
    "bangt": "banget",
    "bgtt": "banget",
    "bet": "banget",
    "sngt": "sangat",
    "sgt": "sangat",
    "skali": "sekali",
    "sekale": "sekali",
    "bener": "benar",
    "bnr": "benar",
    "pol": "banget",
    "poll": "banget",
    "trlalu": "terlalu",
    "tlalu": "terlalu",
    "amat": "sangat",
    # opinion words
    "bgs": "bagus",
    "bagu": "bagus",
    "mantul": "mantap",
    "mantab": "mantap",
    "mantep": "mantap",
    "mantabs": "mantap",
    "mantaps": "mantap",
    "mntp": "mantap",
    "mntap": "mantap",
    "josss": "joss",
    "jos": "joss",
    "ajib": "mantap",
    "keren": "keren",
    "kece": "keren",
    "cakep": "cantik",
    "cpt": "cepat",
    "cepet": "cepat",
    "gercep": "cepat",
    "lemot": "lambat",
    "lelet": "lambat",
    "lama": "lama",
    "jlk": "jelek",
    "jelk": "jelek",
    "ancur": "hancur",
    "rusak": "rusak",
    "zonk": "kecewa",
    "kcewa": "kecewa",
    "kecewaa": "kecewa",
    "nyesel": "menyesal",
    "nyesal": "menyesal",
    "mengecewakan": "mengecewakan",
    "murmer": "murah",
    "mrh": "murah",
    "mhl": "mahal",
    "enk": "enak",
    "uenak": "enak",
    "maknyus": "enak",
    "rekomen": "recommended",
    "rekomended": "recommended",
    "recomended": "recommended",
    "recommend": "recommended",
    "rekom": "recommended",
    "recom": "recommended",
    "recomen": "recommended",
    "ori": "original",
    "asli": "asli",
    "kw": "palsu",
    "abal": "palsu",
    "nipu": "menipu",
    "tipu": "menipu",
    "penipu": "menipu",
    "marah2": "marah",
    "bete": "kesal",
    "kesel": "kesal",
    "sebel": "kesal",
    "sebal": "kesal",
    "senang": "senang",
    "seneng": "senang",
    "happy": "senang",
    "puasss": "puas",
    "makasih": "terima kasih",
    "makasi": "terima kasih",
    "mksh": "terima kasih",
    "mkasih": "terima kasih",
    "trims": "terima kasih",
    "trimakasih": "terima kasih",
    "terimakasih": "terima kasih",
    "tq": "terima kasih",
    "thx": "thanks",
    "thank": "thanks",
    "tenkyu": "thanks",
    "tks": "thanks",
    "tengkyu": "thanks",
    "ramah": "ramah",
    "jutek": "judes",
    "amburadul": "berantakan",
    # function words and pronouns
    "yg": "yang",
    "yng": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "dngn": "dengan",
    "utk": "untuk",
    "untk": "untuk",
    "buat": "untuk",
    "krn": "karena",
    "krna": "karena",
    "karna": "karena",
    "soalnya": "karena",
    "tp": "tapi",
    "tpi": "tapi",
    "tetapi": "tapi",
    "namun": "tapi",
    "tetep": "tetap",
    "ttp": "tetap",
    "jg": "juga",
    "jga": "juga",
    "sdh": "sudah",
    "udh": "sudah",
    "udah": "sudah",
    "dah": "sudah",
    "uda": "sudah",
    "sudh": "sudah",
    "lg": "lagi",
    "lgi": "lagi",
    "sy": "saya",
    "aku": "saya",
    "gue": "saya",
    "gw": "saya",
    "gua": "saya",
    "ak": "saya",
    "km": "kamu",
    "kmu": "kamu",
    "lu": "kamu",
    "lo": "kamu",
    "loe": "kamu",
    "elo": "kamu",
    "dr": "dari",
    "dri": "dari",
    "dlm": "dalam",
    "sm": "sama",
    "ama": "sama",
    "bs": "bisa",
    "bsa": "bisa",
    "bisaa": "bisa",
    "aja": "saja",
    "aj": "saja",
    "doang": "saja",
    "cuma": "hanya",
    "cuman": "hanya",
    "cm": "hanya",
    "klo": "kalau",
    "kalo": "kalau",
    "kl": "kalau",
    "jd": "jadi",
    "jdi": "jadi",
    "pake": "pakai",
    "dipake": "dipakai",
    "pdhl": "padahal",
    "pdahal": "padahal",
    "gimana": "bagaimana",
    "gmn": "bagaimana",
    "gmna": "bagaimana",
    "knp": "kenapa",
    "napa": "kenapa",
    "dpt": "dapat",
    "dapet": "dapat",
    "brg": "barang",
    "brng": "barang",
    "barangny": "barangnya",
    "sampe": "sampai",
    "nyampe": "sampai",
    "nyampai": "sampai",
    "smpe": "sampai",
    "dateng": "datang",
    "dtg": "datang",
    "trs": "terus",
    "trus": "terus",
    "bnyk": "banyak",
    "byk": "banyak",
    "bnyak": "banyak",
    "tau": "tahu",
    "tw": "tahu",
    "liat": "lihat",
    "ngerti": "mengerti",
    "gitu": "begitu",
    "gini": "begini",
    "kyk": "seperti",
    "kayak": "seperti",
    "kaya": "seperti",
    "kek": "seperti",
    "sih": "sih",
    "emang": "memang",
    "emg": "memang",
    "mmg": "memang",
    "ny": "nya",
    "tgl": "tanggal",
    "org": "orang",
    "pesen": "pesan",
    "psn": "pesan",
    "kirimin": "kirim",
    "ongkir": "ongkos kirim",
    "sllu": "selalu",
    "slalu": "selalu",
    "smg": "semoga",
    "moga": "semoga",
    "mudah2an": "semoga",
    "sblm": "sebelum",
    "stlh": "setelah",
    "sdikit": "sedikit",
    "dikit": "sedikit",
    "bnr2": "benar",
    "msh": "masih",
    "masi": "masih",
    "lbh": "lebih",
    "kurangg": "kurang",
    "n": "dan",
    "dn": "dan",
    "&": "dan",
    "kak": "kak",
    "ka": "kak",
    "kakak": "kak",
    "gan": "gan",
    "min": "admin",
    "mimin": "admin",
    "sis": "kak",
    "bos": "kak",
    "bang": "kak",
    "mas": "kak",
    "mba": "kak",
    "mbak": "kak",
}

# Words that turn the opinion after them around ("tidak bagus", "kurang cepat").
NEGATORS = frozenset({"tidak", "bukan", "belum", "jangan", "kurang", "tanpa", "not", "no"})
# Words that strengthen the opinion next to them ("bagus banget", "sangat kecewa").
INTENSIFIERS: dict[str, float] = {
    "banget": 1.5,
    "sangat": 1.5,
    "sekali": 1.4,
    "benar": 1.3,
    "terlalu": 1.3,
    "amat": 1.5,
    "super": 1.5,
    "paling": 1.4,
    "sungguh": 1.4,
    "parah": 1.3,
    "very": 1.5,
    "so": 1.3,
    "really": 1.4,
    "too": 1.3,
}
# Intensifiers that usually follow their word ("bagus banget"); the rest lead ("sangat bagus").
TRAILING_INTENSIFIERS = frozenset({"banget", "sekali", "parah"})
# Contrast words end a negation scope and, in chat, carry the main opinion after them.
CONTRAST = frozenset({"tapi", "but", "padahal", "sayangnya", "walaupun", "meskipun"})
NEGATION_SCOPE = 3

# Our own emoji and emoticon table: the training data holds none, so these map to
# sentiment tokens whose weights the training script sets by hand (see EMOJI_WEIGHTS there).
POSITIVE_EMOJI = frozenset(
    "😀😃😄😁😆😊☺😍🥰😘😗😙😚😋😎🤩🥳👍👌👏🙌🙏💪❤💕💖💗💘💝💞💓♥🌹🎉✨⭐🌟💯🔥😇🤗🆗✅"
)
NEGATIVE_EMOJI = frozenset("😞😔😟😕🙁☹😣😖😫😩😢😭😤😠😡🤬👎💔😒🙄😑😐🤮🤢😱😨😰😓❌🚫💩😿")
POSITIVE_EMOTICONS = frozenset(
    {":)", ":-)", ":d", ":-d", "=)", ":]", ";)", ";-)", "<3", "xd", ":p", ":-p", "^^", "^_^"}
)
NEGATIVE_EMOTICONS = frozenset(
    {":(", ":-(", ":'(", "=(", ":[", ":/", ":-/", ">:(", "-_-", "t_t", "</3", ":|"}
)
EMO_POS = "<emo+>"
EMO_NEG = "<emo->"


def _split(words: str) -> list[str]:
    return words.split()


# Messages made only of these carry no opinion ("ok", "siap kak", "halo min"), however the
# training reviews used the words.
PHATIC = frozenset(
    _split(
        """ok oke okay okey okeh k sip siap siapp baik iya ya yaa yah y yup yes no tidak nggak
        halo hallo hai hi hello helo hey pagi siang sore malam selamat kak gan admin bro sob
        min mas mbak pak bu ibu bapak om tante nya saya kamu noted done start help menu stop
        test tes p ping assalamualaikum waalaikumsalam salam permisi"""
    )
)


_STOP = (".", 1.0)
_BANG = ("!", 1.3)
_EMO_POS = (EMO_POS, 1.0)
_EMO_NEG = (EMO_NEG, 1.0)
# Bag-of-words marker for "!!" (an opinion said louder) and for an elongated word.
EMPHASIS = 1.3

_TOKEN_RE = re.compile(
    r"""
    (?P<emoticon>(?<!\w)(?:>:\(|:'\(|</3|<3|[:;=][-']?[()\[\]dp/|]|\^_?\^|-_-|t_t|xd)(?!\w))
    | (?P<word>[a-z0-9]+(?:[-'][a-z0-9]+)*)
    | (?P<bang>!{2,})
    | (?P<stop>[.,;:?!()\[\]"]+)
    | (?P<other>[^\sa-z0-9])
    """,
    re.VERBOSE,
)
_ELONGATED_RE = re.compile(r"([a-z])\1{2,}")
_REDUP_RE = re.compile(r"^([a-z]{2,})(?:2|-\1)$")
# "-nya" is split off so "barangnya" and SmSA's pre-tokenised "barang nya" agree.
_NYA_KEEP = frozenset({"punya", "hanya", "karenanya", "bersamanya", "nya", "sebenarnya"})


@lru_cache(maxsize=65536)
def _split_word(word: str, vocabulary: frozenset[str]) -> tuple[tuple[str, float], ...]:
    """(normalised word, emphasis) pieces for one raw word; cached, words repeat a lot."""
    return tuple(_split_word_uncached(word, vocabulary))


def _split_word_uncached(word: str, vocabulary: frozenset[str]) -> Iterator[tuple[str, float]]:
    emphasis = 1.0
    if _ELONGATED_RE.search(word):
        # "mantaaap" -> "mantap", but keep a genuine double letter when only that is a known
        # word ("maaaf" -> "maaf").
        double = _ELONGATED_RE.sub(r"\1\1", word)
        single = _ELONGATED_RE.sub(r"\1", word)
        if single in vocabulary or single in SLANG:
            word = single
        else:
            word = double if double in vocabulary or double in SLANG else single
        emphasis = EMPHASIS
    redup = _REDUP_RE.match(word)
    if redup:
        # Reduplication ("bener2", "enak-enak") reads as plural or as emphasis.
        word = redup.group(1)
        emphasis = max(emphasis, 1.2)
    word = SLANG.get(word, word)
    for piece in word.split():
        if piece.endswith("nya") and len(piece) >= 6 and piece not in _NYA_KEEP:
            stem = SLANG.get(piece[:-3], piece[:-3])
            yield stem, emphasis
            yield "nya", 1.0
        else:
            yield piece, emphasis


def tokens(text: str, vocabulary: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
    """Normalised tokens with their emphasis; punctuation kept as "." boundaries.

    `vocabulary` (the model's known words) only decides how elongated words collapse.
    """
    out: list[tuple[str, float]] = []
    for emoticon, word, bang, stop, other in _TOKEN_RE.findall(text.lower()):
        if word:
            out.extend(_split_word(word, vocabulary))
        elif stop:
            out.append(_STOP)
        elif bang:
            out.append(_BANG)
        elif emoticon:
            if emoticon in POSITIVE_EMOTICONS:
                out.append(_EMO_POS)
            elif emoticon in NEGATIVE_EMOTICONS:
                out.append(_EMO_NEG)
        elif other in POSITIVE_EMOJI:
            out.append(_EMO_POS)
        elif other in NEGATIVE_EMOJI:
            out.append(_EMO_NEG)
    return out


def features(text: str, vocabulary: frozenset[str] = frozenset()) -> dict[str, float]:
    """Sparse bag of features of a text; see `token_features`."""
    return token_features(tokens(text, vocabulary))


def token_features(toks: list[tuple[str, float]]) -> dict[str, float]:
    """Sparse bag of features: unigrams (negated ones prefixed "~"), bigrams, emoji marks.

    Intensifiers and emphasis do not become features of their own; they scale the value
    of the opinion word next to them, so "bagus banget" weighs more than "bagus".
    """
    feats: dict[str, float] = {}
    negated = 0  # how many more words the last negator still covers
    boost = 1.0  # pending intensifier before the next word
    prev: str | None = None
    last_unigram: str | None = None
    for word, emphasis in toks:
        if word in (".", "!"):
            if word == "!" and last_unigram is not None:
                feats[last_unigram] = feats[last_unigram] * EMPHASIS
            negated, boost, prev = 0, 1.0, None
            continue
        if word in INTENSIFIERS:
            if word in TRAILING_INTENSIFIERS and last_unigram is not None and prev is not None:
                feats[last_unigram] = feats[last_unigram] * INTENSIFIERS[word]
            else:
                boost = max(boost, INTENSIFIERS[word])
            prev = word
            continue
        if word in CONTRAST:
            negated = 0
        if word in NEGATORS:
            feats[word] = feats.get(word, 0.0) + 1.0
            if prev is not None:
                feats[f"{prev} {word}"] = 1.0
            negated, prev = NEGATION_SCOPE, word
            last_unigram = word
            continue
        unigram = f"~{word}" if negated else word
        feats[unigram] = feats.get(unigram, 0.0) + emphasis * boost
        if prev is not None:
            feats[f"{prev} {word}"] = 1.0
        last_unigram = unigram
        negated = max(negated - 1, 0)
        boost = 1.0
        prev = word
    return feats


def scale(feats: dict[str, float]) -> dict[str, float]:
    """Divide by the square root of the number of features.

    Long reviews would otherwise get extreme scores and short chat texts timid ones. The
    count (not the vector length) is used so that an intensifier still strengthens a
    one-word text ("enak banget" over "enak").
    """
    root = math.sqrt(len(feats)) or 1.0
    return {k: v / root for k, v in feats.items()}


def emoji_counts(toks: list[tuple[str, float]]) -> tuple[int, int]:
    """(positive, negative) emoji and emoticons among the tokens."""
    positive = negative = 0
    for word, _ in toks:
        if word == EMO_POS:
            positive += 1
        elif word == EMO_NEG:
            negative += 1
    return positive, negative


def opinion_free(toks: list[tuple[str, float]]) -> bool:
    """True when the tokens are only greetings, acknowledgements, numbers or commands.

    Lone letters count too: "x", "q" or a mashed "xxxxxx" (collapsed to "x") say nothing,
    and the few reviews that used them gave their weights no meaning.
    """
    return all(w in PHATIC or w == "." or w == "!" or w.isdigit() or len(w) == 1 for w, _ in toks)
