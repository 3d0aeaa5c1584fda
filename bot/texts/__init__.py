"""Everything Akrab says to people, in Indonesian and English, in one shape.

Every text is `key: {"id": ..., "en": ...}` with the same `{placeholders}` in both (a test checks
it), and is read through `t(lang, key, **values)`:

- `bot.texts.customer`: what customers read in chat;
- `bot.texts.report`: the owner's `akrab customer` report (labels, segments, raw measures);
- `bot.texts.reasons`: the owner's sentences for `scoring.segments.Reason` codes;
- `bot.texts.console`: the owner console's /customer, /atrisk, /top, /catat and /settings;
- `bot.texts.campaign`: the owner's /broadcast and /campaign;
- `bot.texts.outreach`: scheduled messages' templates and the replies to a complaint;
- `bot.texts.owner_report`: the owner's `/report` (text and chart labels) and `/export`;
- `bot.texts.owner`: the owner's console in Telegram (inbox, alerts, replies, /help).

Command descriptions stay in the command table (`bot.adapter.commands`), same two languages.
"""

from __future__ import annotations

from typing import Literal

from bot.texts import campaign as campaign_texts
from bot.texts import console as console_texts
from bot.texts import customer, outreach, outreach_buttons, owner, owner_report, reasons, report

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")
MODULES = (
    customer,
    report,
    reasons,
    console_texts,
    campaign_texts,
    outreach,
    owner_report,
    outreach_buttons,
    owner,
)


def _merge() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for module in MODULES:
        for key, variants in module.TEXTS.items():
            if key in merged:
                raise RuntimeError(f"text {key!r} is defined twice ({module.__name__})")
            merged[key] = variants
    return merged


TEXTS: dict[str, dict[str, str]] = _merge()


def t(lang: str, key: str, /, **values: object) -> str:
    """The text `key` in `lang` (English when the language is not one we speak)."""
    variants = TEXTS[key]
    template = variants.get(lang) or variants["en"]
    return template.format(**values) if values else template
