"""The owner gate: owner commands and buttons are only for OWNER_IDS; owners get their own menu,
/start and /help in their language."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.adapter import callbacks
from bot.adapter.commands import CUSTOMER_COMMANDS, OWNER_COMMANDS, menu
from bot.config import Settings
from bot.texts import t
from storage.models import Customer
from tests.auxil.harness import BotHarness

A, OWNER = 501, 99  # the settings fixture's OWNER_IDS is {99}
CUSTOMER_NAMES = {c.name for c in CUSTOMER_COMMANDS}


@pytest.fixture
async def bot(settings: Settings, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, sqlite_engine) as harness:
        yield harness


@pytest.mark.parametrize("command", [c.name for c in OWNER_COMMANDS])
async def test_owner_commands_are_unknown_to_anyone_else(
    bot: BotHarness, command: str, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.send(A, "/start")  # a known customer
    with caplog.at_level(logging.WARNING, logger="bot.handlers.fallback"):
        await bot.send(A, f"/{command}")
    answer = bot.last_text(A)
    owner_texts = {t("id", "owner_help", commands=""), t("id", "owner_hello", name="", shop="")}
    assert not any(answer.startswith(text[:20]) for text in owner_texts)
    if command in CUSTOMER_NAMES:  # one name in both audiences: customers get theirs
        return
    assert answer == t("id", "unknown_command", command=f"/{command}")
    assert f"user {A} tried the owner command /{command}" in caplog.text


def sample_data(action: str) -> str:
    """Valid callback data of `action` (values are ids, or an id and a choice)."""
    for value in ("1", "1.all", "1.yes", "yes"):
        try:
            return callbacks.make(action, value)
        except callbacks.InvalidCallback:
            continue
    raise AssertionError(f"no sample value for {action}")


@pytest.mark.parametrize("action", sorted(callbacks.OWNER_ACTIONS))
async def test_owner_buttons_are_refused_to_anyone_else(
    bot: BotHarness, action: str, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.send(A, "/start")
    data = sample_data(action)
    # Even on a keyboard that carries it (a copied message), the press is refused.
    message = {
        **bot.telegram.bot_messages(A)[-1],
        "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]},
    }
    with caplog.at_level(logging.WARNING, logger="bot.handlers.buttons"):
        press = await bot.feed(bot.telegram.callback_update(bot.user(A), message, data))
    [answer] = [
        c
        for c in bot.calls("answerCallbackQuery")
        if c["callback_query_id"] == press["callback_query"]["id"]
    ]
    assert answer["text"] == t("id", "button_invalid")
    assert f"refused owner button from non-owner {A}" in caplog.text
    assert bot.telegram.bot_messages(OWNER) == []


@pytest.mark.parametrize("lang", ["id", "en"])
async def test_owner_help_lists_the_owner_commands_in_their_language(
    bot: BotHarness, lang: str
) -> None:
    bot.user(OWNER, language_code=lang)
    await bot.send(OWNER, "/help")
    text = bot.last_text(OWNER)
    assert text.startswith(t(lang, "owner_help", commands="").split("\n")[0])
    for command in OWNER_COMMANDS:
        assert f"/{command.name} — {command.description(lang)}" in text
    assert "/rate" not in text  # not the customers' menu


@pytest.mark.parametrize("lang", ["id", "en"])
async def test_owner_start_says_hello_as_owner(bot: BotHarness, lang: str) -> None:
    bot.user(OWNER, language_code=lang, first_name="Sari")
    await bot.send(OWNER, "/start")
    assert bot.texts(OWNER) == [t(lang, "owner_hello", name="Sari", shop="Toko Kami")]


async def test_owner_unknown_command_gets_an_answer(bot: BotHarness) -> None:
    await bot.send(OWNER, "/rate")  # a customer command is not the owner's
    await bot.send(OWNER, "/nosuch")
    assert bot.texts(OWNER) == [
        t("id", "owner_unknown_command", command="/rate"),
        t("id", "owner_unknown_command", command="/nosuch"),
    ]


async def test_owners_are_never_recorded_as_customers(bot: BotHarness) -> None:
    await bot.send(OWNER, "/help")
    await bot.send(OWNER, "halo")
    with Session(bot.engine) as session:
        assert list(session.exec(select(Customer))) == []


async def test_owner_menu_is_set_for_each_owner_in_both_languages(bot: BotHarness) -> None:
    scoped = [c for c in bot.calls("setMyCommands") if "scope" in c]
    assert [(c["scope"], c.get("language_code")) for c in scoped] == [
        ({"type": "chat", "chat_id": OWNER}, None),
        ({"type": "chat", "chat_id": OWNER}, "id"),
    ]
    assert scoped[0]["commands"] == [c.to_dict() for c in menu("en", "owner")]
    assert scoped[1]["commands"] == [c.to_dict() for c in menu("id", "owner")]
