"""The owner's `/report`, `/export` and chart labels. Numbers arrive already written the
language's way (`bot.services.report_format`): 1.234 and 12,5% in Indonesian, 1,234 and 12.5%."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "rep_usage": {
        "id": "Pakai /report 7d, /report 30d atau /report 90d ya kak (tanpa angka: 7 hari).",
        "en": "Use /report 7d, /report 30d or /report 90d (no argument: 7 days).",
    },
    "rep_title": {
        "id": "📊 Laporan {days} hari terakhir, {shop}\n{start} – {end}",
        "en": "📊 The last {days} days at {shop}\n{start} – {end}",
    },
    "rep_empty": {
        "id": "Belum ada pelanggan yang chat, kak 🌱 Begitu pelanggan pertama menyapa bot, "
        "angka dan grafiknya muncul di sini.",
        "en": "No customer has written yet 🌱 As soon as the first one says hello to the bot, "
        "the figures and the chart show up here.",
    },
    "rep_customers": {"id": "👥 Pelanggan: {total}", "en": "👥 Customers: {total}"},
    "rep_active": {"id": "• aktif: {n} {change}", "en": "• active: {n} {change}"},
    "rep_new": {"id": "• baru: {n} {change}", "en": "• new: {n} {change}"},
    "rep_vs_before": {
        "id": "({delta} dari periode sebelumnya)",
        "en": "({delta} vs the period before)",
    },
    "rep_ces": {"id": "⭐ CES rata-rata: {ces} {change}", "en": "⭐ Average CES: {ces} {change}"},
    "rep_ces_none": {"id": "⭐ CES: belum dihitung", "en": "⭐ CES: not scored yet"},
    "rep_ces_change": {"id": "({delta} sejak {since})", "en": "({delta} since {since})"},
    "rep_segments": {"id": "• {items}", "en": "• {items}"},
    "rep_declining": {"id": "• menurun: {n}", "en": "• declining: {n}"},
    "rep_moves": {
        "id": "• pindah segmen sejak {since}: {items}",
        "en": "• moved since {since}: {items}",
    },
    "rep_no_moves": {"id": "• belum ada yang pindah segmen", "en": "• nobody changed segment"},
    "rep_sentiment": {
        "id": "💬 Sentimen ({n} pesan): 😊 {pos} · 😐 {neu} · 😞 {neg}",
        "en": "💬 Sentiment ({n} messages): 😊 {pos} · 😐 {neu} · 😞 {neg}",
    },
    "rep_sentiment_none": {
        "id": "💬 Sentimen: belum ada pesan",
        "en": "💬 Sentiment: no messages yet",
    },
    "rep_trend_up": {
        "id": "• tren: membaik 📈 ({before} → {now})",
        "en": "• trend: improving 📈 ({before} → {now})",
    },
    "rep_trend_down": {
        "id": "• tren: memburuk 📉 ({before} → {now})",
        "en": "• trend: worsening 📉 ({before} → {now})",
    },
    "rep_trend_flat": {
        "id": "• tren: stabil ({before} → {now})",
        "en": "• trend: steady ({before} → {now})",
    },
    "rep_csat": {
        "id": "🌟 CSAT: {mean}/5 dari {n} rating {change}",
        "en": "🌟 CSAT: {mean}/5 from {n} rating(s) {change}",
    },
    "rep_csat_none": {"id": "🌟 CSAT: belum ada rating", "en": "🌟 CSAT: no ratings yet"},
    "rep_csat_rate": {
        "id": "• dijawab {rate} ({answered} dari {requests} permintaan rating)",
        "en": "• response rate {rate} ({answered} of {requests} rating requests)",
    },
    "rep_nps": {
        "id": "📣 NPS: {nps} ({n} jawaban: {promoters} promotor, {detractors} detraktor)",
        "en": "📣 NPS: {nps} ({n} answer(s): {promoters} promoter(s), {detractors} detractor(s))",
    },
    "rep_nps_none": {"id": "📣 NPS: belum ada jawaban", "en": "📣 NPS: no answers yet"},
    "rep_engagement": {
        "id": "📬 Respons pesan otomatis:",
        "en": "📬 Responses to automated messages:",
    },
    "rep_engagement_none": {
        "id": "📬 Belum ada pesan otomatis terkirim",
        "en": "📬 No automated messages sent yet",
    },
    "rep_rate_line": {
        "id": "• {name}: {rate} ({responded}/{sent})",
        "en": "• {name}: {rate} ({responded}/{sent})",
    },
    "rep_campaign": {"id": "kampanye #{id} ({segment})", "en": "campaign #{id} ({segment})"},
    "rep_contact": {"id": "📞 Hubungi hari ini:", "en": "📞 Contact today:"},
    "rep_contact_none": {
        "id": "📞 Tidak ada pelanggan berisiko hari ini 🎉",
        "en": "📞 Nobody at risk today 🎉",
    },
    "rep_contact_declining": {
        "id": "• {name}: CES turun {drop} poin jadi {ces}; {why}",
        "en": "• {name}: CES down {drop} points to {ces}; {why}",
    },
    "rep_contact_at_risk": {
        "id": "• {name}: berisiko pergi, CES {ces}; {why}",
        "en": "• {name}: at risk, CES {ces}; {why}",
    },
    "rep_more": {"id": "  …dan {n} lainnya", "en": "  …and {n} more"},
    "rep_waiting": {"id": "⏳ Belum dibalas ({n}):", "en": "⏳ Waiting for a reply ({n}):"},
    "rep_waiting_line": {"id": "• {name}, {ago}: {text}", "en": "• {name}, {ago}: {text}"},
    "rep_minutes": {"id": "{n} menit", "en": "{n} min"},
    "rep_hours": {"id": "{n} jam", "en": "{n} h"},
    "rep_days": {"id": "{n} hari", "en": "{n} d"},
    "rep_birthdays": {
        "id": "🎂 Ulang tahun hari ini: {names}",
        "en": "🎂 Birthdays today: {names}",
    },
    "rep_chart_caption": {
        "id": "Grafik {days} hari terakhir (minimal 4 minggu)",
        "en": "Chart of the last {days} days (at least 4 weeks)",
    },
    "rep_kind_rating": {"id": "permintaan rating", "en": "rating requests"},
    "rep_kind_complaint_followup": {"id": "tindak lanjut keluhan", "en": "complaint follow-ups"},
    "rep_kind_birthday": {"id": "ucapan ulang tahun", "en": "birthday greetings"},
    "rep_kind_holiday": {"id": "ucapan hari raya", "en": "holiday greetings"},
    "rep_kind_anniversary": {"id": "ucapan anniversary", "en": "anniversaries"},
    "rep_kind_at_risk": {"id": "sapaan pelanggan berisiko", "en": "win-back messages"},
    "rep_kind_campaign": {"id": "kampanye", "en": "campaigns"},
    # The chart.
    "chart_ces": {"id": "Sebaran CES per segmen", "en": "CES distribution by segment"},
    "chart_segments": {"id": "Segmen dari waktu ke waktu", "en": "Segments over time"},
    "chart_sentiment": {"id": "Sentimen per minggu", "en": "Sentiment per week"},
    "chart_engagement": {"id": "Respons per jenis pesan (%)", "en": "Engagement rate by kind (%)"},
    "chart_no_data": {"id": "belum ada data", "en": "no data yet"},
    "chart_customers": {"id": "pelanggan", "en": "customers"},
    "chart_messages": {"id": "pesan", "en": "messages"},
    "chart_positive": {"id": "positif", "en": "positive"},
    "chart_neutral": {"id": "netral", "en": "neutral"},
    "chart_negative": {"id": "negatif", "en": "negative"},
    # /export.
    "export_caption": {
        "id": "📎 {n} pelanggan, CSV UTF-8 (bisa langsung dibuka di Excel)",
        "en": "📎 {n} customers, CSV in UTF-8 (opens directly in Excel)",
    },
    "export_empty": {
        "id": "Belum ada pelanggan untuk diekspor, kak 🌱",
        "en": "No customers to export yet 🌱",
    },
}
