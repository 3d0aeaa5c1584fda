"""What the bot says to customers in chat. Indonesian as a friendly online shop writes: the
customer is "kak"/"kakak", short, warm and polite; never "Anda". Acknowledgements say only what
really happens next (an admin replies), never more."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "welcome": {
        "id": "Halo kak {name}! 👋 Selamat datang. Mau tanya stok, ongkir, atau pesanan? "
        "Langsung chat aja ya kak. Ketik /help buat lihat menu.",
        "en": "Hi {name}! 👋 Welcome. Questions about stock, shipping or an order? Just send us "
        "a message. Type /help to see the menu.",
    },
    "welcome_back": {
        "id": "Halo lagi, kak {name}! 👋 Senang kakak mampir lagi. Ada yang bisa kami bantu?",
        "en": "Hi again, {name}! 👋 Good to see you back. How can we help?",
    },
    "opted_in_again": {
        "id": "Siap kak, pesan otomatis dari kami aktif lagi ya. Kalau mau berhenti, ketik /stop.",
        "en": "Done, our automated messages are back on. Type /stop to turn them off.",
    },
    "referred": {
        "id": "Kakak diajak ke sini sama {referrer} ya. Makasih sudah gabung! 🙏",
        "en": "You were invited by {referrer}. Thanks for joining!",
    },
    "group_only_private": {
        "id": "Maaf kak, kami cuma bisa bantu lewat chat pribadi. Langsung chat ke @{bot} aja "
        "ya 🙏",
        "en": "Sorry, I only chat in private. Please message @{bot} directly.",
    },
    "invite": {
        "id": "Ajak teman kakak belanja di sini pakai link ini ya:\n{link}\n\n"
        "Sudah {count} teman yang gabung lewat link kakak. Makasih! 🙏",
        "en": "Invite your friends with this link:\n{link}\n\n{count} friend(s) have joined "
        "through your link so far.",
    },
    "help": {
        "id": "Ini menu yang bisa kakak pakai:\n{commands}\n\nMau tanya-tanya? Langsung chat aja "
        "ya kak, nanti admin yang balas.",
        "en": "Here's the menu:\n{commands}\n\nGot a question? Just write to us here and an "
        "admin will reply.",
    },
    "ack": {
        "id": "Makasih kak, pesannya sudah kami terima 🙏 Admin akan segera membalas ya.",
        "en": "Thanks, we've got your message 🙏 An admin will reply soon.",
    },
    "ack_negative": {
        "id": "Aduh, mohon maaf ya kak atas kendalanya 🙏 Pesan kakak sudah kami terima, admin "
        "akan segera membalas.",
        "en": "We're sorry about that 🙏 We've got your message and an admin will reply soon.",
    },
    "feedback_ask": {
        "id": "Boleh banget kak! Tulis kritik atau sarannya di pesan berikutnya ya 😊",
        "en": "Sure! Please write your feedback in your next message.",
    },
    "feedback_thanks": {
        "id": "Makasih banyak kak atas masukannya! 🙏",
        "en": "Thanks a lot for your feedback! 🙏",
    },
    "feedback_not_text": {
        "id": "Maaf kak, masukannya harus berupa tulisan ya. Ketik aja di sini, atau kirim "
        "/feedback lagi nanti.",
        "en": "Sorry, feedback has to be text. Please type it here, or send /feedback again later.",
    },
    "rate_ask": {
        "id": "Menurut kakak, pelayanan kami gimana? Pilih nilainya ya (1 = kecewa banget, "
        "5 = puas banget) 😊",
        "en": "How happy are you with our service? (1 = very unhappy, 5 = very happy)",
    },
    "nps_ask": {
        "id": "Kira-kira kakak mau rekomendasiin toko kami ke teman nggak? (0 = nggak mungkin, "
        "10 = pasti banget)",
        "en": "How likely are you to recommend us to a friend? (0 = not at all, 10 = extremely "
        "likely)",
    },
    "rating_thanks": {
        "id": "Makasih kak! Nilai dari kakak: {score}/{max} 🙏 Mau ganti? Tinggal tekan tombol "
        "lain ya.",
        "en": "Thank you! Your rating: {score}/{max}. Press another button to change it.",
    },
    "rating_same": {
        "id": "Nilai kakak tetap {score}/{max}, makasih ya! 🙏",
        "en": "Your rating stays {score}/{max}. Thank you! 🙏",
    },
    "rating_changed": {
        "id": "Nilai kakak sudah diubah jadi {score}/{max}. Makasih ya kak! 🙏",
        "en": "Changed: your rating is now {score}/{max}. Thank you! 🙏",
    },
    "button_invalid": {
        "id": "Maaf kak, tombol ini sudah nggak berlaku. Coba ketik perintahnya lagi ya 🙏",
        "en": "Sorry, this button is no longer valid. Please try the command again.",
    },
    "birthday_saved": {
        "id": "Sip, ulang tahun kakak sudah kami catat: {date} 🎂",
        "en": "Got it, your birthday is saved: {date} 🎂",
    },
    "birthday_usage": {
        "id": "Tulis tanggal lahirnya pakai format TT-BB ya kak, contoh: /birthday 17-08",
        "en": "Send your birthday as DD-MM, for example /birthday 17-08.",
    },
    "birthday_no_such_day": {
        "id": "Tanggal {date} nggak ada di kalender kak 😅 Coba cek lagi ya, contoh: "
        "/birthday 17-08",
        "en": "There's no {date} on the calendar 😅 Please check it, for example /birthday 17-08.",
    },
    "birthday_no_such_month": {
        "id": "Tanggal {date} nggak ada kak, bulannya cuma 01 sampai 12 😅 Contoh: /birthday 17-08",
        "en": "There's no {date}: months go from 01 to 12 😅 For example /birthday 17-08.",
    },
    "lang_set": {
        "id": "Siap kak, mulai sekarang kami pakai Bahasa Indonesia ya 😊",
        "en": "OK, I'll speak English.",
    },
    "lang_usage": {
        "id": "Pilih bahasanya ya kak: /lang id (Indonesia) atau /lang en (English).",
        "en": "Choose a language: /lang id (Indonesian) or /lang en (English).",
    },
    "stopped": {
        "id": "Oke kak, kami nggak kirim pesan otomatis lagi ya. Kalau mau nyalain lagi, ketik "
        "/start kapan aja.",
        "en": "You won't receive automated messages any more. Type /start any time to turn "
        "them back on.",
    },
    "forget_confirm": {
        "id": "Yakin mau hapus semua data pribadi dan riwayat chat kakak di toko kami? Ini nggak "
        "bisa dibatalkan ya kak.",
        "en": "Erase all your personal data and chat history with us? This cannot be undone.",
    },
    "forget_yes": {"id": "Ya, hapus", "en": "Yes, erase"},
    "forget_no": {"id": "Nggak jadi", "en": "Cancel"},
    "forget_done": {
        "id": "Beres kak, data pribadi dan riwayat chat kakak sudah kami hapus. Kalau nanti chat "
        "lagi, kakak akan tercatat sebagai pelanggan baru ya.",
        "en": "Your personal data and chat history have been erased. If you write again, "
        "you'll start as a new customer.",
    },
    "forget_cancelled": {
        "id": "Oke kak, nggak jadi dihapus. Data kakak tetap aman 😊",
        "en": "OK, nothing was erased.",
    },
    "unknown_command": {
        "id": "Maaf kak, perintah {command} nggak ada 🙏 Ketik /help buat lihat menu ya.",
        "en": "Sorry, I don't know the command {command}. Type /help for the menu.",
    },
    # The message is stored, but what it asked for could not be done: say both, honestly.
    "error_later": {
        "id": "Maaf kak, sistem kami lagi ada gangguan sebentar 🙏 Pesan kakak sudah aman "
        "tersimpan, tapi belum bisa kami proses. Boleh dicoba beberapa menit lagi ya.",
        "en": "Sorry, our system is having a short hiccup 🙏 Your message is safely saved, but we "
        "couldn't process it yet. Please try again in a few minutes.",
    },
    # Only when the message itself could not be stored.
    "error_delayed": {
        "id": "Maaf kak, sistem kami lagi lambat sebentar 🙏 Pesan kakak sudah aman kami terima, "
        "balasannya menyusul ya.",
        "en": "Sorry, our system is a little slow right now 🙏 Your message is safely with us; "
        "the answer follows shortly.",
    },
}
