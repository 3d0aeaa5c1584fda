"""Sentiment of one customer text (placeholder: TextBlob only, to be replaced by issue 3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from textblob import TextBlob

ANALYZER_VERSION = 1
Label = Literal["positive", "negative", "neutral"]


@dataclass(frozen=True, slots=True)
class Sentiment:
    polarity: float
    label: Label
    lang: str


def _label(polarity: float) -> Label:
    if polarity > 0.05:
        return "positive"
    if polarity < -0.05:
        return "negative"
    return "neutral"


def analyze(text: str) -> Sentiment:
    polarity = float(TextBlob(text).sentiment.polarity) if text.strip() else 0.0
    return Sentiment(polarity=polarity, label=_label(polarity), lang="en")


def analyze_many(texts: Iterable[str]) -> list[Sentiment]:
    return [analyze(t) for t in texts]
