"""The English analyzer: chat behaviour, routing of English text, and the model's training."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import sentiment_english
from scoring.sentiment import analyze

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT / "bench" / "train_english.py"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Thank you!!! great service", "positive"),
        ("Good quality, fast shipping, will buy again :)", "positive"),
        ("love it 😍", "positive"),
        ("great camera great camera.", "positive"),
        ("The parcel arrived late and damaged.", "negative"),
        ("It broke after two days, very disappointed.", "negative"),
        ("not happy with the packaging", "negative"),
        ("terrible 😡", "negative"),
        # Questions, facts and links carry no opinion, though a lexicon word may be in them.
        ("What time do you open tomorrow?", "neutral"),
        ("Do you ship to Surabaya?", "neutral"),
        ("the bag is black, size M.", "neutral"),
        ("New menu is up: http://example.com/menu", "neutral"),
        ("My order number is 4471.", "neutral"),
        ("Please check my order, number 4471", "neutral"),
    ],
)
def test_english_chat(text: str, label: str) -> None:
    result = analyze(text)
    assert (result.lang, result.label) == ("en", label)


@pytest.mark.parametrize(
    "text",
    [
        "great mp3 player.",  # "player" is also in the Indonesian reviews
        "loved the slim design.",
        "@friend haha SAMESIES :D",  # the "d" of ":D" is no word
        "Awesome comp over at Ann's blog",
    ],
)
def test_english_words_borrowed_by_indonesian_still_route_to_english(text: str) -> None:
    assert analyze(text).lang == "en"


@pytest.mark.parametrize(
    "text",
    ["packing rapi, seller ramah, recommended", "barangnya bagus, fast response", "Thank ya!!!"],
)
def test_code_mixed_indonesian_stays_indonesian_and_positive(text: str) -> None:
    assert (analyze(text).lang, analyze(text).label) == ("id", "positive")


def test_probabilities_are_a_distribution_and_decide_the_label() -> None:
    for text in ("great", "awful", "where is it?"):
        result = sentiment_english.score(text)
        assert sum(result.probabilities) == pytest.approx(1.0)
        best = max(range(3), key=lambda c: result.probabilities[c])
        assert result.label == sentiment_english.CLASSES[best]


def test_shipped_model_matches_the_features() -> None:
    shipped = json.loads((ROOT / "scoring" / "data" / "sentiment_en.json").read_text("utf-8"))
    assert shipped["features"] == list(sentiment_english.FEATURES)
    assert len(shipped["weights"]) == len(sentiment_english.FEATURES)
    assert (ROOT / "scoring" / "data" / "LICENSE-vaderSentiment-MIT.txt").is_file()


def _write_pool(path: Path) -> None:
    positive = ["great service", "love it!", "awesome, thanks :)", "very good quality"]
    negative = ["awful service", "hate it", "terrible, broken :(", "very bad quality"]
    neutral = ["where is my parcel?", "see http://x.example", "size M please", "order 12"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label", "lang"])
        for i in range(5):
            for label, texts in (("positive", positive), ("negative", negative)):
                writer.writerows([f"{t} {i}", label, "en"] for t in texts)
            writer.writerows([f"{t} {i}", "neutral", "en"] for t in neutral)
        writer.writerow(["barangnya bagus", "positive", "id"])  # other languages are skipped


def _train(data: Path, out: Path) -> str:
    done = subprocess.run(
        [sys.executable, str(TRAIN), "--data", str(data), "--out", str(out), "--folds", "3"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout


def test_training_is_reproducible_and_learns_the_classes(tmp_path: Path) -> None:
    data = tmp_path / "pool.csv"
    _write_pool(data)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    report = _train(data, first)
    _train(data, second)
    assert first.read_bytes() == second.read_bytes()
    assert "3-fold out-of-fold 3-class accuracy" in report
    model = json.loads(first.read_text("utf-8"))
    assert model["trained_on"] == 60
    # The VADER weight pushes towards "positive" and away from "negative".
    vader = model["weights"][sentiment_english.FEATURES.index("vader")]
    assert vader[2] > 0 > vader[0]
