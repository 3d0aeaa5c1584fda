"""The one command table: it feeds the handlers, Telegram's command menu and the README."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import BotCommand, Update

from bot.context import AkrabContext
from bot.handlers import feedback, forget, profile


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    callback: Callable[[Update, AkrabContext], Coroutine[Any, Any, None]]
    descriptions: dict[str, str]  # language -> one line for the menu and /help

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions["en"]


CUSTOMER_COMMANDS: tuple[Command, ...] = (
    Command(
        "start",
        profile.start,
        {"id": "Mulai / aktifkan pesan otomatis", "en": "Start / turn automated messages back on"},
    ),
    Command("help", profile.help_command, {"id": "Daftar perintah", "en": "List of commands"}),
    Command(
        "feedback", feedback.feedback_command, {"id": "Kirim masukan", "en": "Send us feedback"}
    ),
    Command(
        "rate",
        feedback.ask_csat,
        {"id": "Beri nilai layanan kami (1-5)", "en": "Rate our service (1-5)"},
    ),
    Command(
        "nps",
        feedback.ask_nps,
        {
            "id": "Seberapa mungkin Anda merekomendasikan kami (0-10)",
            "en": "How likely you are to recommend us (0-10)",
        },
    ),
    Command(
        "invite",
        profile.invite,
        {"id": "Tautan undangan untuk teman", "en": "Your invite link for friends"},
    ),
    Command(
        "birthday",
        profile.birthday,
        {
            "id": "Simpan ulang tahun Anda: /birthday HH-BB",
            "en": "Save your birthday: /birthday DD-MM",
        },
    ),
    Command(
        "lang",
        profile.set_language,
        {
            "id": "Ganti bahasa: /lang id atau /lang en",
            "en": "Change language: /lang id or /lang en",
        },
    ),
    Command(
        "stop",
        profile.stop,
        {"id": "Berhenti menerima pesan otomatis", "en": "Stop automated messages"},
    ),
    Command(
        "forget", forget.forget, {"id": "Hapus data pribadi Anda", "en": "Erase your personal data"}
    ),
)


def menu(lang: str) -> list[BotCommand]:
    """Telegram's command menu in `lang`."""
    return [BotCommand(c.name, c.description(lang)) for c in CUSTOMER_COMMANDS]


def readme_lines() -> list[str]:
    """The README's command list, one Markdown line per command (a test keeps them equal)."""
    return [f"| `/{c.name}` | {c.description('en')} |" for c in CUSTOMER_COMMANDS]
