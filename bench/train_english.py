"""Train the shipped English sentiment model (scoring/data/sentiment_en.json).

    python bench/train_english.py                  # from ../shared/data/sentiment/dev_en.csv
    python bench/train_english.py --data X.csv     # any CSV with text,label (lang=en rows)
    python bench/train_english.py --out Y.json     # write elsewhere
    python bench/train_english.py --folds 5        # also print cross-validated accuracy

A three-class logistic regression over the few features of
`scoring.sentiment_english.features` (the TextBlob and VADER scores and signs of how the
text is written), trained by plain SGD in pure Python with a fixed seed on standardized
features; the standardization is folded into the exported weights, which are rounded,
so a rebuild from the same CSV gives the same file byte for byte.

The data is the VADER human-rated ground truth (tweets and Amazon review snippets, MIT;
see scoring/data/NOTICE.md). Only weights are exported, never its texts. Scores of the
shipped model on that same file are in-sample: judge it by `--folds`, whose figure is
out-of-fold (each text scored by a model that never saw it).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scoring.polarity import softmax  # noqa: E402
from scoring.sentiment_english import CLASSES, FEATURES, features  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "sentiment" / "dev_en.csv"
OUT = ROOT / "scoring" / "data" / "sentiment_en.json"
SEED = 20261130
EPOCHS = 40
LEARNING_RATE = 0.02
L2 = 1e-3
DIGITS = 6

Example = tuple[tuple[float, ...], int]


def load_examples(path: Path) -> list[tuple[str, Example]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("lang", "en") == "en"]
    return [(r["text"], (features(r["text"]), CLASSES.index(r["label"]))) for r in rows]


def train(examples: list[Example]) -> dict[str, object]:
    """Fit on `examples`; return the exportable dict (weights on raw features)."""
    n, d = len(examples), len(FEATURES)
    mean = [sum(x[j] for x, _ in examples) / n for j in range(d)]
    std = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x, _ in examples) / n) or 1.0 for j in range(d)]
    data = [([(x[j] - mean[j]) / std[j] for j in range(d)], y) for x, y in examples]
    weights = [[0.0, 0.0, 0.0] for _ in range(d)]
    bias = [0.0, 0.0, 0.0]
    rng = random.Random(SEED)
    order = list(range(n))
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = LEARNING_RATE / (1.0 + 0.1 * epoch)
        for i in order:
            z, y = data[i]
            scores = list(bias)
            for v, w in zip(z, weights, strict=True):
                scores[0] += w[0] * v
                scores[1] += w[1] * v
                scores[2] += w[2] * v
            probs = softmax(*scores)
            grads = [p - (1.0 if c == y else 0.0) for c, p in enumerate(probs)]
            for c in range(3):
                bias[c] -= rate * grads[c]
            for v, w in zip(z, weights, strict=True):
                for c in range(3):
                    w[c] -= rate * (grads[c] * v + L2 * w[c])
    # Fold the standardization in: w·(x - mean)/std + b = (w/std)·x + (b - Σ w·mean/std).
    raw_weights = [[w[c] / std[j] for c in range(3)] for j, w in enumerate(weights)]
    raw_bias = [bias[c] - sum(raw_weights[j][c] * mean[j] for j in range(d)) for c in range(3)]
    return {
        "classes": list(CLASSES),
        "features": list(FEATURES),
        "trained_on": n,
        "bias": [round(b, DIGITS) for b in raw_bias],
        "weights": [[round(c, DIGITS) for c in w] for w in raw_weights],
    }


def predict(model: dict[str, object], x: tuple[float, ...]) -> int:
    scores = list(model["bias"])  # type: ignore[call-overload]
    for v, w in zip(x, model["weights"], strict=True):  # type: ignore[call-overload]
        for c in range(3):
            scores[c] += w[c] * v
    return max(range(3), key=lambda c: scores[c])


def fold_of(text: str, folds: int) -> int:
    digest = hashlib.sha256(("akrab-en-fold:" + text).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % folds


def cross_validate(named: list[tuple[str, Example]], folds: int) -> float:
    correct = 0
    for k in range(folds):
        model = train([ex for text, ex in named if fold_of(text, folds) != k])
        test = [ex for text, ex in named if fold_of(text, folds) == k]
        correct += sum(predict(model, x) == y for x, y in test)
    return correct / len(named)


def dump(model: dict[str, object]) -> str:
    return json.dumps(model, sort_keys=True, ensure_ascii=True, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--folds", type=int, default=0, help="k-fold accuracy to print")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"{args.data} not found: pass --data with the English dev CSV")
    named = load_examples(args.data)
    if args.folds > 1:
        accuracy = cross_validate(named, args.folds)
        print(f"{args.folds}-fold out-of-fold 3-class accuracy: {accuracy:.4f} (n={len(named)})")
    model = train([ex for _, ex in named])
    args.out.write_text(dump(model), encoding="utf-8")
    print(f"wrote {args.out} ({len(named)} texts)")


if __name__ == "__main__":
    main()
