"""What `akrab customer` prints for the owner: labels, segment names, raw measures, trend words."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "report_ces": {"id": "CES", "en": "CES"},
    "report_segment": {"id": "segmen", "en": "segment"},
    "report_declining": {"id": "MENURUN (turun 15+ poin)", "en": "DECLINING (dropped 15+ points)"},
    "report_trend": {"id": "tren", "en": "trend"},
    "report_why": {"id": "penyebab", "en": "why"},
    "report_component": {"id": "komponen", "en": "component"},
    "report_score": {"id": "skor", "en": "score"},
    "report_weight": {"id": "bobot", "en": "weight"},
    "report_measure": {"id": "ukuran mentah", "en": "raw measure"},
    "report_no_score": {"id": "belum ada skor", "en": "no score yet"},
    "trend_rising": {"id": "naik", "en": "rising"},
    "trend_falling": {"id": "turun", "en": "falling"},
    "trend_flat": {"id": "stabil", "en": "steady"},
    "segment_new": {"id": "baru", "en": "new"},
    "segment_advocate": {"id": "pendukung setia", "en": "advocate"},
    "segment_potential": {"id": "potensial", "en": "potential"},
    "segment_at_risk": {"id": "berisiko pergi", "en": "at risk"},
    "measure_frequency": {
        "id": "{days} hari aktif dalam 30 hari",
        "en": "{days} active day(s) in 30 days",
    },
    "measure_recency": {
        "id": "pesan terakhir {days:.1f} hari lalu",
        "en": "last message {days:.1f} days ago",
    },
    "measure_depth": {
        "id": "{feedback} masukan, {ratings} penilaian, {referrals} referal, {clicks} klik tombol",
        "en": "{feedback} feedback, {ratings} rating(s), {referrals} referral(s), "
        "{clicks} button tap(s)",
    },
    "measure_monetary": {"id": "belanja {amount:,.2f}", "en": "spent {amount:,.2f}"},
    "measure_sentiment": {
        "id": "rata-rata polaritas {polarity:+.2f}",
        "en": "mean polarity {polarity:+.2f}",
    },
    "measure_csat": {"id": "CSAT {mean:.1f}/5", "en": "CSAT {mean:.1f}/5"},
    "measure_nps": {"id": "NPS {mean:.1f}/10", "en": "NPS {mean:.1f}/10"},
}
