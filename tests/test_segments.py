"""Segments, the declining flag and explain(): edges of every threshold; the reasons as codes,
and as the owner reads them in both languages (rendered by bot.services.customer_report)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.services import customer_report
from bot.services.customer_report import because
from bot.texts import t
from scoring.ces import CesConfig, RawMeasures, compute
from scoring.segments import SEGMENTS, Reason, explain, is_declining, segment_for

CFG = CesConfig.default()
SHOP = replace(CFG, shop_has_purchases=True)
REGULAR = RawMeasures(days_since_first_seen=100.0, active_days_total=10)
NOW = datetime(2025, 3, 31, 12, 0, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_segments_are_the_documented_four() -> None:
    assert SEGMENTS == ("new", "advocate", "potential", "at_risk")


@pytest.mark.parametrize(
    ("ces", "expected"),
    [
        (100.0, "advocate"),
        (70.0, "advocate"),
        (69.99, "potential"),
        (40.0, "potential"),
        (39.99, "at_risk"),
        (0.0, "at_risk"),
        (None, "new"),
    ],
)
def test_segment_for_ces_thresholds(ces: float | None, expected: str) -> None:
    assert segment_for(ces, REGULAR, CFG) == expected


@pytest.mark.parametrize(
    ("first_seen", "active_days", "expected"),
    [
        (13.9, 2, "new"),
        (0.0, 0, "new"),
        (14.0, 2, "at_risk"),
        (13.9, 3, "at_risk"),
        (30.0, 1, "at_risk"),
    ],
)
def test_segment_for_new_customers(first_seen: float, active_days: int, expected: str) -> None:
    raw = RawMeasures(days_since_first_seen=first_seen, active_days_total=active_days)
    assert segment_for(10.0, raw, CFG) == expected


def test_segment_for_configured_thresholds() -> None:
    cfg = CesConfig.from_mapping({"advocate_min": 80, "potential_min": 50, "new_active_days": 1})
    assert segment_for(75.0, REGULAR, cfg) == "potential"
    assert segment_for(45.0, REGULAR, cfg) == "at_risk"
    assert segment_for(10.0, RawMeasures(days_since_first_seen=1.0, active_days_total=1), cfg) == (
        "at_risk"
    )


def test_compute_sets_the_segment() -> None:
    raw = replace(REGULAR, days_since_last_inbound=0.0, active_days_30=8, referrals=2)
    assert compute(raw, CFG).segment == "advocate"


@pytest.mark.parametrize(
    ("current", "history", "expected"),
    [
        (65.0, [(days_ago(7), 80.0)], True),
        (65.01, [(days_ago(7), 80.0)], False),
        (55.3, [(days_ago(1), 70.3)], True),  # 15.000000000000004 or 14.99...96: rounded first
        (65.0, [(days_ago(14), 80.0)], True),
        (65.0, [(days_ago(14) - timedelta(seconds=1), 80.0)], False),
        (65.0, [(NOW + timedelta(days=1), 80.0)], False),
        (74.0, [(days_ago(20), 100.0), (days_ago(10), 70.0), (days_ago(3), 90.0)], True),
        (80.0, [(days_ago(1), 50.0)], False),
        (10.0, [(days_ago(1), None)], False),
        (10.0, [], False),
        (None, [(days_ago(1), 80.0)], False),
    ],
)
def test_is_declining(
    current: float | None, history: list[tuple[datetime, float | None]], expected: bool
) -> None:
    assert is_declining(current, history, NOW, CFG) is expected


def test_is_declining_configured_drop_and_window() -> None:
    cfg = CesConfig.from_mapping({"declining_drop": 10, "declining_days": 30})
    assert is_declining(60.0, [(days_ago(25), 70.0)], NOW, cfg) is True


LAPSED = RawMeasures(
    days_since_last_inbound=34.6,
    ratings=1,
    csat_mean=4.0,
    last_csat=4,
    days_since_first_seen=200.0,
    active_days_total=12,
)
ADVOCATE = RawMeasures(
    active_days_30=8,
    days_since_last_inbound=1.0,
    feedback_texts=2,
    referrals=1,
    spend=Decimal(250_000),
    sentiment_mean=0.5,
    days_since_first_seen=90.0,
    active_days_total=30,
)


@pytest.mark.parametrize(
    ("raw", "cfg", "en", "id_"),
    [
        (
            LAPSED,
            CFG,
            "no message for 34 days; last rating 4/5",
            "tidak ada pesan selama 34 hari; rating terakhir 4/5",
        ),
        (
            ADVOCATE,
            SHOP,
            "active on 8 of the last 30 days; mostly positive messages",
            "aktif 8 dari 30 hari terakhir; pesan umumnya positif",
        ),
        (
            replace(REGULAR, active_days_30=3, days_since_last_inbound=3.0, sentiment_mean=-0.4),
            CFG,
            "active on 3 of the last 30 days; last message 3 days ago",
            "aktif 3 dari 30 hari terakhir; pesan terakhir 3 hari lalu",
        ),
        (  # an advocate: the strongest component first
            replace(REGULAR, active_days_30=8, days_since_last_inbound=0.2),
            CFG,
            "active on 8 of the last 30 days; no feedback, ratings or referrals",
            "aktif 8 dari 30 hari terakhir; belum ada masukan, rating, atau referral",
        ),
        (
            replace(REGULAR, active_days_30=1, days_since_last_inbound=1.5),
            CFG,
            "active on 1 of the last 30 days; last message yesterday",
            "aktif 1 dari 30 hari terakhir; pesan terakhir kemarin",
        ),
        (
            RawMeasures(sentiment_mean=-0.4),
            CFG,
            "mostly negative messages",
            "pesan umumnya negatif",
        ),
        (RawMeasures(), CFG, "no activity yet", "belum ada aktivitas"),
        (RawMeasures(spend=Decimal(250_000)), SHOP, "spent 250,000", "belanja 250.000"),
        (RawMeasures(spend=Decimal("1234.5")), SHOP, "spent 1,234.50", "belanja 1.234,50"),
        (RawMeasures(), SHOP, "no purchases", "belum ada pembelian"),
        (RawMeasures(referrals=1), CFG, "1 referral", "1 referral"),
        (
            RawMeasures(feedback_texts=2, referrals=1, button_clicks=1),
            CFG,
            "2 feedback messages, 1 referral and 1 button tap",
            "2 masukan, 1 referral dan 1 klik tombol",
        ),
        (RawMeasures(sentiment_mean=0.0), CFG, "neutral messages", "pesan netral"),
        (RawMeasures(csat_mean=3.5), CFG, "average rating 3.5/5", "rata-rata rating 3,5/5"),
        (RawMeasures(nps_mean=8.0), CFG, "recommendation score 8/10", "skor rekomendasi 8/10"),
    ],
)
def test_explain(raw: RawMeasures, cfg: CesConfig, en: str, id_: str) -> None:
    reasons = explain(raw, compute(raw, cfg))
    assert (because("en", reasons), because("id", reasons)) == (en, id_)


def test_explain_gives_codes_and_values_not_words() -> None:
    assert explain(LAPSED, compute(LAPSED, CFG)) == (
        Reason("silent_days", {"days": 34}),
        Reason("last_rating", {"score": 4}),
    )
    spender = RawMeasures(spend=Decimal("1234.5"))
    assert explain(spender, compute(spender, SHOP)) == (
        Reason("spent", {"amount": Decimal("1234.5")}),
    )
    raw = RawMeasures(feedback_texts=2, referrals=1)
    assert explain(raw, compute(raw, CFG)) == (
        Reason("depth", {"feedback": 2, "ratings": 0, "referrals": 1, "button_clicks": 0}),
    )
    assert explain(RawMeasures(), compute(RawMeasures(), CFG)) == (Reason("no_activity"),)


def test_explain_lapsed_without_other_data_names_the_silence_once() -> None:
    raw = replace(REGULAR, days_since_last_inbound=40.0)
    cfg = CesConfig.from_mapping({"weights": {"frequency": 1, "recency": 1}})
    assert explain(raw, compute(raw, cfg)) == (Reason("silent_days", {"days": 40}),)
    assert because("en", explain(raw, compute(raw, cfg))) == "no message for 40 days"


def test_reasons_in_another_language_read_as_english() -> None:
    assert because("fr", explain(LAPSED, compute(LAPSED))) == (
        "no message for 34 days; last rating 4/5"
    )


def test_the_trend_word_describes_the_points_shown() -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    # Two old low scores, then eight flat ones: the eight shown are flat, whatever came before.
    series = [(start + timedelta(days=d), 20.0 if d < 2 else 60.0) for d in range(10)]
    assert customer_report.trend_word(series[-8:], "en") == t("en", "trend_flat")
    assert customer_report.trend_word(series, "en") == t("en", "trend_rising")
    shown = customer_report.render(
        name="Sari",
        raw=REGULAR,
        result=compute(REGULAR, CFG),
        declining=False,
        series=series,
        lang="en",
    )
    trend_line = next(line for line in shown.splitlines() if "→" in line)
    assert trend_line.endswith(t("en", "trend_flat"))
    assert trend_line.count("→") == 7
