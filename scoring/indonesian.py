"""The Indonesian sentiment analyzer, as a TextBlob analyzer.

`IndonesianAnalyzer` plugs into TextBlob like its English analyzers do
(`TextBlob(text, analyzer=IndonesianAnalyzer())`), so both languages share one interface.
It scores `scoring.indonesian_text.features` with a linear model trained on IndoNLU SmSA
and PRDECT-ID reviews and on our own shop-chat rows (see scoring/data/NOTICE.md and
bench/train_sentiment.py), shipped as scoring/data/sentiment_id.json, read once on first
use.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from textblob.base import CONTINUOUS, BaseSentimentAnalyzer

from scoring.indonesian_text import opinion_free, token_features, tokens
from scoring.polarity import Label, decide, softmax

MODEL_FILE = "sentiment_id.json"


@dataclass(frozen=True, slots=True)
class IndonesianSentiment:
    """What the analyzer returns: polarity in [-1, 1], its label, and the class probabilities."""

    polarity: float
    label: Label
    probabilities: tuple[float, float, float]  # negative, neutral, positive


@dataclass(frozen=True, slots=True)
class _Model:
    weights: dict[str, tuple[float, float, float]]
    vocabulary: frozenset[str]


@cache
def _model() -> _Model:
    raw = json.loads(resources.files("scoring").joinpath("data", MODEL_FILE).read_text("utf-8"))
    if raw["classes"] != ["negative", "neutral", "positive"]:
        raise ValueError(f"unexpected classes in {MODEL_FILE}: {raw['classes']}")
    weights = {k: (float(w[0]), float(w[1]), float(w[2])) for k, w in raw["weights"].items()}
    vocabulary = frozenset(k for k in weights if " " not in k and not k.startswith("~"))
    return _Model(weights=weights, vocabulary=vocabulary)


def vocabulary() -> frozenset[str]:
    """The plain words the model knows (language detection uses them as Indonesian evidence)."""
    return _model().vocabulary


_NEUTRAL = IndonesianSentiment(0.0, "neutral", (0.0, 1.0, 0.0))


def score(text: str) -> IndonesianSentiment:
    """Sentiment of one Indonesian (or Indonesian-English) text."""
    model = _model()
    toks = tokens(text, model.vocabulary)
    if opinion_free(toks):
        return _NEUTRAL
    get = model.weights.get
    neg = neu = pos = 0.0
    count = 0
    for k, v in token_features(toks).items():
        w = get(k)
        if w is not None:
            count += 1
            neg += w[0] * v
            neu += w[1] * v
            pos += w[2] * v
    if not count:
        return _NEUTRAL
    # Scaled as in training (scoring.indonesian_text.scale).
    norm = math.sqrt(count)
    p = softmax(neg / norm, neu / norm, pos / norm)
    polarity, label = decide(p)
    return IndonesianSentiment(polarity, label, p)


class IndonesianAnalyzer(BaseSentimentAnalyzer):
    """TextBlob sentiment analyzer for Indonesian chat and review text."""

    kind = CONTINUOUS

    def train(self) -> None:
        # The model is trained offline (bench/train_sentiment.py); "training" here just loads it.
        _model()
        super().train()

    def analyze(self, text: str) -> IndonesianSentiment:  # type: ignore[override]
        if not self._trained:
            self.train()
        return score(text)
