"""From class probabilities (negative, neutral, positive) to a polarity and its label.

Both sentiment models are three-class linear classifiers. Their label is the most
probable class; their polarity is P(positive) - P(negative), kept on the side of the
neutral band (|polarity| <= NEUTRAL_BAND) that agrees with the label, so that
`scoring.sentiment` can always derive the label back from the polarity.
"""

from __future__ import annotations

import math
from typing import Literal

Label = Literal["positive", "negative", "neutral"]
NEUTRAL_BAND = 0.05


def softmax(neg: float, neu: float, pos: float) -> tuple[float, float, float]:
    top = max(neg, neu, pos)
    e_neg, e_neu, e_pos = math.exp(neg - top), math.exp(neu - top), math.exp(pos - top)
    total = e_neg + e_neu + e_pos
    return e_neg / total, e_neu / total, e_pos / total


def decide(p: tuple[float, float, float]) -> tuple[float, Label]:
    """(polarity, label) of the probabilities `p` = (negative, neutral, positive)."""
    spread = p[2] - p[0]
    if p[1] >= p[0] and p[1] >= p[2]:
        return spread * NEUTRAL_BAND * 0.99, "neutral"
    if p[2] > p[0]:
        return max(spread, NEUTRAL_BAND + 0.01), "positive"
    return min(spread, -NEUTRAL_BAND - 0.01), "negative"
