"""Scheduled messages (the outreach planners' templates) and the replies to a complaint.

The `outreach_<kind>` texts are the default templates; the owner may replace any of them with
a file (`TEMPLATES_FILE`, see bot/texts/templates_file.py). Placeholders: `{name}` and `{shop}`
everywhere, plus `{holiday}`, `{years}` and `{incentive}` where named in PLACEHOLDERS.
"""

from __future__ import annotations

# The template kinds an owner's file may replace, and the placeholders each may use.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "rating": frozenset({"name", "shop"}),
    "complaint_followup": frozenset({"name", "shop"}),
    "birthday": frozenset({"name", "shop"}),
    "holiday": frozenset({"name", "shop", "holiday"}),
    "anniversary": frozenset({"name", "shop", "years"}),
    "at_risk": frozenset({"name", "shop"}),
    "incentive": frozenset({"name", "shop", "incentive"}),  # appended to at_risk when set
}

TEXTS: dict[str, dict[str, str]] = {
    "outreach_rating": {
        "id": "Halo kak {name}! Makasih sudah ngobrol sama {shop} 😊 Boleh minta nilainya buat "
        "pelayanan kami tadi? Tinggal pilih bintangnya ya.",
        "en": "Hi {name}! Thanks for chatting with {shop} 😊 How did we do? Just pick a star "
        "rating below.",
    },
    "outreach_complaint_followup": {
        "id": "Halo kak {name}, ini dari {shop}. Kemarin kakak sempat ada kendala, sekarang "
        "sudah beres belum ya? 🙏",
        "en": "Hi {name}, it's {shop}. You had a problem with us yesterday: is it sorted out "
        "now? 🙏",
    },
    "outreach_birthday": {
        "id": "Selamat ulang tahun, kak {name}! 🎂🎉 Semoga sehat, bahagia, dan lancar semua "
        "urusannya. Salam hangat dari {shop}!",
        "en": "Happy birthday, {name}! 🎂🎉 Wishing you a healthy, happy year. Warm wishes "
        "from {shop}!",
    },
    "outreach_holiday": {
        "id": "Selamat {holiday}, kak {name}! 🙏 Semoga hari ini penuh kebahagiaan bersama "
        "orang-orang tersayang. Salam dari {shop}.",
        "en": "Happy {holiday}, {name}! 🙏 We hope you have a lovely day with the people you "
        "love. Best wishes from {shop}.",
    },
    "outreach_anniversary": {
        "id": "Kak {name}, hari ini pas {years} tahun kakak kenal {shop}! 🥳 Makasih banyak "
        "sudah setia sama kami ya.",
        "en": "{name}, it's {years} year(s) today since you first said hello to {shop}! 🥳 "
        "Thank you for sticking with us.",
    },
    "outreach_at_risk": {
        "id": "Halo kak {name}, lama nggak ngobrol nih 😊 {shop} kangen! Kalau ada yang bisa "
        "kami bantu, langsung chat aja ya.",
        "en": "Hi {name}, it's been a while 😊 We miss you at {shop}! If there's anything we "
        "can help with, just message us.",
    },
    "outreach_incentive": {
        "id": "Spesial buat kakak: {incentive}",
        "en": "Something special for you: {incentive}",
    },
    # Immediate replies to a complaint (issue "Low rating / complaint").
    "complaint_ask": {
        "id": "Aduh, mohon maaf banget ya kak 🙏 Boleh cerita apa yang kurang? Tulis aja di "
        "pesan berikutnya, admin kami akan bantu secepatnya.",
        "en": "We're sorry about that 🙏 Could you tell us what went wrong? Just write "
        "it in your next message and we'll help as soon as we can.",
    },
    "complaint_rating_ask": {
        "id": "Makasih atas nilainya, kak. Maaf ya kalau kami belum memuaskan 🙏 Boleh cerita "
        "apa yang kurang? Tulis aja di pesan berikutnya.",
        "en": "Thanks for your rating. We're sorry we fell short 🙏 Could you tell us what "
        "went wrong? Just write it in your next message.",
    },
}
