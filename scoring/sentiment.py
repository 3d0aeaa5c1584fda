"""Sentiment of one customer text, Indonesian or English, scored offline.

`analyze` detects the language from the text itself (`scoring.sentiment_lang`) and routes
it: Indonesian (and Indonesian-English code-mixing) to our own `IndonesianAnalyzer`,
English to `EnglishChatAnalyzer` (TextBlob + VADER); both are TextBlob analyzers. Text
in another script, or with no words at all, is "other": neutral unless it is made of
emoji or emoticons whose sentiment is plain ("👍", ":(").

Pure and deterministic; models load lazily, once, and are only read afterwards, so
calls are safe from several threads (recent short texts are answered from a cache).
Scores are stored with `ANALYZER_VERSION`; bump it whenever a change here, in the shipped
model or in a dependency can change a score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Literal

from scoring.indonesian_text import emoji_counts, opinion_free, tokens
from scoring.polarity import NEUTRAL_BAND, Label
from scoring.sentiment_lang import detect

ANALYZER_VERSION = 3
Lang = Literal["id", "en", "other"]
THRESHOLD = NEUTRAL_BAND  # |polarity| up to this is neutral
# Polarity of a text that is nothing but emoji/emoticons, per net emoji (capped at 1).
EMOJI_ONLY_POLARITY = 0.5
# Opinion-free messages ("ok", "siap kak", "/start") are short; longer ones skip the check.
_SHORT = 64


@dataclass(frozen=True, slots=True)
class Sentiment:
    polarity: float  # in [-1, 1]
    label: Label
    lang: Lang


def _label(polarity: float) -> Label:
    if polarity > THRESHOLD:
        return "positive"
    if polarity < -THRESHOLD:
        return "negative"
    return "neutral"


def _emoji_polarity(text: str) -> float:
    positive, negative = emoji_counts(tokens(text))
    net = positive - negative
    return max(-1.0, min(1.0, EMOJI_ONLY_POLARITY * net))


if TYPE_CHECKING:
    from types import ModuleType


@cache
def _analyzers() -> tuple[ModuleType, ModuleType]:
    # Imported on first use: TextBlob pulls in NLTK, which the bot's start-up should not pay.
    from scoring import indonesian, sentiment_english

    return indonesian, sentiment_english


def analyze(text: str) -> Sentiment:
    """Polarity, label and language of one text."""
    if len(text) <= _CACHED_UP_TO:
        return _analyze_cached(text)
    return _analyze(text)


# Customers repeat themselves ("ok kak", "makasih", "siap", "👍"): the last few thousand short
# texts are kept with their result (pure, so a kept result is the one computed again).
_CACHED_UP_TO = 200


@lru_cache(maxsize=8192)
def _analyze_cached(text: str) -> Sentiment:
    return _analyze(text)


def _analyze(text: str) -> Sentiment:
    lang = detect(text)
    if lang == "en" and len(text) <= _SHORT and opinion_free(tokens(text)):
        # "ok", "yes", "hi": no opinion, although VADER reads "ok" as positive. (The
        # Indonesian analyzer makes the same check itself.)
        polarity = 0.0
    elif lang == "id":
        polarity = _analyzers()[0].score(text).polarity
    elif lang == "en":
        polarity = _analyzers()[1].score(text).polarity
    elif any(c.isalpha() for c in text):
        # Non-Latin scripts are beyond both analyzers: no opinion rather than a guess.
        polarity = 0.0
    else:
        # Nothing but emoji, emoticons, digits or punctuation: the emoji speak.
        polarity = _emoji_polarity(text)
    polarity = round(max(-1.0, min(1.0, polarity)), 6)
    return Sentiment(polarity=polarity, label=_label(polarity), lang=lang)


def analyze_many(texts: Iterable[str]) -> list[Sentiment]:
    return [analyze(t) for t in texts]
