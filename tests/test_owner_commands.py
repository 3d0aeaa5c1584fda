"""The owner console's commands (/customer, /atrisk, /top, /catat, /settings) and their buttons,
through a real Application on a real SQLite database; the owner gate on each of them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.adapter.offline import buttons
from bot.config import Settings
from bot.texts import t
from storage import customers, scores
from storage.models import Customer, Outreach, Purchase
from tests.auxil.harness import BotHarness

OWNER = 99
SARI, BUDI, BUDI2, EMPTY = 501, 502, 503, 504


@pytest.fixture
async def bot(settings: Settings, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, sqlite_engine) as harness:
        yield harness


async def seed(bot: BotHarness) -> None:
    """Three customers who wrote to the bot: Sari (@sari) and two Budis."""
    bot.user(SARI, first_name="Sari Dewi", username="sari")
    bot.user(BUDI, first_name="Budi Santoso", username="budis")
    bot.user(BUDI2, first_name="Budi Hartono", language_code="en")
    await bot.send(SARI, "/start")
    await bot.send(SARI, "barangnya bagus banget, makasih")
    await bot.send(BUDI, "halo, ada stok?")
    await bot.send(BUDI2, "hello, do you ship to Bali?")


def customer(engine: Engine, telegram_id: int) -> Customer:
    with Session(engine) as session:
        found = customers.get_customer(session=session, telegram_id=telegram_id)
        assert found is not None
        return found


def score_as(
    bot: BotHarness, telegram_id: int, ces: float, segment: str, declining: bool = False
) -> int:
    """Give a customer a current score as a scoring run would (storage's own write path)."""
    customer_id = customer(bot.engine, telegram_id).id
    assert customer_id is not None
    with Session(bot.engine) as session:
        scores.set_current(
            session=session,
            rows=[
                {
                    "customer_id": customer_id,
                    "ces": ces,
                    "segment": segment,
                    "declining": declining,
                    "computed_at": bot.clock.now,
                }
            ],
        )
        session.commit()
    return customer_id


def outreach(engine: Engine) -> list[Outreach]:
    with Session(engine) as session:
        return list(session.exec(select(Outreach).order_by(Outreach.id)))  # type: ignore[arg-type]


def purchases(engine: Engine) -> list[Purchase]:
    with Session(engine) as session:
        return list(session.exec(select(Purchase).order_by(Purchase.id)))  # type: ignore[arg-type]


def last(bot: BotHarness, chat_id: int = OWNER) -> dict:
    return bot.telegram.bot_messages(chat_id)[-1]


def last_answer(bot: BotHarness) -> str:
    return str(bot.calls("answerCallbackQuery")[-1].get("text") or "")


# /customer


async def test_customer_card_by_username_shows_score_spend_messages_and_buttons(
    bot: BotHarness,
) -> None:
    await seed(bot)
    await bot.send(OWNER, "/customer @sari")
    card = last(bot)
    sari = customer(bot.engine, SARI)
    assert bot.calls("sendMessage")[-1]["parse_mode"] == "HTML"
    text = card["text"]
    assert f"Sari Dewi (@sari), Telegram {SARI}" in text
    assert "CES: " in text
    assert "segmen: baru" in text
    assert "penyebab: " in text  # the explanation of `akrab customer`
    assert t("id", "console_card_no_spend") in text
    assert "👤" in text
    assert "barangnya bagus banget, makasih" in text
    assert buttons(card) == [
        ("💬 Balas", f"v1:o_reply:{sari.id}"),
        ("⭐ Minta rating", f"v1:o_rate:{sari.id}"),
    ]
    assert customer(bot.engine, SARI).scored_at is not None  # the card refreshed the CES


async def test_customer_card_by_telegram_id_in_the_owners_language(bot: BotHarness) -> None:
    await seed(bot)
    bot.user(OWNER, language_code="en")
    await bot.send(OWNER, f"/customer {BUDI2}")
    text = last(bot)["text"]
    assert "Budi Hartono, Telegram 503" in text
    assert "Last messages:" in text
    assert "do you ship to Bali?" in text


async def test_an_ambiguous_name_lists_the_matches_and_a_press_opens_the_card(
    bot: BotHarness,
) -> None:
    await seed(bot)
    await bot.send(OWNER, "/customer budi")
    listing = last(bot)
    assert listing["text"] == t("id", "console_customer_many", query="budi")
    budi, budi2 = customer(bot.engine, BUDI).id, customer(bot.engine, BUDI2).id
    assert sorted(buttons(listing)) == sorted(
        [
            ("👤 Budi Santoso (@budis)", f"v1:o_card:{budi}"),
            ("👤 Budi Hartono", f"v1:o_card:{budi2}"),
        ]
    )
    await bot.press(OWNER, f"v1:o_card:{budi2}")
    assert "Budi Hartono, Telegram 503" in last(bot)["text"]


async def test_a_unique_part_of_a_name_opens_the_card(bot: BotHarness) -> None:
    await seed(bot)
    await bot.send(OWNER, "/customer DEWI")
    assert "Sari Dewi (@sari)" in last(bot)["text"]


@pytest.mark.parametrize("query", ["@nobody", "424242", "Joko"])
async def test_nothing_found_says_so(bot: BotHarness, query: str) -> None:
    await seed(bot)
    await bot.send(OWNER, f"/customer {query}")
    assert last(bot)["text"] == t("id", "console_customer_not_found", query=query)


@pytest.mark.parametrize(
    "text", ["/customer", "/customer @", "/customer @no-such!", "/customer ??"]
)
async def test_a_malformed_argument_gets_the_usage_line(bot: BotHarness, text: str) -> None:
    await bot.send(OWNER, text)
    assert last(bot)["text"] == t("id", "console_customer_usage")


async def test_an_erased_customer_is_not_found(bot: BotHarness) -> None:
    await seed(bot)
    await bot.send(SARI, "/forget")
    await bot.press(SARI, "v1:forget:yes")
    await bot.send(OWNER, "/customer sari")
    assert last(bot)["text"] == t("id", "console_customer_not_found", query="sari")


# One-tap outreach: each press plans exactly one outbox row.


async def test_rating_request_button_plans_one_rating_row_however_often_pressed(
    bot: BotHarness,
) -> None:
    await seed(bot)
    await bot.send(OWNER, "/customer @sari")
    sari = customer(bot.engine, SARI)
    await bot.press(OWNER, f"v1:o_rate:{sari.id}")
    assert last_answer(bot) == t("id", "console_queued")
    await bot.press(OWNER, f"v1:o_rate:{sari.id}")
    assert last_answer(bot) == t("id", "console_already_queued")
    [row] = outreach(bot.engine)
    assert (row.kind, row.priority, row.status, row.customer_id) == (
        "rating",
        50,
        "planned",
        sari.id,
    )
    assert row.due_at == bot.clock.now
    assert row.language == "id"
    assert row.text.startswith("Halo kak Sari Dewi! Gimana pengalaman belanja di Toko Kami?")
    assert row.dedupe_key == f"owner_rating:{sari.id}:2026-11-01"
    bot.clock.advance(days=1)  # another day is another request
    await bot.press(OWNER, f"v1:o_rate:{sari.id}")
    assert len(outreach(bot.engine)) == 2


async def test_no_outreach_to_a_customer_who_sent_stop(bot: BotHarness) -> None:
    await seed(bot)
    await bot.send(SARI, "/stop")
    await bot.send(OWNER, "/customer @sari")
    assert t("id", "console_card_opted_out") in last(bot)["text"]
    await bot.press(OWNER, f"v1:o_rate:{customer(bot.engine, SARI).id}")
    assert last_answer(bot) == t("id", "console_not_reachable")
    assert outreach(bot.engine) == []


# /atrisk and /top


async def test_atrisk_lists_at_risk_and_declining_and_winback_plans_one_message(
    bot: BotHarness,
) -> None:
    await seed(bot)
    budi2 = score_as(bot, BUDI2, 22.5, "at_risk")
    budi = score_as(bot, BUDI, 55.0, "potential", declining=True)
    score_as(bot, SARI, 80.0, "advocate")
    await bot.send(OWNER, "/atrisk")
    listing = last(bot)
    lines = listing["text"].splitlines()
    assert lines[0] == t("id", "console_atrisk_title", total=2)
    assert lines[2].startswith("1. Budi Hartono — CES 22,5, berisiko pergi, terakhir aktif")
    assert lines[3] == "   ↳ aktif 1 dari 30 hari terakhir; pesan terakhir hari ini"  # why
    assert lines[4].startswith("2. Budi Santoso (@budis) — CES 55,0, potensial, menurun")
    assert "Sari" not in listing["text"]
    assert buttons(listing) == [
        ("💌 Budi Hartono", f"v1:o_winback:{budi2}"),
        ("👤", f"v1:o_card:{budi2}"),
        ("💌 Budi Santoso (@budis)", f"v1:o_winback:{budi}"),
        ("👤", f"v1:o_card:{budi}"),
    ]
    await bot.press(OWNER, f"v1:o_winback:{budi2}")
    await bot.press(OWNER, f"v1:o_winback:{budi2}")
    [row] = outreach(bot.engine)
    assert (row.kind, row.priority, row.customer_id, row.language) == ("at_risk", 10, budi2, "en")
    assert row.text.startswith("Hi Budi Hartono, how are you?")


async def test_winback_carries_the_configured_incentive(
    settings: Settings, sqlite_engine: Engine
) -> None:
    settings = settings.model_copy(update={"at_risk_incentive": "Pakai kode KANGEN10 ya!"})
    async with BotHarness(settings, sqlite_engine) as bot:
        await seed(bot)
        budi = score_as(bot, BUDI, 20.0, "at_risk")
        await bot.send(OWNER, "/atrisk")
        await bot.press(OWNER, f"v1:o_winback:{budi}")
        [row] = outreach(bot.engine)
        assert row.text.endswith("\n\nPakai kode KANGEN10 ya!")


async def test_top_lists_advocates_and_thanks_asks_for_a_referral_with_the_invite_link(
    bot: BotHarness,
) -> None:
    await seed(bot)
    sari = score_as(bot, SARI, 91.0, "advocate")
    budi = score_as(bot, BUDI, 75.0, "advocate")
    score_as(bot, BUDI2, 30.0, "at_risk")
    await bot.send(OWNER, "/top")
    listing = last(bot)
    assert listing["text"].splitlines()[2].startswith("1. Sari Dewi (@sari) — CES 91,0")
    assert "Hartono" not in listing["text"]
    assert [data for _, data in buttons(listing)] == [
        f"v1:o_thanks:{sari}",
        f"v1:o_card:{sari}",
        f"v1:o_thanks:{budi}",
        f"v1:o_card:{budi}",
    ]
    await bot.press(OWNER, f"v1:o_thanks:{sari}")
    await bot.press(OWNER, f"v1:o_thanks:{sari}")
    [row] = outreach(bot.engine)
    code = customer(bot.engine, SARI).referral_code
    assert row.kind == "advocate"
    assert row.customer_id == sari
    assert f"https://t.me/akrab_offline_bot?start=ref_{code}" in row.text


@pytest.mark.parametrize(
    ("command", "key"), [("atrisk", "console_atrisk_empty"), ("top", "console_top_empty")]
)
async def test_empty_lists_say_so(bot: BotHarness, command: str, key: str) -> None:
    await seed(bot)
    await bot.send(OWNER, f"/{command}")
    assert last(bot)["text"] == t("id", key)
    assert buttons(last(bot)) == []


async def test_atrisk_pages_ten_at_a_time(bot: BotHarness) -> None:
    for n in range(12):
        bot.user(600 + n, first_name=f"Pelanggan {n:02d}")
        await bot.send(600 + n, "halo")
        score_as(bot, 600 + n, 10.0 + n, "at_risk")
    await bot.send(OWNER, "/atrisk")
    first = last(bot)
    assert len(buttons(first)) == 20
    assert first["text"].splitlines()[-1] == t(
        "id", "console_list_page", page=1, pages=2, command="atrisk", next=2
    )
    assert len(first["text"]) < 4096
    await bot.send(OWNER, "/atrisk 2")
    second = last(bot)
    assert second["text"].splitlines()[2].startswith("11. Pelanggan 10")
    assert len(buttons(second)) == 4
    await bot.send(OWNER, "/atrisk dua")
    assert last(bot)["text"] == t("id", "console_list_usage", command="atrisk")


# /catat


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        ("150.000", 15_000_000),
        ("150000", 15_000_000),
        ("Rp 1.500.000", 150_000_000),
        ("Rp150.000", 15_000_000),
        ("150,000", 15_000_000),
    ],
)
async def test_catat_records_a_purchase_and_answers_the_new_total(
    bot: BotHarness, amount: str, cents: int
) -> None:
    await seed(bot)
    await bot.send(OWNER, f"/catat @sari {amount} kopi susu 2")
    [purchase] = purchases(bot.engine)
    sari = customer(bot.engine, SARI)
    assert (purchase.customer_id, purchase.amount_cents, purchase.source) == (
        sari.id,
        cents,
        "owner",
    )
    assert (purchase.currency, purchase.note) == ("IDR", "kopi susu 2")
    shown = f"{cents // 100:,}".replace(",", ".")
    assert last(bot)["text"].startswith(
        f"Tercatat ✅ Sari Dewi (@sari): Rp {shown}. "
        f"Total belanja sekarang Rp {shown} (1 transaksi)."
    )


async def test_catat_adds_up_refreshes_the_ces_and_a_redelivery_records_once(
    bot: BotHarness,
) -> None:
    await seed(bot)
    await bot.send(OWNER, f"/catat {SARI} 100.000")
    before = customer(bot.engine, SARI).ces
    update = bot.telegram.message_update(bot.user(OWNER), text=f"/catat {SARI} 900.000 sepatu")
    await bot.feed(update)
    await bot.feed(update)  # Telegram delivered it twice
    assert [p.amount_cents for p in purchases(bot.engine)] == [10_000_000, 90_000_000]
    assert "Total belanja sekarang Rp 1.000.000 (2 transaksi)" in last(bot)["text"]
    after = customer(bot.engine, SARI)
    assert before is not None
    assert after.ces is not None
    assert after.ces > before
    assert after.scored_at == bot.clock.now


@pytest.mark.parametrize(
    ("arguments", "key"),
    [
        ("@sari abc", "console_catat_bad_amount"),
        ("@sari 1,5jt", "console_catat_bad_amount"),  # the CSV import refuses it too
        ("@sari -5000", "console_catat_bad_amount"),
        ("@sari 0", "console_catat_bad_amount"),
        ("@sari Rp 1.500.000,50", "console_catat_cents"),  # rupiah have no cents (as in CSV)
        ("@nobody 150.000", "console_catat_unknown"),
        ("", "console_catat_usage"),
        ("@sari", "console_catat_usage"),
        ("Sari 150.000", "console_catat_usage"),  # a name is not precise enough for money
    ],
)
async def test_catat_refuses_bad_input_clearly(bot: BotHarness, arguments: str, key: str) -> None:
    await seed(bot)
    await bot.send(OWNER, f"/catat {arguments}".strip())
    words = arguments.split()
    amount = " ".join(words[1:]) if len(words) > 1 else ""
    who = words[0] if words else ""
    assert last(bot)["text"] == t("id", key, amount=amount, who=who)
    assert purchases(bot.engine) == []


# /settings


async def test_settings_shows_the_configuration_but_never_secrets(
    settings: Settings, sqlite_engine: Engine
) -> None:
    settings = settings.model_copy(
        update={
            "telegram_bot_token": SecretStr("123456:TOPSECRET-token"),
            "webhook_secret": SecretStr("hook-secret-value"),
            "shop_name": "Warung Sari",
            "greeting_holidays": "idul_fitri,natal",
            "at_risk_cooldown": timedelta(days=14),
        }
    )
    async with BotHarness(settings, sqlite_engine) as bot:
        bot.user(OWNER, language_code="en")
        await bot.send(OWNER, "/settings")
        text = last(bot)["text"]
    lines = text.splitlines()
    assert lines[0] == "Settings of Warung Sari"
    assert "CES weights: frequency 0.25, recency 0.2, depth 0.15, monetary 0.15, " in text
    assert "satisfaction 0.1 (default)" in text
    assert "Quiet hours: 21:00–08:00" in lines
    assert "Holiday greetings: idul_fitri,natal" in lines
    assert "win-back 20/day, cooldown 14d" in text
    assert "Owner console: each owner's private chat" in lines
    assert "Timezone: Asia/Jakarta" in lines
    for secret in ("TOPSECRET", "hook-secret", "sqlite:", settings.database_url):
        assert secret not in text


async def test_settings_in_indonesian_with_defaults(bot: BotHarness) -> None:
    await bot.send(OWNER, "/settings")
    text = last(bot)["text"]
    assert text.startswith("Pengaturan Toko Kami\nBobot CES: frequency 0,25")
    assert "Ucapan hari raya: bawaan" in text
    assert "Jam buka: 08:00–21:00" in text


# The owner gate


@pytest.mark.parametrize(
    "text", ["/customer @sari", "/atrisk", "/top", "/catat @sari 150.000", "/settings"]
)
async def test_a_non_owner_gets_the_unknown_command_answer(bot: BotHarness, text: str) -> None:
    await seed(bot)
    relayed = len(bot.telegram.bot_messages(OWNER))  # the live inbox: the seed's messages
    await bot.send(BUDI, text)
    command = text.split()[0]
    assert bot.last_text(BUDI) == t("id", "unknown_command", command=command)
    assert purchases(bot.engine) == []
    assert len(bot.telegram.bot_messages(OWNER)) == relayed  # nothing for the attempt


@pytest.mark.parametrize("action", ["o_card", "o_rate", "o_winback", "o_thanks"])
async def test_a_non_owner_pressing_an_owner_button_is_refused(
    bot: BotHarness, action: str
) -> None:
    await seed(bot)
    sari = score_as(bot, SARI, 90.0, "advocate")
    score_as(bot, BUDI, 20.0, "at_risk")
    await bot.send(OWNER, "/top" if action == "o_thanks" else "/atrisk")
    await bot.send(OWNER, "/customer @sari")
    target = sari if action in ("o_rate", "o_thanks") else customer(bot.engine, BUDI).id
    data = f"v1:{action}:{target}"
    message = next(
        m for m in bot.telegram.bot_messages(OWNER) if any(d == data for _, d in buttons(m))
    )
    sent_before = len(bot.telegram.bot_messages(BUDI))
    # The owner's own message, pressed by someone else (Telegram would not show it to them).
    await bot.feed(bot.telegram.callback_update(bot.user(BUDI), message, data))
    assert last_answer(bot) == t("id", "button_invalid")
    assert outreach(bot.engine) == []
    assert len(bot.telegram.bot_messages(BUDI)) == sent_before
    owner_messages = len(bot.telegram.bot_messages(OWNER))
    await bot.press(OWNER, data)  # the same press from the owner works
    if action == "o_card":
        assert len(bot.telegram.bot_messages(OWNER)) == owner_messages + 1
        assert "Telegram" in last(bot)["text"]
    else:
        assert [row.customer_id for row in outreach(bot.engine)] == [target]


# The same on both backends (PostgreSQL when TEST_DATABASE_URL is set): the console's queries.


@pytest.fixture
async def any_bot(settings: Settings, engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, engine) as harness:
        yield harness


async def test_console_on_each_backend(any_bot: BotHarness) -> None:
    bot = any_bot
    await seed(bot)
    bot.user(505, first_name="100%_Budi")  # LIKE's wildcards are matched literally
    await bot.send(505, "halo")
    await bot.send(OWNER, "/customer BUDI")
    assert len(buttons(last(bot))) == 3
    await bot.send(OWNER, "/customer %_b")
    assert "100%_Budi, Telegram 505" in last(bot)["text"]
    await bot.send(OWNER, "/customer budi santoso")  # the exact full name
    assert "Budi Santoso (@budis), Telegram 502" in last(bot)["text"]
    await bot.send(OWNER, "/catat @SARI 150.000")
    await bot.send(OWNER, "/catat @sari 50.000")
    assert "Total belanja sekarang Rp 200.000 (2 transaksi)" in last(bot)["text"]
    sari = score_as(bot, SARI, 88.0, "advocate")
    budi = score_as(bot, BUDI, 12.0, "at_risk")
    score_as(bot, BUDI2, 40.0, "potential", declining=True)
    await bot.send(OWNER, "/atrisk")
    assert [d for _, d in buttons(last(bot))][::2] == [
        f"v1:o_winback:{budi}",
        f"v1:o_winback:{customer(bot.engine, BUDI2).id}",
    ]
    await bot.press(OWNER, f"v1:o_winback:{budi}")
    await bot.press(OWNER, f"v1:o_winback:{budi}")
    await bot.send(OWNER, "/top")
    await bot.press(OWNER, f"v1:o_thanks:{sari}")
    await bot.press(OWNER, f"v1:o_thanks:{sari}")
    assert [(r.kind, r.customer_id) for r in outreach(bot.engine)] == [
        ("at_risk", budi),
        ("advocate", sari),
    ]


async def test_in_the_owners_forum_group_the_answer_stays_in_the_topic(bot: BotHarness) -> None:
    await seed(bot)
    data = bot.telegram.message_update(
        bot.user(OWNER),
        chat_id=-100777,
        text="/customer @sari",
        message_thread_id=42,
        is_topic_message=True,
    )
    data["message"]["chat"] = {
        "id": -100777,
        "type": "supergroup",
        "title": "Owners",
        "is_forum": True,
    }
    await bot.feed(data)
    sent = bot.calls("sendMessage")[-1]
    assert (int(sent["chat_id"]), int(sent["message_thread_id"])) == (-100777, 42)
    assert "Sari Dewi (@sari)" in sent["text"]


async def test_the_card_escapes_what_customers_wrote_for_telegram_html(bot: BotHarness) -> None:
    bot.user(SARI, first_name="Tom <b>&", username="tom")
    await bot.send(SARI, "harga <i>berapa</i>?")
    await bot.send(OWNER, "/customer @tom")
    text = last(bot)["text"]
    assert "Tom &lt;b&gt;&amp; (@tom)" in text
    assert "harga &lt;i&gt;berapa&lt;/i&gt;?" in text
    assert text.count("<pre>") == 1
