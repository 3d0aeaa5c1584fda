"""The owner's sentences for what drives a CES: one text per `scoring.segments.Reason` code
(`reason_<code>`), plus the pieces of the `depth` reason. Numbers arrive already written the
language's way (`bot.services.customer_report`): 250,000 / 250.000, 3.5 / 3,5."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "reason_no_activity": {"id": "belum ada aktivitas", "en": "no activity yet"},
    "reason_inactive_30": {
        "id": "tidak aktif dalam 30 hari terakhir",
        "en": "not active in the last 30 days",
    },
    "reason_active_days": {
        "id": "aktif {days} dari 30 hari terakhir",
        "en": "active on {days} of the last 30 days",
    },
    "reason_last_message_today": {"id": "pesan terakhir hari ini", "en": "last message today"},
    "reason_last_message_yesterday": {
        "id": "pesan terakhir kemarin",
        "en": "last message yesterday",
    },
    "reason_last_message_days": {
        "id": "pesan terakhir {days} hari lalu",
        "en": "last message {days} days ago",
    },
    "reason_silent_days": {
        "id": "tidak ada pesan selama {days} hari",
        "en": "no message for {days} days",
    },
    "reason_no_depth": {
        "id": "belum ada masukan, rating, atau referral",
        "en": "no feedback, ratings or referrals",
    },
    # The `depth` reason: its counts above 0, listed with `reason_list`.
    "reason_feedback_one": {"id": "{n} masukan", "en": "{n} feedback message"},
    "reason_feedback_many": {"id": "{n} masukan", "en": "{n} feedback messages"},
    "reason_ratings_one": {"id": "{n} rating", "en": "{n} rating"},
    "reason_ratings_many": {"id": "{n} rating", "en": "{n} ratings"},
    "reason_referrals_one": {"id": "{n} referral", "en": "{n} referral"},
    "reason_referrals_many": {"id": "{n} referral", "en": "{n} referrals"},
    "reason_button_clicks_one": {"id": "{n} klik tombol", "en": "{n} button tap"},
    "reason_button_clicks_many": {"id": "{n} klik tombol", "en": "{n} button taps"},
    "reason_list": {"id": "{items} dan {last}", "en": "{items} and {last}"},
    "reason_no_purchases": {"id": "belum ada pembelian", "en": "no purchases"},
    "reason_spent": {"id": "belanja {amount}", "en": "spent {amount}"},
    "reason_sentiment_positive": {"id": "pesan umumnya positif", "en": "mostly positive messages"},
    "reason_sentiment_negative": {"id": "pesan umumnya negatif", "en": "mostly negative messages"},
    "reason_sentiment_neutral": {"id": "pesan netral", "en": "neutral messages"},
    "reason_last_rating": {"id": "rating terakhir {score}/5", "en": "last rating {score}/5"},
    "reason_average_rating": {"id": "rata-rata rating {mean}/5", "en": "average rating {mean}/5"},
    "reason_recommendation_score": {
        "id": "skor rekomendasi {mean}/10",
        "en": "recommendation score {mean}/10",
    },
}
