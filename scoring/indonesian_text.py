"""Indonesian chat text to model features: tokens, slang, negation, intensity and emoji.

The word lists are in `scoring.indonesian_words`.

Shared by the run-time analyzer (`scoring.indonesian`) and the training script
(`bench/train_sentiment.py`), so the shipped model sees exactly the features it was
trained on. Pure functions over the standard library; no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import lru_cache

from scoring.indonesian_words import (
    CONTRAST,
    EMO_NEG,
    EMO_POS,
    INTENSIFIERS,
    NEGATION_SCOPE,
    NEGATIVE_EMOJI,
    NEGATIVE_EMOTICONS,
    NEGATORS,
    PHATIC,
    POSITIVE_EMOJI,
    POSITIVE_EMOTICONS,
    SLANG,
    TRAILING_INTENSIFIERS,
)

__all__ = [
    "EMO_NEG",
    "EMO_POS",
    "SLANG",
    "emoji_counts",
    "features",
    "opinion_free",
    "scale",
    "token_features",
    "tokens",
]

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
