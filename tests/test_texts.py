"""Every text Akrab shows people has one shape: both languages, the same placeholders."""

from __future__ import annotations

import re
import string
from decimal import Decimal

import pytest

from bot.adapter.commands import COMMANDS
from bot.services.customer_report import reason_text
from bot.texts import LANGS, MODULES, TEXTS, t
from scoring.segments import REASON_CODES, Reason

ANDA = re.compile(r"\banda\b", re.IGNORECASE)
COMMAND_TEXTS = {f"/{c.name} ({c.audience})": c.descriptions for c in COMMANDS}
ALL = {**TEXTS, **COMMAND_TEXTS}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_keys_are_unique_across_text_modules() -> None:
    assert sum(len(m.TEXTS) for m in MODULES) == len(TEXTS)


@pytest.mark.parametrize("key", sorted(ALL))
def test_text_has_both_languages_with_the_same_placeholders(key: str) -> None:
    variants = ALL[key]
    assert set(variants) == set(LANGS)
    assert all(variants[lang].strip() for lang in LANGS)
    assert placeholders(variants["id"]) == placeholders(variants["en"])


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_text_formats_with_dummy_values(key: str) -> None:
    dummy = dict.fromkeys(placeholders(TEXTS[key]["en"]), 1)
    for lang in LANGS:
        assert TEXTS[key][lang].format(**dummy) == (
            t(lang, key, **dummy) if dummy else t(lang, key)
        )


@pytest.mark.parametrize("key", sorted(ALL))
def test_indonesian_never_says_anda(key: str) -> None:
    assert not ANDA.search(ALL[key]["id"]), ALL[key]["id"]


def test_anda_check_matches_whole_words_only() -> None:
    assert ANDA.search("Terima kasih, ANDA")
    assert not ANDA.search("tandai pandai, Andalas")


def test_t_falls_back_to_english() -> None:
    assert t("fr", "ack") == t("en", "ack")
    assert t("fr", "welcome", name="Sari") == t("en", "welcome", name="Sari")
    with pytest.raises(KeyError):
        t("id", "no_such_text")


SAMPLE_VALUES = {
    "active_days": {"days": 3},
    "last_message_days": {"days": 3},
    "silent_days": {"days": 34},
    "depth": {"feedback": 2, "ratings": 1, "referrals": 0, "button_clicks": 1},
    "spent": {"amount": Decimal(250_000)},
    "last_rating": {"score": 4},
    "average_rating": {"mean": 3.5},
    "recommendation_score": {"mean": 8.0},
}


@pytest.mark.parametrize("code", REASON_CODES)
@pytest.mark.parametrize("lang", LANGS)
def test_every_reason_code_reads_in_both_languages(code: str, lang: str) -> None:
    text = reason_text(lang, Reason(code, SAMPLE_VALUES.get(code, {})))  # type: ignore[arg-type]
    assert text
    assert "{" not in text
