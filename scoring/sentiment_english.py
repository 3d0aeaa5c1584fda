"""The English sentiment analyzer for chat text: TextBlob and VADER, combined by a small model.

TextBlob's pattern lexicon alone misses most of what chat adds to a sentence (emoji,
"!!!", ALL CAPS, slang, "but" clauses) and reads many tweets as neutral; VADER was built
for that text but calls a headline with a link or a plain product fact positive as soon
as one word in it is. Neither decides "neutral" well. So both lexicons' scores, with a few
signs of how the text is written (a link, a mention, a question, "!", emoji, length,
capitals), are features of a three-class logistic regression whose weights ship in
scoring/data/sentiment_en.json (trained by bench/train_english.py; see NOTICE.md).
Lexicons and weights load lazily, once, and are only read afterwards.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from textblob.base import CONTINUOUS, BaseSentimentAnalyzer

from scoring.indonesian_text import emoji_counts, tokens
from scoring.polarity import Label, decide, softmax

MODEL_FILE = "sentiment_en.json"
CLASSES = ("negative", "neutral", "positive")
# The model's inputs, in order (`features` computes them).
FEATURES = (
    "textblob",
    "textblob_subjectivity",
    "textblob_x_subjectivity",
    "vader",
    "vader_pos",
    "vader_neg",
    "vader_neu",
    "vader_strength",
    "link",
    "mention",
    "retweet",
    "question",
    "exclaims",
    "emoji_pos",
    "emoji_neg",
    "log_words",
    "capitals",
)

# TextBlob's own tokenizer is the slow part of its analyzer; its lexicon only needs lower
# case words, "!" (which it uses to boost the word before) and emoticons it knows.
_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|!|[:;=8x][-o^']?[()\[\]dpo/\\|*3]+", re.IGNORECASE)
_LINK_RE = re.compile(r"https?://|www\.|url_removed", re.IGNORECASE)
_MENTION_RE = re.compile(r"(?:^|\s)@\w")


@dataclass(frozen=True, slots=True)
class EnglishSentiment:
    """What the analyzer returns: polarity, label, class probabilities and the lexicons'."""

    polarity: float
    label: Label
    probabilities: tuple[float, float, float]  # negative, neutral, positive
    textblob: float
    vader: float


@cache
def _textblob_lexicon() -> Any:
    from textblob.en import sentiment  # loads en-sentiment.xml on first call

    return sentiment


@cache
def _textblob_words() -> frozenset[str]:
    return frozenset(_textblob_lexicon())


# VADER lexicon entries that are no opinion in a customer's message to a shop:
# "order number 4471", "please check my order".
_VADER_NOT_OPINION = ("number", "please")


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    for word in _VADER_NOT_OPINION:
        analyzer.lexicon.pop(word, None)
    return analyzer


@dataclass(frozen=True, slots=True)
class _Model:
    bias: tuple[float, float, float]
    weights: tuple[tuple[float, float, float], ...]  # one row per entry of FEATURES


@cache
def _model() -> _Model:
    raw = json.loads(resources.files("scoring").joinpath("data", MODEL_FILE).read_text("utf-8"))
    if raw["classes"] != list(CLASSES) or raw["features"] != list(FEATURES):
        raise ValueError(f"{MODEL_FILE} does not match this code's classes and features")
    rows = tuple((float(a), float(b), float(c)) for a, b, c in raw["weights"])
    a, b, c = raw["bias"]
    return _Model(bias=(float(a), float(b), float(c)), weights=rows)


def lexicon_words() -> frozenset[str]:
    """Plain words of the TextBlob and VADER lexicons (English evidence for routing)."""
    words = set(_textblob_lexicon()) | set(_vader().lexicon)
    return frozenset(w for w in words if w.isalpha())


@cache
def common_words() -> frozenset[str]:
    """English words seen at least twice in the corpus behind TextBlob's spelling corrector
    (en-spelling.txt, shipped with TextBlob: Project Gutenberg, Wiktionary and BNC lists)."""
    import textblob.en

    words = set()
    path = resources.files(textblob.en).joinpath("en-spelling.txt")
    for line in path.read_text("utf-8").splitlines():
        if line.startswith(";;;"):
            continue
        parts = line.split()
        if len(parts) == 2 and int(parts[1]) >= 2 and parts[0].isalpha():
            words.add(parts[0])
    return frozenset(words)


def textblob_scores(text: str) -> tuple[float, float]:
    """TextBlob's pattern-lexicon (polarity, subjectivity), on our faster tokenization."""
    words = [w.lower() for w in _WORD_RE.findall(text)]
    known = _textblob_words()
    # Only lexicon words and emoticons get assessed; skip TextBlob when there are none
    # (same result, and most chat lines take this path).
    if not any(w in known or not w.isalpha() and w != "!" for w in words):
        return 0.0, 0.0
    polarity, subjectivity = _textblob_lexicon()(words)
    return float(polarity), float(subjectivity)


def features(text: str) -> tuple[float, ...]:
    """The model's inputs for `text`, in the order of FEATURES."""
    tb, subjectivity = textblob_scores(text)
    vader = _vader().polarity_scores(text)
    emoji_pos, emoji_neg = emoji_counts(tokens(text))
    letters = sum(map(str.isalpha, text))
    return (
        tb,
        subjectivity,
        tb * subjectivity,
        float(vader["compound"]),
        float(vader["pos"]),
        float(vader["neg"]),
        float(vader["neu"]),
        abs(float(vader["compound"])),
        1.0 if _LINK_RE.search(text) else 0.0,
        1.0 if _MENTION_RE.search(text) else 0.0,
        1.0 if text.lstrip().startswith("RT ") else 0.0,
        1.0 if "?" in text else 0.0,
        min(text.count("!"), 5) / 5,
        float(min(emoji_pos, 5)),
        float(min(emoji_neg, 5)),
        math.log1p(len(text.split())),
        sum(map(str.isupper, text)) / letters if letters else 0.0,
    )


def probabilities(x: tuple[float, ...]) -> tuple[float, float, float]:
    """Class probabilities (negative, neutral, positive) of a feature vector."""
    model = _model()
    neg, neu, pos = model.bias
    for v, (w_neg, w_neu, w_pos) in zip(x, model.weights, strict=True):
        neg += w_neg * v
        neu += w_neu * v
        pos += w_pos * v
    return softmax(neg, neu, pos)


def score(text: str) -> EnglishSentiment:
    x = features(text)
    p = probabilities(x)
    polarity, label = decide(p)
    return EnglishSentiment(polarity, label, p, textblob=x[0], vader=x[3])


class EnglishChatAnalyzer(BaseSentimentAnalyzer):
    """TextBlob sentiment analyzer for English chat text (TextBlob + VADER + our model)."""

    kind = CONTINUOUS

    def train(self) -> None:
        # The weights are trained offline (bench/train_english.py); here they just load.
        _textblob_lexicon()
        _vader()
        _model()
        super().train()

    def analyze(self, text: str) -> EnglishSentiment:  # type: ignore[override]
        if not self._trained:
            self.train()
        return score(text)
