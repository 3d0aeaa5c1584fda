"""The owner console's words: /customer, /atrisk, /top, /catat, /settings and their buttons,
and the customer-facing texts of the console's one-tap messages (until the outreach templates
of `bot.texts.outreach` take over: rating request, win-back, thanks for an advocate)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # /customer
    "console_customer_usage": {
        "id": "Cara pakai: /customer @username, /customer 12345 (ID Telegram) atau /customer nama",
        "en": "Usage: /customer @username, /customer 12345 (Telegram id) or /customer name",
    },
    "console_customer_not_found": {
        "id": "Belum ketemu pelanggan “{query}”, kak. Coba @username, ID Telegram, atau "
        "sebagian namanya.",
        "en": "No customer “{query}” found. Try an @username, a Telegram id or part of a name.",
    },
    "console_customer_many": {
        "id": "Ada beberapa pelanggan yang cocok dengan “{query}”. Pilih salah satu ya:",
        "en": "Several customers match “{query}”. Pick one:",
    },
    "console_customer_many_more": {
        "id": "Ada lebih dari {count} yang cocok dengan “{query}”; ini {count} teratas. "
        "Pilih salah satu, atau tulis namanya lebih lengkap:",
        "en": "More than {count} customers match “{query}”; here are the first {count}. "
        "Pick one, or type more of the name:",
    },
    "console_card_spend": {
        "id": "Belanja: Rp {amount} ({count} transaksi)",
        "en": "Spend: Rp {amount} ({count} purchase(s))",
    },
    "console_card_no_spend": {
        "id": "Belanja: belum ada yang dicatat (/catat)",
        "en": "Spend: none recorded yet (/catat)",
    },
    "console_card_last_seen": {
        "id": "Terakhir kirim pesan: {when}",
        "en": "Last message from them: {when}",
    },
    "console_card_messages": {"id": "Pesan terakhir:", "en": "Last messages:"},
    "console_card_no_messages": {"id": "Belum ada pesan.", "en": "No messages yet."},
    "console_card_opted_out": {
        "id": "⛔ Pelanggan ini mematikan pesan otomatis (/stop).",
        "en": "⛔ This customer turned automated messages off (/stop).",
    },
    "console_card_blocked": {
        "id": "⛔ Pelanggan ini memblokir bot.",
        "en": "⛔ This customer blocked the bot.",
    },
    "console_button_reply": {"id": "💬 Balas", "en": "💬 Reply"},
    "console_button_rate": {"id": "⭐ Minta rating", "en": "⭐ Ask for a rating"},
    "console_button_card": {"id": "👤 {name}", "en": "👤 {name}"},
    "console_button_winback": {"id": "💌 {name}", "en": "💌 {name}"},
    "console_button_thanks": {"id": "🙏 {name}", "en": "🙏 {name}"},
    # One-tap outreach, as the owner is told after a press.
    "console_queued": {
        "id": "Siap kak, pesannya masuk antrean ✅ (tetap ikut jam tenang & batas harian)",
        "en": "Done, the message is queued ✅ (quiet hours and daily caps still apply)",
    },
    "console_already_queued": {
        "id": "Pesan ini sudah diantrekan hari ini, jadi nggak dikirim dua kali ya kak 👍",
        "en": "This message is already queued today, so it won't go twice 👍",
    },
    "console_not_reachable": {
        "id": "Pelanggan ini mematikan pesan otomatis atau memblokir bot, jadi nggak kami kirimi.",
        "en": "This customer turned automated messages off or blocked the bot, so nothing is sent.",
    },
    "console_gone": {
        "id": "Pelanggan ini sudah nggak ada (datanya dihapus).",
        "en": "This customer is gone (their data was erased).",
    },
    # /atrisk and /top
    "console_atrisk_title": {
        "id": "Pelanggan berisiko pergi atau menurun: {total}",
        "en": "At-risk and declining customers: {total}",
    },
    "console_atrisk_empty": {
        "id": "Kabar baik kak, belum ada pelanggan yang berisiko pergi atau menurun 🎉",
        "en": "Good news: no customer is at risk or declining 🎉",
    },
    "console_atrisk_hint": {
        "id": "💌 kirim pesan kangen (win-back), 👤 lihat kartunya.",
        "en": "💌 send a win-back message, 👤 open their card.",
    },
    "console_top_title": {
        "id": "Pelanggan setia dengan CES tertinggi: {total}",
        "en": "Top advocates by CES: {total}",
    },
    "console_top_empty": {
        "id": "Belum ada pelanggan setia (advocate) kak. Nanti muncul setelah penilaian berikutnya "
        "😊",
        "en": "No advocates yet. They show up after the next scoring 😊",
    },
    "console_top_hint": {
        "id": "🙏 bilang makasih & minta ajak teman (dengan link undangannya), 👤 lihat kartunya.",
        "en": "🙏 thank them and ask for a referral (with their invite link), 👤 open their card.",
    },
    "console_list_row": {
        "id": "{n}. {name} — CES {ces}, {segment}{declining}, terakhir aktif {seen}",
        "en": "{n}. {name} — CES {ces}, {segment}{declining}, last seen {seen}",
    },
    "console_list_declining": {"id": ", menurun", "en": ", declining"},
    "console_list_page": {
        "id": "Halaman {page}/{pages}. Berikutnya: /{command} {next}",
        "en": "Page {page}/{pages}. Next: /{command} {next}",
    },
    "console_list_usage": {
        "id": "Cara pakai: /{command}, atau /{command} 2 untuk halaman 2",
        "en": "Usage: /{command}, or /{command} 2 for page 2",
    },
    "console_days_ago": {"id": "{days} hari lalu", "en": "{days} day(s) ago"},
    "console_today": {"id": "hari ini", "en": "today"},
    "console_never": {"id": "belum pernah", "en": "never"},
    # /catat
    "console_catat_usage": {
        "id": "Cara pakai: /catat @username 150.000 catatan (atau ID Telegram, bukan nama)",
        "en": "Usage: /catat @username 150.000 note (or a Telegram id, not a name)",
    },
    "console_catat_bad_amount": {
        "id": "Jumlah “{amount}” belum bisa dibaca kak. Tulis seperti 150000, 150.000 atau "
        "Rp 1.500.000.",
        "en": "Can't read the amount “{amount}”. Write it like 150000, 150.000 or Rp 1.500.000.",
    },
    "console_catat_cents": {
        "id": "Rupiah nggak pakai sen ya kak (“{amount}”). Tulis tanpa koma, misalnya 1.500.000.",
        "en": "Rupiah have no cents (“{amount}”). Write it without them, e.g. 1.500.000.",
    },
    "console_catat_unknown": {
        "id": "Pelanggan “{who}” belum pernah chat ke bot, kak.",
        "en": "No customer “{who}” has written to the bot.",
    },
    "console_catat_done": {
        "id": "Tercatat ✅ {name}: Rp {amount}. Total belanja sekarang Rp {total} "
        "({count} transaksi). CES: {ces}",
        "en": "Recorded ✅ {name}: Rp {amount}. Total spend now Rp {total} "
        "({count} purchase(s)). CES: {ces}",
    },
    # /settings
    "console_settings_title": {"id": "Pengaturan {shop}", "en": "Settings of {shop}"},
    "console_settings_weights": {"id": "Bobot CES: {value}", "en": "CES weights: {value}"},
    "console_settings_thresholds": {
        "id": "Batas segmen: pendukung ≥ {advocate}, potensial ≥ {potential}, target belanja "
        "Rp {target}",
        "en": "Segment limits: advocate ≥ {advocate}, potential ≥ {potential}, spend target "
        "Rp {target}",
    },
    "console_settings_quiet": {"id": "Jam tenang: {value}", "en": "Quiet hours: {value}"},
    "console_settings_opening": {"id": "Jam buka: {value}", "en": "Opening hours: {value}"},
    "console_settings_caps": {
        "id": "Batas pesan otomatis: {daily}/hari, {weekly}/minggu per pelanggan; win-back "
        "{at_risk}/hari, jeda {cooldown}",
        "en": "Automated message caps: {daily}/day, {weekly}/week per customer; win-back "
        "{at_risk}/day, cooldown {cooldown}",
    },
    "console_settings_timing": {
        "id": "Minta rating setelah diam {csat}, tanya komplain {followup}, belum dibalas "
        "setelah {unanswered}",
        "en": "Rating request after {csat} idle, complaint follow-up after {followup}, "
        "unanswered after {unanswered}",
    },
    "console_settings_greetings": {
        "id": "Ucapan hari raya: {value}",
        "en": "Holiday greetings: {value}",
    },
    "console_settings_owner_chat": {
        "id": "Konsol pemilik: {value}",
        "en": "Owner console: {value}",
    },
    "console_settings_timezone": {"id": "Zona waktu: {value}", "en": "Timezone: {value}"},
    "console_settings_language": {
        "id": "Bahasa bawaan pelanggan: {value}",
        "en": "Customers' default language: {value}",
    },
    "console_settings_owners": {"id": "Pemilik: {value}", "en": "Owners: {value}"},
    "console_settings_templates": {
        "id": "Template pesan: {value}",
        "en": "Message templates: {value}",
    },
    "console_default": {"id": "bawaan", "en": "default"},
    "console_off": {"id": "mati", "en": "off"},
    "console_private_chats": {
        "id": "chat pribadi tiap pemilik",
        "en": "each owner's private chat",
    },
    "console_forum_group": {
        "id": "grup forum {chat} (satu topik per pelanggan)",
        "en": "forum group {chat} (one topic per customer)",
    },
    # What the customer receives from the one-tap buttons (kinds rating, at_risk, advocate).
    "console_msg_hello": {"id": "Halo kak {name}", "en": "Hi {name}"},
    "console_msg_hello_anon": {"id": "Halo kak", "en": "Hi there"},
    "console_msg_rating": {
        "id": "{hello}! Gimana pengalaman belanja di {shop}? Boleh bantu kasih nilai buat "
        "pelayanan kami ya, tinggal pilih bintangnya di bawah 🙏",
        "en": "{hello}! How was shopping at {shop}? Could you rate our service? Just pick a star "
        "below 🙏",
    },
    "console_msg_winback": {
        "id": "{hello}, apa kabar? Udah lama nggak mampir ke {shop} nih, kami kangen 😊 Kalau ada "
        "yang bisa kami bantu, balas aja pesan ini ya.{incentive}",
        "en": "{hello}, how are you? We haven't heard from you at {shop} for a while and miss "
        "you 😊 If we can help with anything, just reply here.{incentive}",
    },
    "console_msg_thanks": {
        "id": "{hello}, makasih banyak udah setia sama {shop} 🙏 Kalau ada teman yang mungkin "
        "cocok, boleh banget diajak lewat link ini ya: {link}",
        "en": "{hello}, thank you so much for sticking with {shop} 🙏 If a friend might like us "
        "too, you're welcome to invite them with this link: {link}",
    },
}
