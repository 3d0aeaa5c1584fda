"""Train the shipped Indonesian sentiment model from bench/data/train_id.csv and chat_id.csv.

    python bench/train_sentiment.py            # rewrites scoring/data/sentiment_id.json
    python bench/train_sentiment.py --out X    # writes elsewhere (the reproducibility test)

A multinomial logistic regression over `scoring.indonesian_text.features`, trained by
plain SGD in pure Python with a fixed shuffle seed, so the exported file is the same
byte for byte on any machine (floats are rounded before export, keys are sorted). No
numpy or scikit-learn: the run time needs neither and the rebuild stays exact.

The pool is the review corpora (`train_id.csv`: SmSA, PRDECT-ID) plus our own shop chat
(`chat_id.csv`, source `akrab-chat`). The chat rows are few (hundreds against ~16k
reviews) but they are what the bot sees, and they teach that stock, price, ongkir and
payment questions carry no opinion; each of them is trained on CHAT_REPEAT times per epoch
(the copies are plain repeats in the example list, so the run stays deterministic).

A deterministic slice of the pool (by a hash of the text, about 18% of every source and
label, chat rows included) is never trained on; `bench/sentiment_eval.py --heldout` scores it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scoring.indonesian_text import EMO_NEG, EMO_POS, features, scale  # noqa: E402
from scoring.polarity import softmax  # noqa: E402

DATA = ROOT / "bench" / "data" / "train_id.csv"
CHAT_DATA = ROOT / "bench" / "data" / "chat_id.csv"
POOL = (DATA, CHAT_DATA)
CHAT_SOURCE = "akrab-chat"
CHAT_REPEAT = 8  # how many times per epoch each (not held-out) chat row is trained on
OUT = ROOT / "scoring" / "data" / "sentiment_id.json"
CLASSES = ("negative", "neutral", "positive")
HELD_OUT_PER_MILLE = 180
SEED = 20241122
EPOCHS = 4
LEARNING_RATE = 0.5
L2 = 1e-5
MIN_DOCS = 2  # a feature seen in fewer training texts is dropped
DIGITS = 4
MIN_WEIGHT = 0.001  # smaller weights change no decision; leaving them out halves the file
# Hand-set weights (negative, neutral, positive) for features the data cannot teach: the
# training texts hold no emoji or emoticons.
FIXED_WEIGHTS: dict[str, tuple[float, float, float]] = {
    EMO_POS: (-1.5, -0.5, 2.0),
    EMO_NEG: (2.0, -0.5, -1.5),
}


def is_held_out(text: str) -> bool:
    """True for the ~18% of texts the model never trains on (stable across machines)."""
    digest = hashlib.sha256(("akrab-heldout:" + text).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 1000 < HELD_OUT_PER_MILLE


def load_rows(*paths: Path) -> list[dict[str, str]]:
    """Rows of the given CSV files (default: the whole pool, reviews then chat), in order."""
    rows: list[dict[str, str]] = []
    for path in paths or POOL:
        with path.open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


def train(rows: list[dict[str, str]]) -> dict[str, object]:
    """Fit the model on the rows that are not held out; return the exportable dict."""
    train_rows = [r for r in rows if not is_held_out(r["text"])]
    # Vocabulary first (it decides how elongated words collapse), then the features.
    raw = [features(r["text"]) for r in train_rows]
    vocabulary = frozenset(k for f in raw for k in f if " " not in k and k[0] != "~")
    docs = [features(r["text"], vocabulary) for r in train_rows]
    doc_freq: Counter[str] = Counter(k for f in docs for k in f)
    kept = {k for k, n in doc_freq.items() if n >= MIN_DOCS} | set(FIXED_WEIGHTS)
    examples = [
        (scale({k: v for k, v in f.items() if k in kept}), CLASSES.index(r["label"]))
        for f, r in zip(docs, train_rows, strict=True)
        for _ in range(CHAT_REPEAT if r["source"] == CHAT_SOURCE else 1)
    ]
    weights: dict[str, list[float]] = {k: [0.0, 0.0, 0.0] for k in sorted(kept)}
    rng = random.Random(SEED)
    order = list(range(len(examples)))
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = LEARNING_RATE / (1.0 + epoch)
        for i in order:
            x, y = examples[i]
            scores = [0.0, 0.0, 0.0]
            for k, v in x.items():
                w = weights[k]
                scores[0] += w[0] * v
                scores[1] += w[1] * v
                scores[2] += w[2] * v
            probs = softmax(*scores)
            grads = [p - (1.0 if c == y else 0.0) for c, p in enumerate(probs)]
            decay = 1.0 - rate * L2
            for k, v in x.items():
                w = weights[k]
                for c in range(3):
                    w[c] = w[c] * decay - rate * grads[c] * v
    for k, fixed in FIXED_WEIGHTS.items():
        weights[k] = list(fixed)
    exported = {
        k: [round(c, DIGITS) for c in w]
        for k, w in weights.items()
        if max(abs(c) for c in w) >= MIN_WEIGHT
    }
    return {
        "classes": list(CLASSES),
        "trained_on": len(train_rows),
        "weights": exported,
    }


def dump(model: dict[str, object]) -> str:
    return json.dumps(model, sort_keys=True, ensure_ascii=True, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="+", default=list(POOL))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    model = train(load_rows(*args.data))
    args.out.write_text(dump(model), encoding="utf-8")
    print(f"wrote {args.out} ({len(model['weights'])} features)")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
