"""The shipped Indonesian model: rebuilt byte for byte from bench/data, held-out slice."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from scoring.indonesian_text import features, tokens

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "scoring" / "data" / "sentiment_id.json"


def test_training_rebuilds_the_shipped_model(tmp_path: Path) -> None:
    out = tmp_path / "sentiment_id.json"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "train_sentiment.py"), "--out", str(out)],
        check=True,
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_licences_ship_beside_the_model() -> None:
    data = ROOT / "scoring" / "data"
    for name in ("LICENSE-IndoNLU-Apache-2.0.txt", "LICENSE-PRDECT-ID-MIT.txt", "NOTICE.md"):
        assert (data / name).is_file()
        assert (ROOT / "bench" / "data" / name.replace("NOTICE", "README")).is_file()


def test_tokens_normalise_slang_repeats_and_nya() -> None:
    assert [w for w, _ in tokens("brg nya mantaaap bgt")] == ["barang", "nya", "mantap", "banget"]
    assert [w for w, _ in tokens("barangnya gk sesuai")] == ["barang", "nya", "tidak", "sesuai"]


def test_negation_marks_the_following_words() -> None:
    feats = features("tidak enak, tapi murah")
    assert "~enak" in feats
    assert "enak" not in feats
    assert "murah" in feats  # the comma ends the negation scope


def test_intensifier_scales_its_word() -> None:
    assert features("enak banget")["enak"] > features("enak")["enak"]
    assert features("sangat enak")["enak"] > features("enak")["enak"]


def test_chat_rows_are_ours_and_distinct() -> None:
    with (ROOT / "bench" / "data" / "chat_id.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["text", "label", "lang", "source"]
        rows = list(reader)
    assert len(rows) >= 300
    assert {r["source"] for r in rows} == {"akrab-chat"}
    assert {r["lang"] for r in rows} == {"id"}
    assert {r["label"] for r in rows} == {"negative", "neutral", "positive"}
    assert len({r["text"] for r in rows}) == len(rows)
