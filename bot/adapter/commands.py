"""The one command table (plain data): it feeds the handlers, Telegram's command menus and the
README. Which function answers a command is decided in `bot.handlers.register`, so this table
imports no handler."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from telegram import BotCommand

Audience = Literal["customer", "owner"]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    audience: Audience
    descriptions: dict[str, str]  # "id" and "en" -> one line for the menu and /help (see bot.texts)

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions["en"]


COMMANDS: tuple[Command, ...] = (
    Command(
        "start",
        "customer",
        {
            "id": "Mulai / nyalakan lagi pesan otomatis",
            "en": "Start / turn automated messages back on",
        },
    ),
    Command("help", "customer", {"id": "Lihat menu", "en": "List of commands"}),
    Command("feedback", "customer", {"id": "Kirim kritik & saran", "en": "Send us feedback"}),
    Command(
        "rate",
        "customer",
        {"id": "Kasih nilai buat layanan kami (1-5)", "en": "Rate our service (1-5)"},
    ),
    Command(
        "nps",
        "customer",
        {
            "id": "Seberapa mungkin kakak rekomendasiin kami (0-10)",
            "en": "How likely you are to recommend us (0-10)",
        },
    ),
    Command(
        "invite",
        "customer",
        {"id": "Link undangan buat teman", "en": "Your invite link for friends"},
    ),
    Command(
        "birthday",
        "customer",
        {
            "id": "Simpan tanggal ulang tahun: /birthday TT-BB",
            "en": "Save your birthday: /birthday DD-MM",
        },
    ),
    Command(
        "lang",
        "customer",
        {
            "id": "Ganti bahasa: /lang id atau /lang en",
            "en": "Change language: /lang id or /lang en",
        },
    ),
    Command(
        "stop",
        "customer",
        {"id": "Berhenti terima pesan otomatis", "en": "Stop automated messages"},
    ),
    Command(
        "forget", "customer", {"id": "Hapus data pribadi kakak", "en": "Erase your personal data"}
    ),
    # The owner console (bot/handlers/owner): only OWNER_IDS see and can use these.
    Command(
        "customer",
        "owner",
        {
            "id": "Kartu pelanggan: /customer @username, ID atau nama",
            "en": "A customer's card: /customer @username, id or name",
        },
    ),
    Command(
        "atrisk",
        "owner",
        {
            "id": "Pelanggan berisiko pergi & yang menurun",
            "en": "At-risk and declining customers",
        },
    ),
    Command(
        "top",
        "owner",
        {"id": "Pelanggan setia dengan CES tertinggi", "en": "Top advocates by CES"},
    ),
    Command(
        "catat",
        "owner",
        {
            "id": "Catat pembelian: /catat @username 150.000 [catatan]",
            "en": "Record a purchase: /catat @username 150.000 [note]",
        },
    ),
    Command(
        "settings",
        "owner",
        {"id": "Lihat pengaturan toko", "en": "What is configured"},
    ),
    Command(
        "broadcast",
        "owner",
        {"id": "Kirim kampanye ke satu segmen (A/B)", "en": "Send a campaign to a segment (A/B)"},
    ),
    Command(
        "campaign",
        "owner",
        {
            "id": "Hasil kampanye terbaru, atau /campaign [nomor]",
            "en": "Latest campaign results, or /campaign [number]",
        },
    ),
    Command(
        "report",
        "owner",
        {
            "id": "Laporan toko + grafik: /report 7d, 30d atau 90d",
            "en": "Shop report with a chart: /report 7d, 30d or 90d",
        },
    ),
    Command(
        "export",
        "owner",
        {"id": "Unduh data pelanggan (CSV)", "en": "Download the customers as CSV"},
    ),
    # The owner's own /start and /help (bot/handlers/owner/help.py). A name may be in both
    # audiences: owners get the owner's command, everyone else the customer's.
    Command("start", "owner", {"id": "Sapa konsol pemilik", "en": "The owner console's hello"}),
    Command("help", "owner", {"id": "Perintah pemilik", "en": "Owner commands"}),
)
CUSTOMER_COMMANDS = tuple(c for c in COMMANDS if c.audience == "customer")
OWNER_COMMANDS = tuple(c for c in COMMANDS if c.audience == "owner")
OWNER_COMMAND_NAMES = frozenset(c.name for c in OWNER_COMMANDS)


def menu(lang: str, audience: Audience = "customer") -> list[BotCommand]:
    """Telegram's command menu for `audience` in `lang`."""
    return [BotCommand(c.name, c.description(lang)) for c in COMMANDS if c.audience == audience]


def readme_lines() -> list[str]:
    """The README's command list, one Markdown line per command (a test keeps them equal)."""
    return [f"| `/{c.name}` | {c.description('en')} |" for c in CUSTOMER_COMMANDS]


def owner_readme_lines() -> list[str]:
    """The README's owner console list, one Markdown line per owner command (a test keeps them
    equal)."""
    return [f"| `/{c.name}` | {c.description('en')} |" for c in OWNER_COMMANDS]
