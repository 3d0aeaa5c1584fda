"""Accuracy, speed and memory of `scoring.sentiment.analyze` on labelled CSV files.

    python bench/sentiment_eval.py                      # the dev sets, if present
    python bench/sentiment_eval.py a.csv b.csv          # any CSV with text,label,lang
    python bench/sentiment_eval.py --heldout            # pool rows never trained on
    python bench/sentiment_eval.py --errors 10 a.csv    # also show misclassified rows

Per group (language; source too for --heldout) it prints 3-class accuracy, macro-F1,
pos/neg accuracy (gold non-neutral rows, decided by the sign of the polarity) and how
often the detected language matched. Then throughput of one-by-one `analyze` calls
after warm-up, and peak memory: the Python heap traced while the analyzers load and
score every text, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.train_sentiment import POOL, is_held_out  # noqa: E402

DEV_DIR = Path("/work/shared/data/sentiment")
LABELS = ("negative", "neutral", "positive")
Row = dict[str, str]


def load(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["file"] = path.stem
    return rows


def macro_f1(gold: list[str], pred: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
        if tp + fp + fn:
            scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores) if scores else 0.0


def report(name: str, rows: list[Row], results: list[object], errors: int) -> None:
    gold = [r["label"] for r in rows]
    pred = [res.label for res in results]  # type: ignore[attr-defined]
    acc3 = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(rows)
    polar = [
        (r["label"], res.polarity)  # type: ignore[attr-defined]
        for r, res in zip(rows, results, strict=True)
        if r["label"] != "neutral"
    ]
    acc2 = (
        sum((g == "positive" and p > 0) or (g == "negative" and p < 0) for g, p in polar)
        / len(polar)
        if polar
        else float("nan")
    )
    lang_ok = sum(
        r["lang"] == res.lang  # type: ignore[attr-defined]
        for r, res in zip(rows, results, strict=True)
    ) / len(rows)
    print(
        f"{name:<28} n={len(rows):>5}  acc3={acc3:.4f}  macroF1={macro_f1(gold, pred):.4f}  "
        f"acc2(pos/neg)={acc2:.4f}  lang={lang_ok:.4f}"
    )
    shown = 0
    for r, res in zip(rows, results, strict=True):
        if shown >= errors:
            break
        if r["label"] != res.label:  # type: ignore[attr-defined]
            shown += 1
            print(f"    gold={r['label']:<8} got={res!r}  {r['text'][:140]!r}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="*", type=Path, help="CSV files with text,label,lang")
    parser.add_argument("--heldout", action="store_true", help="held-out rows of the training pool")
    parser.add_argument("--errors", type=int, default=0, help="misclassified rows to show")
    args = parser.parse_args(argv)

    rows: list[Row] = []
    if args.heldout:
        rows = [r for path in POOL for r in load(path) if is_held_out(r["text"])]
        for r in rows:
            r["file"] = f"heldout-{r['source']}"
    paths = args.csv or ([] if args.heldout else sorted(DEV_DIR.glob("dev_*.csv")))
    for path in paths:
        rows.extend(load(path))
    if not rows:
        parser.error("no data: pass CSV files or --heldout")

    tracemalloc.start()
    from scoring import sentiment

    # Warm-up loads both analyzers (untimed, as the bot pays it once per process).
    started = time.perf_counter()
    sentiment.analyze("barangnya bagus")
    sentiment.analyze("this is great")
    load_s = time.perf_counter() - started
    results = [sentiment.analyze(r["text"]) for r in rows]
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[f"{r['file']}/{r['lang']}"].append(i)
        groups[f"all/{r['lang']}"].append(i)
    for name in sorted(groups):
        idx = groups[name]
        report(name, [rows[i] for i in idx], [results[i] for i in idx], args.errors)

    texts = [r["text"] for r in rows]
    started = time.perf_counter()
    for text in texts:
        sentiment.analyze(text)
    elapsed = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"first load: {load_s:.2f} s")
    print(f"throughput: {len(texts) / elapsed:,.0f} texts/s ({len(texts)} texts, one process)")
    print(f"peak memory: Python heap {heap_peak / 2**20:.1f} MB (traced), ", end="")
    print(f"process RSS {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
