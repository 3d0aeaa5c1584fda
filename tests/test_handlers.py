"""The customer side of the bot, through a real Application on a real SQLite database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.adapter.offline import Fault
from bot.config import Settings
from bot.texts import t
from storage import customers
from storage.models import Customer, Feedback, Message
from tests.auxil.harness import STICKER, BotHarness

A, B = 501, 502


@pytest.fixture
async def bot(settings: Settings, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, sqlite_engine) as harness:
        yield harness


def rows(engine: Engine, model: type, **where: object) -> list:
    with Session(engine) as session:
        statement = select(model)
        for name, value in where.items():
            statement = statement.where(getattr(model, name) == value)
        return list(session.exec(statement))


def customer(engine: Engine, telegram_id: int) -> Customer:
    with Session(engine) as session:
        found = customers.get_customer(session=session, telegram_id=telegram_id)
        assert found is not None
        return found


async def test_start_registers_and_greets_in_indonesian(bot: BotHarness) -> None:
    await bot.send(A, "/start")
    assert bot.last_text(A).startswith("Halo kak User501!")
    saved = customer(bot.engine, A)
    assert (saved.language, saved.first_name, saved.opted_out) == ("id", "User501", False)


async def test_start_greets_english_speakers_in_english(bot: BotHarness) -> None:
    bot.user(B, language_code="en-GB")
    await bot.send(B, "/start")
    assert bot.last_text(B).startswith("Hi User502!")
    assert customer(bot.engine, B).language == "en"


async def test_a_customer_whose_telegram_sends_no_language_gets_the_shops(bot: BotHarness) -> None:
    bot.user(B, language_code=None)
    await bot.send(B, "/start")
    assert bot.last_text(B).startswith("Halo kak User502!")  # DEFAULT_LANGUAGE
    assert customer(bot.engine, B).language == "id"


async def test_without_a_language_the_first_words_decide(bot: BotHarness) -> None:
    bot.user(B, language_code=None)
    await bot.send(B, "Hi, do you still have the hoodie in size L?")
    assert bot.last_text(B) == t("en", "ack")
    await bot.send(B, "/start")  # Telegram still says nothing: what we know stays
    assert bot.last_text(B).startswith("Hi User502!")
    assert customer(bot.engine, B).language == "en"


async def test_every_inbound_and_outbound_message_is_recorded_once(bot: BotHarness) -> None:
    await bot.send(A, "/start")
    await bot.send(A, "barangnya bagus banget")
    await bot.send_kind(
        A,
        sticker=STICKER,
    )
    recorded = rows(bot.engine, Message)
    inbound = [(m.kind, m.text) for m in recorded if m.direction == "in"]
    assert inbound == [("command", "/start"), ("text", "barangnya bagus banget"), ("sticker", "😀")]
    outbound = [m.text for m in recorded if m.direction == "out"]
    assert outbound == bot.texts(A)
    text_row = next(m for m in recorded if m.kind == "text" and m.direction == "in")
    assert text_row.sentiment_label in {"positive", "negative", "neutral"}
    assert text_row.sentiment_version is not None


async def test_redelivered_update_is_recorded_and_answered_once(bot: BotHarness) -> None:
    update = bot.telegram.message_update(bot.user(A), text="/start")
    await bot.feed(update)
    await bot.feed(update)
    assert len(rows(bot.engine, Message, direction="in")) == 1
    assert len(bot.texts(A)) == 1


async def test_edit_updates_text_and_time_without_a_new_reply(bot: BotHarness) -> None:
    message_id = await bot.send(A, "pesanan saya blm sampai")
    replies = len(bot.texts(A))
    await bot.feed(bot.telegram.edit_update(bot.user(A), message_id, "pesanan saya sudah sampai"))
    [row] = rows(bot.engine, Message, direction="in")
    assert row.text == "pesanan saya sudah sampai"
    assert row.edited_at is not None
    assert len(bot.texts(A)) == replies


@pytest.mark.parametrize(
    ("kind_fields", "kind"),
    [
        (
            {
                "photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}],
                "caption": "lihat ini",
            },
            "photo",
        ),
        ({"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}}, "voice"),
        (
            {
                "video": {
                    "file_id": "v",
                    "file_unique_id": "v",
                    "width": 1,
                    "height": 1,
                    "duration": 1,
                }
            },
            "video",
        ),
        ({"document": {"file_id": "d", "file_unique_id": "d"}}, "document"),
        ({"location": {"latitude": -6.2, "longitude": 106.8}}, "location"),
        ({"contact": {"phone_number": "+62811", "first_name": "Sari"}}, "contact"),
    ],
)
async def test_non_text_messages_are_recorded_with_their_kind(
    bot: BotHarness, kind_fields: dict, kind: str
) -> None:
    await bot.send_kind(A, **kind_fields)
    [row] = rows(bot.engine, Message, direction="in")
    assert row.kind == kind


@pytest.mark.parametrize("text", ["", "😀🔥👍", "x" * 4096])
async def test_odd_texts_are_recorded_and_acknowledged(bot: BotHarness, text: str) -> None:
    await bot.send(A, text)
    [row] = rows(bot.engine, Message, direction="in")
    assert row.text == text
    assert bot.texts(A) == [
        "Makasih kak, pesannya sudah kami terima 🙏 Admin akan segera membalas ya."
    ]


async def test_negative_first_message_gets_an_apology(bot: BotHarness) -> None:
    bot.user(A, language_code="en")
    await bot.send(A, "This is terrible, the worst service ever")
    assert bot.last_text(A).startswith("We're sorry")


async def test_referral_is_recorded_once_and_never_to_oneself(bot: BotHarness) -> None:
    await bot.send(B, "/start")
    await bot.send(B, "/invite")
    code = customer(bot.engine, B).referral_code
    assert f"https://t.me/akrab_offline_bot?start=ref_{code}" in bot.last_text(B)
    await bot.send(A, f"/start ref_{code}")
    assert "User502" in bot.texts(A)[1]
    await bot.send(A, f"/start ref_{customer(bot.engine, A).referral_code}")  # own code
    assert customer(bot.engine, A).referred_by_id == customer(bot.engine, B).id
    await bot.send(B, f"/start ref_{customer(bot.engine, B).referral_code}")
    assert customer(bot.engine, B).referred_by_id is None
    await bot.send(B, "/invite")
    assert "1 teman" in bot.last_text(B)


async def test_unknown_referral_code_still_registers(bot: BotHarness) -> None:
    await bot.send(A, "/start ref_nosuchcode")
    assert customer(bot.engine, A).referred_by_id is None
    assert len(bot.texts(A)) == 1


async def test_feedback_with_text_and_on_next_message(bot: BotHarness) -> None:
    await bot.send(A, "/feedback pengirimannya lambat sekali")
    await bot.send(A, "/feedback")
    assert bot.last_text(A) == t("id", "feedback_ask")
    await bot.send_kind(
        A,
        sticker=STICKER,
    )
    assert bot.last_text(A) == t("id", "feedback_not_text")
    await bot.send(A, "tolong tambah menu sambal")
    assert bot.last_text(A) == "Makasih banyak kak atas masukannya! 🙏"
    comments = [f.comment for f in rows(bot.engine, Feedback, kind="text")]
    assert comments == ["pengirimannya lambat sekali", "tolong tambah menu sambal"]
    assert all(f.message_id is not None for f in rows(bot.engine, Feedback))


async def test_csat_press_stores_one_answer_per_prompt(bot: BotHarness) -> None:
    await bot.send(A, "/rate")
    await bot.press(A, "v1:csat:2")
    await bot.press(A, "v1:csat:4")
    await bot.press(A, "v1:csat:4")  # same again: no error, no duplicate
    [answer] = rows(bot.engine, Feedback, kind="csat")
    assert answer.score == 4
    # The rating message shows the answer; the 2 brought the complaint question after it.
    assert "4/5" in bot.texts(A)[0]
    assert bot.last_text(A) == t("id", "complaint_rating_ask")
    await bot.send(A, "/rate")  # a new prompt is a new answer
    await bot.press(A, "v1:csat:5")
    assert sorted(f.score for f in rows(bot.engine, Feedback, kind="csat")) == [4, 5]


async def test_rating_press_says_what_happened(bot: BotHarness) -> None:
    await bot.send(A, "/nps")
    for value in (7, 7, 9, 9, 7):
        await bot.press(A, f"v1:nps:{value}")
    popups = [c["text"] for c in bot.calls("answerCallbackQuery")]
    assert popups == [
        "Makasih kak! Nilai dari kakak: 7/10 🙏 Mau ganti? Tinggal tekan tombol lain ya.",
        "Nilai kakak tetap 7/10, makasih ya! 🙏",
        "Nilai kakak sudah diubah jadi 9/10. Makasih ya kak! 🙏",
        "Nilai kakak tetap 9/10, makasih ya! 🙏",
        "Nilai kakak sudah diubah jadi 7/10. Makasih ya kak! 🙏",
    ]
    assert bot.last_text(A) == t("id", "rating_thanks", score=7, max=10)


async def test_nps_press_stores_the_score(bot: BotHarness) -> None:
    await bot.send(A, "/nps")
    await bot.press(A, "v1:nps:0")
    [answer] = rows(bot.engine, Feedback, kind="nps")
    assert answer.score == 0


@pytest.mark.parametrize("data", ["v1:csat:9", "v0:csat:3", "csat:3", "v1:nps:4", "garbage", ""])
async def test_forged_or_stale_callback_is_refused_politely(bot: BotHarness, data: str) -> None:
    await bot.send(A, "/rate")
    await bot.forge(A, data)
    assert rows(bot.engine, Feedback) == []
    answer = bot.calls("answerCallbackQuery")[-1]
    assert answer["text"].startswith("Maaf kak, tombol ini sudah nggak berlaku")


@pytest.mark.parametrize(
    ("argument", "saved", "shown"),
    [
        ("29-02", (29, 2), "29-02"),
        ("1/12", (1, 12), "01-12"),
        ("31.01", (31, 1), "31-01"),
        ("17-8", (17, 8), "17-08"),
        ("7/3", (7, 3), "07-03"),
    ],
)
async def test_birthday_is_saved(bot: BotHarness, argument: str, saved: tuple, shown: str) -> None:
    await bot.send(A, f"/birthday {argument}")
    stored = customer(bot.engine, A)
    assert (stored.birthday_day, stored.birthday_month) == saved
    assert bot.last_text(A) == f"Sip, ulang tahun kakak sudah kami catat: {shown} 🎂"


@pytest.mark.parametrize("argument", ["", "kemarin", "1-1-2000"])
async def test_malformed_birthday_gets_usage(bot: BotHarness, argument: str) -> None:
    await bot.send(A, f"/birthday {argument}".strip())
    assert bot.last_text(A) == t("id", "birthday_usage")
    assert "TT-BB" in bot.last_text(A)
    assert customer(bot.engine, A).birthday_day is None


@pytest.mark.parametrize(
    ("argument", "reply"),
    [
        ("31-02", "Tanggal 31-02 nggak ada di kalender kak"),
        ("30/2", "Tanggal 30/2 nggak ada di kalender kak"),
        ("00-05", "Tanggal 00-05 nggak ada di kalender kak"),
        ("15-13", "Tanggal 15-13 nggak ada kak, bulannya cuma 01 sampai 12"),
    ],
)
async def test_impossible_birthday_says_the_date_does_not_exist(
    bot: BotHarness, argument: str, reply: str
) -> None:
    await bot.send(A, f"/birthday {argument}")
    assert bot.last_text(A).startswith(reply)
    assert customer(bot.engine, A).birthday_day is None


async def test_impossible_birthday_in_english(bot: BotHarness) -> None:
    bot.user(A, language_code="en")
    await bot.send(A, "/birthday 31-02")
    assert bot.last_text(A).startswith("There's no 31-02 on the calendar")


async def test_lang_switches_and_sticks_over_start(bot: BotHarness) -> None:
    await bot.send(A, "/lang en")
    assert bot.last_text(A) == "OK, I'll speak English."
    await bot.send(A, "/start")  # English although the Telegram app says Indonesian
    assert bot.last_text(A).startswith("Hi User501")
    await bot.send(A, "/lang de")
    assert bot.last_text(A).startswith("Choose a language")


async def test_start_after_first_words_is_a_welcome_and_later_a_welcome_back(
    bot: BotHarness,
) -> None:
    await bot.send(A, "halo kak")
    await bot.send(A, "/start")
    assert "Selamat datang" in bot.last_text(A)
    bot.clock.advance(days=3)
    await bot.send(A, "/start")
    assert bot.last_text(A).startswith("Halo lagi")


async def test_stop_opts_out_and_start_opts_back_in(bot: BotHarness) -> None:
    await bot.send(A, "/start")
    await bot.send(A, "/stop")
    assert customer(bot.engine, A).opted_out is True
    await bot.send(A, "/start")
    assert customer(bot.engine, A).opted_out is False
    assert bot.last_text(A) == t("id", "opted_in_again")


async def test_help_lists_commands_in_customer_language(bot: BotHarness) -> None:
    await bot.send(A, "/help")
    assert "/rate — Kasih nilai buat layanan kami (1-5)" in bot.last_text(A)


async def test_unknown_command_gets_help_pointer(bot: BotHarness) -> None:
    await bot.send(A, "/pesan sekarang")
    assert (
        bot.last_text(A) == "Maaf kak, perintah /pesan nggak ada 🙏 Ketik /help buat lihat menu ya."
    )


async def test_forget_erases_only_that_customer(bot: BotHarness) -> None:
    await bot.send(B, "/start")
    await bot.send(B, "halo")
    await bot.send(A, f"/start ref_{customer(bot.engine, B).referral_code}")
    await bot.send(A, "/birthday 01-02")
    await bot.send(A, "/rate")
    await bot.press(A, "v1:csat:5")
    await bot.send(A, "/forget")
    await bot.press(A, "v1:forget:yes")
    assert bot.last_text(A) == t("id", "forget_done")
    with Session(bot.engine) as session:
        assert customers.get_customer(session=session, telegram_id=A) is None
        erased = session.exec(select(Customer).where(Customer.erased_at.is_not(None))).one()
    assert (erased.first_name, erased.username, erased.chat_id, erased.birthday_day) == (
        None,
        None,
        None,
        None,
    )
    assert rows(bot.engine, Message, customer_id=erased.id) == []
    assert rows(bot.engine, Feedback, customer_id=erased.id) == []
    b_messages = rows(bot.engine, Message, customer_id=customer(bot.engine, B).id)
    assert [m.direction for m in b_messages] == ["in", "out", "in"]


async def test_forget_cancel_keeps_everything(bot: BotHarness) -> None:
    await bot.send(A, "/forget")
    await bot.press(A, "v1:forget:no")
    assert bot.last_text(A) == t("id", "forget_cancelled")
    assert customer(bot.engine, A).erased_at is None


async def test_group_chat_is_not_recorded_and_start_points_to_private(bot: BotHarness) -> None:
    await bot.send(A, "/start", chat_id=-100)
    await bot.send(A, "halo semua", chat_id=-100)
    assert rows(bot.engine, Message) == []
    assert rows(bot.engine, Customer) == []
    assert bot.texts(-100) == [t("id", "group_only_private", bot="akrab_offline_bot")]
    assert "@akrab_offline_bot" in bot.texts(-100)[0]


async def test_blocked_user_keeps_message_and_is_marked_blocked(bot: BotHarness) -> None:
    bot.telegram.faults.append(
        Fault("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=A, count=5)
    )
    await bot.send(A, "halo")
    [row] = rows(bot.engine, Message, direction="in")
    assert row.text == "halo"
    assert customer(bot.engine, A).blocked is True
    bot.telegram.faults.clear()
    await bot.send(A, "/start")  # writing again means they unblocked us
    assert customer(bot.engine, A).blocked is False


async def test_telegram_refusing_a_reply_keeps_the_message(bot: BotHarness) -> None:
    bot.telegram.faults.append(Fault("sendMessage", 400, "Bad Request: chat not found"))
    await bot.send(A, "/help")
    assert [m.text for m in rows(bot.engine, Message)] == ["/help"]


@pytest.mark.parametrize("code", [500, 502])
async def test_server_error_on_reply_is_retried_and_sent_once(bot: BotHarness, code: int) -> None:
    bot.telegram.faults.append(Fault("sendMessage", code, "Bad Gateway"))
    await bot.send(A, "/help")
    assert len(bot.calls("sendMessage")) == 2
    replies = [m for m in rows(bot.engine, Message) if m.direction == "out"]
    assert [(m.delivery, m.text == bot.last_text(A)) for m in replies] == [("sent", True)]


async def test_command_menu_is_set_in_both_languages(bot: BotHarness) -> None:
    calls = [c for c in bot.calls("setMyCommands") if "scope" not in c]
    assert [c.get("language_code") for c in calls] == [None, "id"]
    assert {c["command"] for c in calls[1]["commands"]} >= {"start", "rate", "forget"}


def membership_update(harness: BotHarness, user_id: int, old: str, new: str) -> dict:
    person = harness.user(user_id)
    bot_user = {"id": 7000000001, "is_bot": True, "first_name": "Akrab"}

    def member(status: str) -> dict:
        return {
            "user": bot_user,
            "status": status,
            **({"until_date": 0} if status == "kicked" else {}),
        }

    return {
        "update_id": harness.telegram.next_update_id(),
        "my_chat_member": {
            "chat": {"id": user_id, "type": "private", "first_name": person["first_name"]},
            "from": person,
            "date": int(harness.clock.now.timestamp()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        },
    }


async def test_blocking_and_unblocking_the_bot_is_tracked(bot: BotHarness) -> None:
    await bot.send(A, "/start")
    await bot.feed(membership_update(bot, A, "member", "kicked"))
    assert customer(bot.engine, A).blocked is True
    await bot.feed(membership_update(bot, A, "kicked", "member"))
    assert customer(bot.engine, A).blocked is False


async def test_messages_queue_a_ces_refresh_that_matches_a_full_run(bot: BotHarness) -> None:
    from bot.jobs.score_refresh import refresh_pending
    from bot.services.ces_runs import score_all

    await bot.send(A, "/start")
    await bot.send(A, "pelayanannya ramah sekali")
    await bot.send(A, "/rate")
    await bot.press(A, "v1:csat:5")
    data = bot.app.bot_data
    assert data.pending_refresh == {customer(bot.engine, A).id}
    assert refresh_pending(data) == 1
    assert data.pending_refresh == set()
    refreshed = customer(bot.engine, A)
    assert refreshed.ces is not None
    assert refreshed.scored_at == bot.clock.now
    score_all(
        bot.engine,
        data.settings.ces_config,
        now=bot.clock.now,
        timezone=data.settings.timezone,
        retention_days=365,
    )
    full = customer(bot.engine, A)
    assert (full.ces, full.segment) == (refreshed.ces, refreshed.segment)
