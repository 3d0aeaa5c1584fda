"""What owners read in the console: the live inbox headers, alerts, replies, /start and /help
(in the owner's Telegram language). Also the customer's thanks for the complaint follow-up
buttons, which the console handles."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "owner_hello": {
        "id": "Halo {name}! 👋 Ini konsol pemilik {shop}. Setiap pesan pelanggan masuk ke sini. "
        "Buat jawab, balas (reply) pesannya, atau tekan tombol Balas. Ketik /help buat daftar "
        "perintah.",
        "en": "Hi {name}! 👋 This is the owner's console of {shop}. Every customer message "
        "arrives here. To answer, reply to it (Telegram's Reply) or press its Reply button. "
        "Type /help for the commands.",
    },
    "owner_help": {
        "id": "Perintah pemilik:\n{commands}\n\nMenjawab pelanggan: balas (reply) pesan yang "
        "diteruskan ke sini, tekan tombol Balas, atau tulis di topik pelanggan itu (mode grup "
        "forum). Balasan dikirim atas nama toko.",
        "en": "Owner commands:\n{commands}\n\nAnswering a customer: reply to the message relayed "
        "here, press its Reply button, or write in that customer's topic (forum group mode). "
        "Answers go out as the shop.",
    },
    "owner_unknown_command": {
        "id": "Perintah {command} nggak ada. Ketik /help buat daftar perintah pemilik.",
        "en": "There is no command {command}. Type /help for the owner commands.",
    },
    "owner_hint": {
        "id": "Pesan ini nggak terkirim ke siapa-siapa. Buat menjawab pelanggan, balas (reply) "
        "pesan mereka di sini atau tekan tombol Balas.",
        "en": "This message went to nobody. To answer a customer, reply to their message here "
        "or press its Reply button.",
    },
    "no_commands": {"id": "(belum ada)", "en": "(none yet)"},
    # -- the live inbox ------------------------------------------------------------------------
    "relay_header": {
        "id": "{mark} {name}{username} · {score}",
        "en": "{mark} {name}{username} · {score}",
    },
    "relay_score": {"id": "CES {ces} · {segment}", "en": "CES {ces} · {segment}"},
    "relay_declining": {"id": "menurun", "en": "declining"},
    "relay_no_score": {"id": "belum ada CES", "en": "no CES yet"},
    "relay_trend": {"id": " ({change} dlm 14 hari)", "en": " ({change} in 14 days)"},
    "relay_kind": {"id": "[{kind}]", "en": "[{kind}]"},
    "customer_erased": {"id": "(data dihapus)", "en": "(erased)"},
    # -- alerts --------------------------------------------------------------------------------
    "alert_complaint": {
        "id": "⚠️ KELUHAN · polaritas {polarity}",
        "en": "⚠️ COMPLAINT · polarity {polarity}",
    },
    "alert_csat": {
        "id": "⚠️ Nilai layanan rendah: {score}/5 ⭐",
        "en": "⚠️ Low service rating: {score}/5 ⭐",
    },
    "alert_nps": {
        "id": "⚠️ NPS rendah: {score}/10 (kecil kemungkinan merekomendasikan)",
        "en": "⚠️ Low NPS: {score}/10 (unlikely to recommend us)",
    },
    "alert_unresolved": {
        "id": "⚠️ Masalahnya BELUM beres, kata pelanggan (jawaban tindak lanjut keluhan).",
        "en": "⚠️ NOT resolved yet, says the customer (answer to the complaint follow-up).",
    },
    "button_reply": {"id": "✍️ Balas", "en": "✍️ Reply"},
    "button_card": {"id": "👤 Lihat pelanggan", "en": "👤 View customer"},
    # -- replies -------------------------------------------------------------------------------
    "reply_mode_on": {
        "id": "Tulis balasan buat {name} sekarang: pesan kakak berikutnya di sini langsung "
        "dikirim ke dia (berlaku 30 menit).",
        "en": "Write your answer to {name} now: your next message here goes to them (for the "
        "next 30 minutes).",
    },
    "reply_sent": {"id": "✓ Terkirim ke {name}", "en": "✓ Sent to {name}"},
    "reply_blocked": {
        "id": "✗ Nggak terkirim: {name} sudah memblokir bot.",
        "en": "✗ Not sent: {name} has blocked the bot.",
    },
    "reply_erased": {
        "id": "✗ Nggak terkirim: pelanggan ini sudah menghapus datanya (/forget).",
        "en": "✗ Not sent: this customer erased their data (/forget).",
    },
    "reply_failed": {
        "id": "✗ Nggak terkirim ke {name} (Telegram menolak). Coba lagi sebentar lagi ya.",
        "en": "✗ Not sent to {name} (Telegram refused it). Please try again in a moment.",
    },
    "reply_no_relay": {
        "id": "✗ Nggak terkirim: pesan yang kakak balas bukan pesan pelanggan, atau pelanggannya "
        "sudah menghapus datanya (/forget).",
        "en": "✗ Not sent: the message you replied to is not a customer's, or that customer "
        "erased their data (/forget).",
    },
    "reply_unconfirmed": {
        "id": "⏳ Belum pasti sampai ke {name}: Telegram nggak menjawab tepat waktu. Cek dulu "
        "sebelum kirim ulang ya, biar nggak dobel.",
        "en": "⏳ Not sure it reached {name}: Telegram did not answer in time. Please check "
        "before sending again, so it does not arrive twice.",
    },
    "reply_unsupported": {
        "id": "✗ Jenis pesan ini belum bisa dikirim ke pelanggan. Kirim teks, foto, file, "
        "suara, video, stiker atau lokasi.",
        "en": "✗ This kind of message can't be sent to customers yet. Send text, a photo, a "
        "file, voice, video, a sticker or a location.",
    },
    "reply_unknown_customer": {
        "id": "✗ Pelanggan itu nggak ditemukan.",
        "en": "✗ That customer was not found.",
    },
    # -- the customer's side of the complaint follow-up (buttons v1:resolved:yes|no) -----------
    "resolved_thanks_yes": {
        "id": "Syukurlah kak, makasih sudah kabari kami! 🙏",
        "en": "Glad to hear it, thanks for letting us know! 🙏",
    },
    "resolved_thanks_no": {
        "id": "Maaf banget ya kak 🙏 Admin kami sudah dikabari dan akan segera menghubungi kakak.",
        "en": "We're really sorry 🙏 Our admin has been told and will get back to you soon.",
    },
}
