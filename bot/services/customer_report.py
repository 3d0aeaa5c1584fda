"""`akrab customer`: one customer's CES explained for the owner, in Indonesian or English."""

from __future__ import annotations

from datetime import datetime

from scoring.ces import CesResult, RawMeasures, explain

SEGMENT_NAMES = {
    "en": {"new": "new", "advocate": "advocate", "potential": "potential", "at_risk": "at risk"},
    "id": {
        "new": "baru",
        "advocate": "pendukung setia",
        "potential": "potensial",
        "at_risk": "berisiko pergi",
    },
}
COMPONENT_NAMES = {
    "en": {},
    "id": {
        "frequency": "frekuensi",
        "recency": "kebaruan",
        "depth": "kedalaman",
        "monetary": "belanja",
        "sentiment": "sentimen",
        "satisfaction": "kepuasan",
    },
}
LABELS = {
    "en": {
        "ces": "CES",
        "segment": "segment",
        "declining": "DECLINING (dropped 15+ points)",
        "trend": "trend",
        "why": "why",
        "component": "component",
        "score": "score",
        "weight": "weight",
        "measure": "raw measure",
        "none": "no score yet",
        "rising": "rising",
        "falling": "falling",
        "flat": "steady",
    },
    "id": {
        "ces": "CES",
        "segment": "segmen",
        "declining": "MENURUN (turun 15+ poin)",
        "trend": "tren",
        "why": "penyebab",
        "component": "komponen",
        "score": "skor",
        "weight": "bobot",
        "measure": "ukuran mentah",
        "none": "belum ada skor",
        "rising": "naik",
        "falling": "turun",
        "flat": "stabil",
    },
}


def measure_text(component: str, raw: RawMeasures, lang: str) -> str:
    """The raw measure behind one component, in words."""
    en = lang == "en"
    if component == "frequency":
        n = raw.active_days_30
        return f"{n} active day(s) in 30 days" if en else f"{n} hari aktif dalam 30 hari"
    if component == "recency":
        days = raw.days_since_last_inbound or 0.0
        return f"last message {days:.1f} days ago" if en else f"pesan terakhir {days:.1f} hari lalu"
    if component == "depth":
        parts = (raw.feedback_texts, raw.ratings, raw.referrals, raw.button_clicks)
        return (
            "{} feedback, {} rating(s), {} referral(s), {} button tap(s)"
            if en
            else "{} masukan, {} penilaian, {} referal, {} klik tombol"
        ).format(*parts)
    if component == "monetary":
        return f"spent {raw.spend:,.2f}" if en else f"belanja {raw.spend:,.2f}"
    if component == "sentiment":
        return (
            f"mean polarity {raw.sentiment_mean or 0:+.2f}"
            if en
            else f"rata-rata polaritas {raw.sentiment_mean or 0:+.2f}"
        )
    csat = f"CSAT {raw.csat_mean:.1f}/5" if raw.csat_mean is not None else ""
    nps = f"NPS {raw.nps_mean:.1f}/10" if raw.nps_mean is not None else ""
    return ", ".join(filter(None, (csat, nps)))


def trend_word(series: list[tuple[datetime, float]], lang: str) -> str:
    if len(series) < 2:
        return ""
    change = series[-1][1] - series[0][1]
    key = "rising" if change >= 1 else "falling" if change <= -1 else "flat"
    return LABELS[lang][key]


def render(
    *,
    name: str,
    raw: RawMeasures,
    result: CesResult,
    declining: bool,
    series: list[tuple[datetime, float]],
    lang: str,
) -> str:
    """The whole report as text lines."""
    words = LABELS[lang]
    lines = [name]
    if result.ces is None:
        lines.append(
            f"{words['ces']}: {words['none']} ({words['segment']}: "
            f"{SEGMENT_NAMES[lang][result.segment]})"
        )
    else:
        lines.append(
            f"{words['ces']}: {result.ces:.2f} / 100   {words['segment']}: "
            f"{SEGMENT_NAMES[lang][result.segment]}"
        )
    if declining:
        lines.append(words["declining"])
    if series:
        points = " → ".join(f"{ces:.1f}" for _, ces in series[-8:])
        lines.append(f"{words['trend']}: {points} {trend_word(series, lang)}".rstrip())
    lines.append("")
    lines.append(
        f"{words['component']:<13} {words['score']:>6} {words['weight']:>7}  {words['measure']}"
    )
    for component, score in result.components.items():
        lines.append(
            f"{component:<13} {score:6.1f} {result.weights[component]:7.2f}  "
            f"{measure_text(component, raw, lang)}"
        )
    lines.append("")
    lines.append(f"{words['why']}: {explain(raw, result, 'id' if lang == 'id' else 'en')}")
    return "\n".join(lines)
