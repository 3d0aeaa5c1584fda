"""CES formula: normalizations, availability and renormalization, config validation."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal

import pytest

from scoring.ces import (
    CesConfig,
    CesConfigError,
    RawMeasures,
    Weights,
    compute,
    compute_many,
    depth_points,
    normalize_depth,
    normalize_frequency,
    normalize_monetary,
    normalize_recency,
    normalize_satisfaction,
    normalize_sentiment,
    sentiment_weight,
    weighted_polarity,
    weighted_sum,
)

CFG = CesConfig.default()
SHOP = replace(CFG, shop_has_purchases=True)
THREE = {"frequency": 0.4, "recency": 0.3, "depth": 0.3}


def test_weighted_sum_worked_example_gives_65() -> None:
    scores = {"frequency": 80.0, "recency": 60.0, "depth": 50.0}
    assert weighted_sum(THREE, scores) == 65.0


def test_weighted_sum_of_80_60_70_is_71() -> None:
    # DESIGN.md says 0.4/0.3/0.3 on 80/60/70 gives 65; the arithmetic gives 32 + 18 + 21 = 71.
    scores = {"frequency": 80.0, "recency": 60.0, "depth": 70.0}
    assert weighted_sum(THREE, scores) == 71.0


def test_compute_worked_example_end_to_end_gives_65() -> None:
    cfg = CesConfig.from_mapping(
        {"weights": {"frequency": 0.4, "depth": 0.3, "sentiment": 0.3}, "frequency_target_days": 10}
    )
    raw = RawMeasures(active_days_30=8, days_since_last_inbound=1, ratings=3, sentiment_mean=0.0)
    result = compute(raw, cfg)
    assert result.ces == 65.0
    assert dict(result.components) == {"frequency": 80.0, "depth": 60.0, "sentiment": 50.0}
    assert dict(result.weights) == {"frequency": 0.4, "depth": 0.3, "sentiment": 0.3}


def test_weighted_sum_renormalizes_over_present_scores() -> None:
    assert weighted_sum(THREE, {"frequency": 80.0, "depth": 10.0}) == pytest.approx(50.0)


def test_weighted_sum_without_weight_raises() -> None:
    with pytest.raises(ValueError, match="no weight"):
        weighted_sum({"frequency": 0.0}, {"frequency": 80.0})


@pytest.mark.parametrize(
    ("days", "expected"), [(-1, 0.0), (0, 0.0), (1, 12.5), (4, 50.0), (8, 100.0), (30, 100.0)]
)
def test_normalize_frequency(days: int, expected: float) -> None:
    assert normalize_frequency(days, CFG) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(None, None), (-3.0, 100.0), (0.0, 100.0), (14.0, 50.0), (28.0, 25.0), (42.0, 12.5)],
)
def test_normalize_recency(days: float | None, expected: float | None) -> None:
    assert normalize_recency(days, CFG) == expected


def test_normalize_recency_between_half_lives() -> None:
    assert normalize_recency(7.0, CFG) == pytest.approx(100 / math.sqrt(2))


@pytest.mark.parametrize(
    ("points", "expected"), [(-2.0, 0.0), (0.0, 0.0), (5.0, 50.0), (10.0, 100.0), (25.0, 100.0)]
)
def test_normalize_depth(points: float, expected: float) -> None:
    assert normalize_depth(points, CFG) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (RawMeasures(), 0.0),
        (RawMeasures(feedback_texts=1), 3.0),
        (RawMeasures(ratings=1), 2.0),
        (RawMeasures(referrals=1), 5.0),
        (RawMeasures(button_clicks=1), 1.0),
        (RawMeasures(feedback_texts=2, ratings=1, referrals=1, button_clicks=3), 16.0),
    ],
)
def test_depth_points(raw: RawMeasures, expected: float) -> None:
    assert depth_points(raw, CFG) == expected


@pytest.mark.parametrize(
    ("spend", "expected"),
    [
        (Decimal(0), 0.0),
        (Decimal(-5000), 0.0),
        (Decimal(1_000_000), 100.0),
        (Decimal(5_000_000), 100.0),
        (1_000_000.0, 100.0),
    ],
)
def test_normalize_monetary(spend: Decimal | float, expected: float) -> None:
    assert normalize_monetary(spend, CFG) == expected


def test_normalize_monetary_is_logarithmic() -> None:
    # 999 is 1000 - 1: ln(1000) is half of ln(1_000_000), and 1_000_000 is target + 1 - 1.
    cfg = CesConfig.from_mapping({"monetary_target": 999_999})
    assert normalize_monetary(Decimal(999), cfg) == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [(None, None), (-3.0, 0.0), (-1.0, 0.0), (0.0, 50.0), (0.5, 75.0), (1.0, 100.0), (2.0, 100.0)],
)
def test_normalize_sentiment(polarity: float | None, expected: float | None) -> None:
    assert normalize_sentiment(polarity) == expected


@pytest.mark.parametrize(
    ("csat", "nps", "expected"),
    [
        (None, None, None),
        (1.0, None, 0.0),
        (3.0, None, 50.0),
        (5.0, None, 100.0),
        (0.0, None, 0.0),
        (6.0, None, 100.0),
        (None, 0.0, 0.0),
        (None, 7.0, 70.0),
        (None, 11.0, 100.0),
        (4.0, 9.0, 82.5),
        (1.0, 10.0, 50.0),
    ],
)
def test_normalize_satisfaction(csat: float | None, nps: float | None, expected: float) -> None:
    assert normalize_satisfaction(csat, nps) == expected


@pytest.mark.parametrize(
    ("raw", "cfg", "components"),
    [
        (RawMeasures(), CFG, {}),
        (RawMeasures(), SHOP, {"monetary": 0.0}),
        (
            RawMeasures(days_since_last_inbound=0.0, active_days_30=1),
            CFG,
            {"frequency": 12.5, "recency": 100.0, "depth": 0.0},
        ),
        (RawMeasures(referrals=1), CFG, {"depth": 50.0}),
        (RawMeasures(spend=Decimal(1_000_000)), CFG, {}),
        (RawMeasures(spend=Decimal(1_000_000)), SHOP, {"monetary": 100.0}),
        (RawMeasures(sentiment_mean=0.2), CFG, {"sentiment": 60.0}),
        (RawMeasures(nps_mean=8.0), CFG, {"satisfaction": 80.0}),
    ],
)
def test_compute_only_available_components(
    raw: RawMeasures, cfg: CesConfig, components: dict[str, float]
) -> None:
    assert dict(compute(raw, cfg).components) == components


def test_compute_renormalizes_over_available_components() -> None:
    raw = RawMeasures(active_days_30=8, days_since_last_inbound=14.0)
    result = compute(raw, CFG)
    # (0.25 * 100 + 0.20 * 50 + 0.15 * 0) / 0.60
    assert result.ces == 58.33
    assert dict(result.weights) == pytest.approx(
        {"frequency": 0.25 / 0.6, "recency": 0.2 / 0.6, "depth": 0.15 / 0.6}
    )


def test_compute_all_components_use_the_default_weights() -> None:
    raw = RawMeasures(
        active_days_30=4,
        days_since_last_inbound=14.0,
        ratings=5,
        spend=Decimal(1_000_000),
        sentiment_mean=0.0,
        csat_mean=5.0,
    )
    result = compute(raw, SHOP)
    # 0.25 * 50 + 0.20 * 50 + 0.15 * 100 + 0.15 * 100 + 0.15 * 50 + 0.10 * 100
    assert result.ces == 70.0
    assert sum(result.weights.values()) == pytest.approx(1.0)


def test_compute_leaves_out_zero_weight_components() -> None:
    cfg = CesConfig.from_mapping({"weights": {"recency": 1}})
    result = compute(RawMeasures(days_since_last_inbound=28.0, active_days_30=8), cfg)
    assert (result.ces, dict(result.components)) == (25.0, {"recency": 25.0})


def test_compute_without_components_is_none_and_new() -> None:
    result = compute(RawMeasures(days_since_first_seen=400.0, active_days_total=0))
    assert (result.ces, dict(result.components), result.segment) == (None, {}, "new")


def test_compute_rounds_the_ces_not_the_components() -> None:
    cfg = CesConfig.from_mapping({"weights": {"frequency": 1, "recency": 1}})
    result = compute(RawMeasures(days_since_last_inbound=7.0), cfg)
    assert result.components["recency"] == pytest.approx(70.7106781)
    assert result.ces == 35.36  # (0 + 70.7106...) / 2


def test_compute_many_matches_compute() -> None:
    raws = [RawMeasures(days_since_last_inbound=float(d), active_days_30=d % 9) for d in range(20)]
    assert compute_many(raws, SHOP) == [compute(raw, SHOP) for raw in raws]
    assert compute_many([]) == []


@pytest.mark.parametrize(("age", "expected"), [(-5.0, 1.0), (0.0, 1.0), (30.0, 0.5), (60.0, 0.25)])
def test_sentiment_weight(age: float, expected: float) -> None:
    assert sentiment_weight(age) == expected


def test_sentiment_weight_matches_the_sql_formula() -> None:
    assert sentiment_weight(17.0, 30.0) == pytest.approx(math.exp(-math.log(2) * 17.0 / 30.0))


def test_weighted_polarity() -> None:
    assert weighted_polarity([]) is None
    assert weighted_polarity([(0.0, 1.0), (30.0, -1.0)]) == pytest.approx((1 - 0.5) / 1.5)


def test_weighted_polarity_incremental_update() -> None:
    old = [(0.0, 0.8), (10.0, -0.4)]  # ages at t0
    total = sum(sentiment_weight(a) * p for a, p in old)
    weight = sum(sentiment_weight(a) for a, _ in old)
    decay = sentiment_weight(12.0)  # a new text arrives 12 days after t0
    incremental = (total * decay - 0.6) / (weight * decay + 1)
    assert incremental == pytest.approx(weighted_polarity([(12.0, 0.8), (22.0, -0.4), (0.0, -0.6)]))


def test_config_from_mapping_overrides_defaults() -> None:
    cfg = CesConfig.from_mapping(
        {"weights": {"frequency": "1", "recency": 1}, "monetary_target": "500000"}
    )
    assert cfg.monetary_target == 500_000.0
    assert cfg.weights.as_dict() == {
        "frequency": 1.0,
        "recency": 1.0,
        "depth": 0.0,
        "monetary": 0.0,
        "sentiment": 0.0,
        "satisfaction": 0.0,
    }
    assert cfg.recency_half_life_days == 14.0


def test_config_default_is_the_documented_table() -> None:
    assert CesConfig.from_mapping({}) == CesConfig.default()
    assert CFG.weights.as_dict() == {
        "frequency": 0.25,
        "recency": 0.20,
        "depth": 0.15,
        "monetary": 0.15,
        "sentiment": 0.15,
        "satisfaction": 0.10,
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weights": {"frequency": -0.1}}, "weights.frequency must be 0 or more"),
        ({"weights": {"frequency": 0, "recency": 0}}, "weights are all 0"),
        ({"weights": {}}, "weights are all 0"),
        ({"weights": {"loyalty": 1}}, r"unknown CES component\(s\) loyalty"),
        ({"weights": {"depth": float("nan")}}, "weights.depth must be a finite number"),
        ({"weights": [0.5]}, "weights must be Weights"),
        ({"recency_halflife": 14}, r"unknown CES setting\(s\) recency_halflife"),
        ({"monetary_target": float("inf")}, "monetary_target must be a finite number"),
        ({"monetary_target": "nan"}, "monetary_target must be a finite number"),
        ({"monetary_target": "lots"}, "monetary_target must be a number"),
        ({"monetary_target": 0}, "monetary_target must be above 0"),
        ({"recency_half_life_days": -14}, "recency_half_life_days must be above 0"),
        ({"points_referral": -1}, "points_referral must be 0 or more"),
        ({"declining_drop": True}, "declining_drop must be a number"),
        ({"shop_has_purchases": "yes"}, "shop_has_purchases must be true or false"),
        ({"advocate_min": 30}, "thresholds inverted"),
        ({"potential_min": 70}, "thresholds inverted"),
        ({"advocate_min": 120}, "thresholds inverted"),
    ],
)
def test_config_validation_errors(data: dict[str, object], message: str) -> None:
    with pytest.raises(CesConfigError, match=message):
        CesConfig.from_mapping(data)


def test_config_constructor_validates_too() -> None:
    with pytest.raises(CesConfigError, match="thresholds inverted"):
        CesConfig(potential_min=80.0)
    with pytest.raises(CesConfigError, match="weights.sentiment must be 0 or more"):
        Weights(sentiment=-1.0)
    assert issubclass(CesConfigError, ValueError)
