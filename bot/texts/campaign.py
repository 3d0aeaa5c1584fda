"""What owners read while running campaigns: /broadcast (segment, variants, preview, confirm)
and /campaign (per-variant engagement and whether the difference is likely real)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "campaign_segment_all": {"id": "Semua", "en": "Everyone"},
    "campaign_segment_advocate": {"id": "Pendukung setia", "en": "Advocates"},
    "campaign_segment_potential": {"id": "Potensial", "en": "Potential"},
    "campaign_segment_at_risk": {"id": "Berisiko pergi", "en": "At risk"},
    "campaign_segment_new": {"id": "Pelanggan baru", "en": "New"},
    "campaign_segment_declining": {"id": "Menurun", "en": "Declining"},
    "campaign_segment_button": {"id": "{segment} ({count})", "en": "{segment} ({count})"},
    "campaign_lang_id": {"id": "Bahasa Indonesia", "en": "Indonesian"},
    "campaign_lang_en": {"id": "Bahasa Inggris", "en": "English"},
    "campaign_lang_any": {"id": "semua pelanggan", "en": "every customer"},
    # {name} in a campaign text when a customer has no first name.
    "campaign_name_fallback": {"id": "kak", "en": "there"},
    "campaign_example_name": {"id": "Sari", "en": "Alex"},
    "broadcast_pick_segment": {
        "id": "📣 Mau kirim pesan ke siapa? Pilih segmennya (angka = pelanggan yang bisa "
        "dihubungi, tanpa yang sudah /stop, blokir, atau hapus data).",
        "en": "📣 Who should get the message? Pick a segment (the number is the customers we "
        "can reach: not those who used /stop, blocked the bot or erased their data).",
    },
    "broadcast_private_only": {
        "id": "Kampanye dibuat lewat chat pribadi dengan bot ya: kirim /broadcast di sana.",
        "en": "Campaigns are written in your private chat with the bot: send /broadcast there.",
    },
    "broadcast_empty_segment": {
        "id": "Segmen ini belum ada penerimanya, pilih yang lain ya.",
        "en": "Nobody in this segment can be reached yet; pick another one.",
    },
    "broadcast_write_a": {
        "id": "Segmen: {segment} · {count} penerima.\n\nSekarang tulis pesan varian A di chat "
        "ini. {{name}} jadi nama pelanggan, {{shop}} jadi nama toko.\nMau dua bahasa? Tulis "
        "versi Indonesia, lalu satu baris ---, lalu versi Inggris.",
        "en": "Segment: {segment} · {count} recipients.\n\nNow write variant A here. {{name}} "
        "becomes the customer's name, {{shop}} the shop's name.\nTwo languages? Write the "
        "Indonesian version, then a line with just ---, then the English version.",
    },
    "broadcast_ask_b": {
        "id": "Varian A tersimpan ✅ Mau tambah varian B buat dibandingin (A/B)? Penerimanya "
        "nanti dibagi dua sama rata. Langsung tulis aja varian B-nya, atau pilih di bawah.",
        "en": "Variant A saved ✅ Add a variant B to compare (A/B)? The recipients are then "
        "split evenly between the two. Just type variant B, or choose below.",
    },
    "broadcast_write_b": {
        "id": "Oke, sekarang tulis pesan varian B.",
        "en": "Fine, now write variant B.",
    },
    "broadcast_add_b_button": {"id": "Tambah varian B", "en": "Add variant B"},
    "broadcast_no_b_button": {"id": "Tanpa B", "en": "Without B"},
    "broadcast_send_button": {"id": "✅ Kirim", "en": "✅ Send"},
    "broadcast_cancel_button": {"id": "Batal", "en": "Cancel"},
    "broadcast_text_only": {
        "id": "Pesan kampanye harus berupa teks ya. Coba tulis lagi.",
        "en": "A campaign message must be text. Please write it again.",
    },
    "broadcast_too_long": {
        "id": "Pesannya kepanjangan ({length} karakter, maksimal {max}). Coba dipersingkat ya.",
        "en": "That is too long ({length} characters, at most {max}). Please shorten it.",
    },
    "broadcast_bad_split": {
        "id": "Kalau pakai baris ---, isi dua-duanya ya: versi Indonesia di atas, versi "
        "Inggris di bawah.",
        "en": "With a --- line, write both: the Indonesian version above it, the English one "
        "below.",
    },
    "broadcast_preview": {
        "id": "👁 Pratinjau varian {variant} · {language}:\n\n{text}",
        "en": "👁 Preview of variant {variant} · {language}:\n\n{text}",
    },
    "broadcast_summary": {
        "id": "📣 Siap kirim ke segmen {segment}: {count} penerima.\n{split}\n\nPesannya lewat "
        "antrean: jam tenang dan batas kirim tetap berlaku, tiap orang dapat sekali. Kirim "
        "sekarang?",
        "en": "📣 Ready to send to {segment}: {count} recipients.\n{split}\n\nThe messages go "
        "through the outbox: quiet hours and sending limits apply, each person gets it once. "
        "Send now?",
    },
    "broadcast_split_ab": {
        "id": "Varian A ke {a} orang, varian B ke {b} orang (dibagi acak tapi tetap).",
        "en": "Variant A to {a} people, variant B to {b} (a fixed random split).",
    },
    "broadcast_split_a": {
        "id": "Satu varian: semua dapat pesan yang sama.",
        "en": "One variant: everyone gets the same message.",
    },
    "broadcast_launched": {
        "id": "✅ Kampanye #{id} masuk antrean: {count} pesan. Lihat hasilnya dengan "
        "/campaign {id}",
        "en": "✅ Campaign #{id} is in the outbox: {count} messages. See how it goes with "
        "/campaign {id}",
    },
    "broadcast_cancelled": {"id": "Oke, draf kampanye dibatalkan.", "en": "Draft cancelled."},
    "broadcast_stale": {
        "id": "Draf ini sudah nggak aktif. Mulai lagi dengan /broadcast ya.",
        "en": "This draft is no longer open. Start again with /broadcast.",
    },
    "campaign_usage": {
        "id": "Pakai: /campaign buat daftar kampanye, atau /campaign <nomor>.",
        "en": "Use /campaign for the list of campaigns, or /campaign <number>.",
    },
    "campaign_none": {
        "id": "Belum ada kampanye. Mulai dengan /broadcast.",
        "en": "No campaigns yet. Start one with /broadcast.",
    },
    "campaign_not_found": {"id": "Kampanye #{id} nggak ada.", "en": "There is no campaign #{id}."},
    "campaign_list_title": {"id": "📣 Kampanye terakhir:", "en": "📣 Recent campaigns:"},
    "campaign_list_line": {
        "id": "#{id} · {date} · {segment} · {recipients} penerima · {variants} · {status}",
        "en": "#{id} · {date} · {segment} · {recipients} recipients · {variants} · {status}",
    },
    "campaign_status_sending": {"id": "sedang dikirim", "en": "sending"},
    "campaign_status_done": {"id": "selesai", "en": "done"},
    "campaign_status_cancelled": {"id": "dibatalkan", "en": "cancelled"},
    "campaign_header": {
        "id": "📣 Kampanye #{id} · segmen {segment} · {recipients} penerima · {status}",
        "en": "📣 Campaign #{id} · {segment} · {recipients} recipients · {status}",
    },
    "campaign_waiting": {
        "id": "{count} pesan masih di antrean.",
        "en": "{count} messages are still in the outbox.",
    },
    "campaign_variant_line": {
        "id": "Varian {variant}: terkirim {sent}, dibalas {responded}, engagement {rate}",
        "en": "Variant {variant}: sent {sent}, responded {responded}, engagement {rate}",
    },
    "campaign_rate_none": {"id": "belum ada", "en": "none yet"},
    "campaign_verdict_single": {
        "id": "Cuma satu varian, jadi nggak ada yang dibandingin.",
        "en": "Only one variant, so there is nothing to compare.",
    },
    "campaign_verdict_too_little_data": {
        "id": "Belum cukup data buat bilang mana yang lebih bagus (perlu minimal {min} "
        "terkirim per varian dan cukup balasan).",
        "en": "Not enough data yet to say which is better (needs at least {min} sent per "
        "variant and enough responses).",
    },
    "campaign_verdict_likely_real": {
        "id": "Varian {better} kemungkinan besar memang lebih bagus: bedanya kecil "
        "kemungkinan cuma kebetulan (uji dua proporsi, p = {p}).",
        "en": "Variant {better} is likely really better: the difference is unlikely to be "
        "chance (two-proportion test, p = {p}).",
    },
    "campaign_verdict_maybe_chance": {
        "id": "Bedanya belum meyakinkan, bisa jadi cuma kebetulan (uji dua proporsi, p = {p}).",
        "en": "The difference is not convincing yet; it may be chance (two-proportion test, "
        "p = {p}).",
    },
    "campaign_open_button": {"id": "📊 Lihat hasil", "en": "📊 See results"},
    "campaign_refresh_button": {"id": "🔄 Perbarui", "en": "🔄 Refresh"},
    "campaign_stop_button": {"id": "Batalkan", "en": "Cancel it"},
    "campaign_stopped": {
        "id": "Kampanye #{id} dibatalkan: {count} pesan yang belum terkirim nggak jadi dikirim.",
        "en": "Campaign #{id} cancelled: {count} messages not sent yet will not go out.",
    },
    "campaign_not_sending": {
        "id": "Kampanye ini sudah nggak sedang dikirim.",
        "en": "This campaign is not going out any more.",
    },
}
