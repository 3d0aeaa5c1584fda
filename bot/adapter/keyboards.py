"""Inline keyboards the bot attaches to its messages: rating buttons (from /rate and /nps, and
on scheduled rating requests) and the complaint follow-up's "Sudah beres / Belum"."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.adapter import callbacks
from bot.texts import t


def rating_keyboard(kind: str) -> InlineKeyboardMarkup:
    """CSAT 1-5 stars in one row, or NPS 0-10 in two."""
    if kind == "csat":
        rows = [
            [
                InlineKeyboardButton(f"{n} ⭐", callback_data=callbacks.make("csat", n))
                for n in range(1, 6)
            ]
        ]
    else:
        rows = [
            [InlineKeyboardButton(str(n), callback_data=callbacks.make("nps", n)) for n in row]
            for row in (range(0, 6), range(6, 11))
        ]
    return InlineKeyboardMarkup(rows)


def resolved_keyboard(lang: str) -> InlineKeyboardMarkup:
    """The complaint follow-up's two answers."""
    yes = InlineKeyboardButton(
        t(lang, "outreach_resolved_yes"), callback_data=callbacks.make("resolved", "yes")
    )
    no = InlineKeyboardButton(
        t(lang, "outreach_resolved_no"), callback_data=callbacks.make("resolved", "no")
    )
    return InlineKeyboardMarkup([[yes, no]])


def outreach_markup(kind: str, lang: str) -> InlineKeyboardMarkup | None:
    """The buttons an automated message of `kind` carries (None: plain text)."""
    if kind == "complaint_followup":
        return resolved_keyboard(lang)
    if kind == "rating":
        return rating_keyboard("csat")
    return None
