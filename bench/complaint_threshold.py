"""How COMPLAINT_POLARITY splits the labelled dev sets: the share of negative texts that count
as complaints (recall) and of the others that would wrongly count (false alarms), per threshold.

    .venv/bin/python bench/complaint_threshold.py [--data /work/shared/data/sentiment]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from scoring.sentiment import analyze

THRESHOLDS = (-0.2, -0.3, -0.4, -0.5, -0.6, -0.7, -0.8)
ROUTINE = ("kak, ukuran L masih ada?", "ongkir ke Bandung berapa ya kak?", "is size L available?")
COMPLAINTS = ("pesanan saya belum sampai udah seminggu, kecewa banget",)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data/sentiment"))
    args = parser.parse_args()
    for name in ("dev_id.csv", "dev_en.csv"):
        with (args.data / name).open(encoding="utf-8") as file:
            scored = [(analyze(r["text"]).polarity, r["label"]) for r in csv.DictReader(file)]
        negative = [p for p, label in scored if label == "negative"]
        other = [p for p, label in scored if label != "negative"]
        print(f"{name}: {len(negative)} negative, {len(other)} neutral or positive")
        for threshold in THRESHOLDS:
            recall = sum(p <= threshold for p in negative) / len(negative)
            alarms = sum(p <= threshold for p in other) / len(other)
            print(f"  <= {threshold:+.1f}: recall {recall:6.1%}  false alarms {alarms:5.1%}")
    for text in ROUTINE + COMPLAINTS:
        print(f"  {analyze(text).polarity:+.3f}  {text}")


if __name__ == "__main__":
    main()
