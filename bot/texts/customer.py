"""What the bot says to customers in chat, in Indonesian and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "welcome": {
        "id": "Halo {name}! 👋 Selamat datang. Silakan kirim pesan kapan saja — kami senang "
        "mendengar dari Anda. Ketik /help untuk melihat apa yang bisa saya bantu.",
        "en": "Hi {name}! 👋 Welcome. Message us any time — we're glad to hear from you. "
        "Type /help to see what I can do.",
    },
    "welcome_back": {
        "id": "Halo lagi, {name}! 👋 Senang Anda kembali.",
        "en": "Hi again, {name}! 👋 Good to have you back.",
    },
    "opted_in_again": {
        "id": "Anda akan kembali menerima pesan otomatis dari kami. Ketik /stop untuk berhenti.",
        "en": "You'll receive our automated messages again. Type /stop to turn them off.",
    },
    "referred": {
        "id": "Anda diundang oleh {referrer}. Terima kasih sudah bergabung!",
        "en": "You were invited by {referrer}. Thanks for joining!",
    },
    "group_only_private": {
        "id": "Saya hanya melayani lewat chat pribadi. Silakan kirim pesan langsung ke @{bot}.",
        "en": "I only work in private chat. Please message @{bot} directly.",
    },
    "invite": {
        "id": "Ajak teman Anda dengan tautan ini:\n{link}\n\nSudah {count} teman bergabung "
        "lewat tautan Anda.",
        "en": "Invite your friends with this link:\n{link}\n\n{count} friend(s) have joined "
        "through your link so far.",
    },
    "help": {
        "id": "Yang bisa saya bantu:\n{commands}\n\nAnda juga bisa langsung menulis pesan; "
        "semua pesan Anda kami baca.",
        "en": "Here's what I can do:\n{commands}\n\nYou can also just write to us; we read "
        "every message.",
    },
    "ack": {
        "id": "Terima kasih, pesan Anda sudah kami terima 🙏",
        "en": "Thanks, we've received your message 🙏",
    },
    "ack_negative": {
        "id": "Mohon maaf atas pengalaman yang kurang menyenangkan 🙏 Pesan Anda sudah kami "
        "terima dan akan kami tindak lanjuti.",
        "en": "We're sorry about that 🙏 We've received your message and will follow up.",
    },
    "feedback_ask": {
        "id": "Silakan tulis masukan Anda di pesan berikutnya.",
        "en": "Please write your feedback in your next message.",
    },
    "feedback_thanks": {
        "id": "Terima kasih atas masukan Anda! 🙏",
        "en": "Thank you for your feedback! 🙏",
    },
    "feedback_not_text": {
        "id": "Masukan hanya bisa berupa teks. Silakan tulis masukan Anda, atau /feedback lagi "
        "nanti.",
        "en": "Feedback has to be text. Please type it, or send /feedback again later.",
    },
    "rate_ask": {
        "id": "Seberapa puas Anda dengan layanan kami? (1 = sangat tidak puas, 5 = sangat puas)",
        "en": "How satisfied are you with our service? (1 = very dissatisfied, 5 = very satisfied)",
    },
    "nps_ask": {
        "id": "Seberapa besar kemungkinan Anda merekomendasikan kami ke teman? "
        "(0 = tidak mungkin, 10 = sangat mungkin)",
        "en": "How likely are you to recommend us to a friend? (0 = not at all, 10 = extremely "
        "likely)",
    },
    "rating_thanks": {
        "id": "Terima kasih! Nilai Anda: {score}/{max}. Tekan tombol lain untuk mengubahnya.",
        "en": "Thank you! Your rating: {score}/{max}. Press another button to change it.",
    },
    "rating_changed": {
        "id": "Nilai Anda diubah menjadi {score}/{max}.",
        "en": "Your rating is now {score}/{max}.",
    },
    "button_invalid": {
        "id": "Maaf, tombol ini sudah tidak berlaku. Silakan coba perintahnya lagi.",
        "en": "Sorry, this button is no longer valid. Please try the command again.",
    },
    "birthday_saved": {
        "id": "Ulang tahun Anda tersimpan: {date}. 🎂",
        "en": "Your birthday is saved: {date}. 🎂",
    },
    "birthday_usage": {
        "id": "Tulis tanggal lahir dengan format HARI-BULAN, misalnya /birthday 17-08.",
        "en": "Send your birthday as DAY-MONTH, for example /birthday 17-08.",
    },
    "lang_set": {
        "id": "Baik, saya akan berbahasa Indonesia.",
        "en": "OK, I'll speak English.",
    },
    "lang_usage": {
        "id": "Pilih bahasa: /lang id (Indonesia) atau /lang en (English).",
        "en": "Choose a language: /lang id (Indonesian) or /lang en (English).",
    },
    "stopped": {
        "id": "Anda tidak akan menerima pesan otomatis lagi. Ketik /start kapan saja untuk "
        "mengaktifkannya kembali.",
        "en": "You won't receive automated messages any more. Type /start any time to turn "
        "them back on.",
    },
    "forget_confirm": {
        "id": "Hapus semua data pribadi dan riwayat chat Anda dari kami? Ini tidak bisa "
        "dibatalkan.",
        "en": "Erase all your personal data and chat history with us? This cannot be undone.",
    },
    "forget_yes": {"id": "Ya, hapus", "en": "Yes, erase"},
    "forget_no": {"id": "Batal", "en": "Cancel"},
    "forget_done": {
        "id": "Data pribadi dan riwayat chat Anda sudah dihapus. Jika Anda menulis lagi, "
        "kami akan menganggap Anda pelanggan baru.",
        "en": "Your personal data and chat history have been erased. If you write again, "
        "you'll start as a new customer.",
    },
    "forget_cancelled": {
        "id": "Baik, data Anda tidak dihapus.",
        "en": "OK, nothing was erased.",
    },
    "unknown_command": {
        "id": "Maaf, saya tidak mengenal perintah {command}. Ketik /help untuk daftar perintah.",
        "en": "Sorry, I don't know the command {command}. Type /help for the list.",
    },
    "error_retry": {
        "id": "Maaf, sedang ada gangguan di sistem kami. Mohon kirim ulang pesan Anda sebentar "
        "lagi 🙏",
        "en": "Sorry, something went wrong on our side. Please send your message again in a "
        "moment 🙏",
    },
}
