"""The live inbox: customer messages reach the owners, owners' replies reach the customer once,
in private-chat mode and in forum-topic mode (offline request layer, real database)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from telegram import Update

from bot.adapter.offline import Fault, buttons
from bot.adapter.relay_send import Envelope, send_relay
from bot.adapter.telegram_bot import JOURNAL
from bot.config import Settings
from bot.services import relay as relay_service
from bot.services.recording import Inbound, Recording, record_in
from bot.texts import t
from storage.db import session_scope
from storage.models import Customer, CustomerTopic, Message, OwnerRelay, Score
from storage.relay import RelayJob
from tests.auxil.harness import STICKER, BotHarness

A, B = 501, 502
OWNER, OWNER2 = 99, 98
FORUM = -1001234567890
PHOTO = [{"file_id": "p1", "file_unique_id": "p1", "width": 8, "height": 8}]


def owner_settings(tmp_path: Path, **extra: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        owner_ids=frozenset({OWNER, OWNER2}),
        **extra,
    )


def record(engine: Engine, inbound: Inbound, *, update_id: int | None) -> Recording | None:
    with session_scope(engine) as session:
        return record_in(session, inbound, update_id=update_id)


@pytest.fixture
async def bot(tmp_path: Path, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(owner_settings(tmp_path), sqlite_engine) as harness:
        harness.user(OWNER, first_name="Ibu Sari")
        harness.user(A, first_name="Budi", username="budi_s")
        yield harness


@pytest.fixture
async def forum_bot(tmp_path: Path, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    harness = BotHarness(owner_settings(tmp_path, owner_chat_id=FORUM), sqlite_engine)
    harness.telegram.forums.add(FORUM)
    async with harness:
        harness.user(A, first_name="Budi", username="budi_s")
        yield harness


def outbound(engine: Engine, chat_id: int) -> list[Message]:
    with Session(engine) as session:
        statement = select(Message).where(Message.direction == "out", Message.chat_id == chat_id)
        return list(session.exec(statement))


def relays(engine: Engine) -> list[OwnerRelay]:
    with Session(engine) as session:
        return list(session.exec(select(OwnerRelay)))


async def test_customer_question_reaches_every_owner_with_a_header(bot: BotHarness) -> None:
    await bot.send(A, "kak, ukuran L masih ada?")
    for owner in (OWNER, OWNER2):
        [relayed] = bot.telegram.bot_messages(owner)
        assert relayed["text"].endswith("\n\nkak, ukuran L masih ada?")
        header = relayed["text"].split("\n")[0]
        assert "Budi" in header
        assert "@budi_s" in header
        assert t("id", "relay_no_score") in header
        assert buttons(relayed) == []  # a routine question is no alert
    assert bot.texts(A) == [t("id", "ack")]  # the customer's own answer is unchanged


async def test_relays_are_not_recorded_as_customer_messages(bot: BotHarness) -> None:
    await bot.send(A, "halo kak")
    assert outbound(bot.engine, OWNER) == []
    assert [m.chat_id for m in outbound(bot.engine, A)] == [A]


async def test_photo_is_sent_again_as_a_photo_with_the_header_as_caption(bot: BotHarness) -> None:
    await bot.send_kind(A, photo=PHOTO, caption="yang ini ada?")
    sends = bot.calls("sendPhoto")
    assert sorted(s["chat_id"] for s in sends) == sorted([OWNER, OWNER2])
    for send in sends:
        assert send["photo"] == "p1"  # the customer's own photo, by its file id
        assert "Budi" in send["caption"]
        assert send["caption"].endswith("yang ini ada?")
    assert bot.calls("copyMessage") == []


async def test_sticker_comes_under_a_header(bot: BotHarness) -> None:
    await bot.send_kind(A, sticker=STICKER)
    header, sticker = bot.telegram.bot_messages(OWNER)
    assert "[sticker]" in header["text"]
    assert "sticker" in sticker
    assert [s["sticker"] for s in bot.calls("sendSticker") if s["chat_id"] == OWNER] == ["s"]


async def test_a_photo_whose_update_is_gone_is_copied(bot: BotHarness) -> None:
    data = bot.telegram.message_update(bot.user(A), photo=PHOTO, caption="yang ini?")
    mid = data["message"]["message_id"]
    job = RelayJob(0, OWNER, 1, 1, "photo", "yang ini?", A, mid, payload=None)  # inbox pruned
    token = JOURNAL.set(False)  # as the owners' outbox sends
    try:
        sent = await send_relay(bot.app.bot, job, Envelope("Budi", "id"))
    finally:
        JOURNAL.reset(token)
    [copy] = bot.calls("copyMessage")
    assert (copy["chat_id"], copy["from_chat_id"], copy["message_id"]) == (OWNER, A, mid)
    assert copy["caption"] == "Budi\n\nyang ini?"
    assert bot.telegram.bot_messages(OWNER)[-1]["message_id"] == sent


async def test_a_photo_no_method_can_send_still_reaches_the_owner_as_text(
    bot: BotHarness,
) -> None:
    for method in ("sendPhoto", "copyMessage"):
        bot.telegram.faults.append(Fault(method, 400, "Bad Request: not here", count=2))
    await bot.send_kind(A, photo=PHOTO, caption="warna lain ada?")
    [relayed] = bot.telegram.bot_messages(OWNER)
    assert "Budi" in relayed["text"]
    assert "[photo]" in relayed["text"]
    assert relayed["text"].endswith("warna lain ada?")
    await bot.send(OWNER, "Ada kak", reply_to_message=relayed)  # and it can be answered
    assert bot.last_text(A) == "Ada kak"


@pytest.mark.parametrize("command", ["/rate", "/help", "/start"])
async def test_customer_commands_are_not_relayed(bot: BotHarness, command: str) -> None:
    await bot.send(A, command)
    assert bot.telegram.bot_messages(OWNER) == []


async def test_feedback_text_and_unknown_commands_are_relayed(bot: BotHarness) -> None:
    await bot.send(A, "/feedback kurirnya ramah")
    await bot.send(A, "/harga")
    texts = [m["text"] for m in bot.telegram.bot_messages(OWNER)]
    assert [text.split("\n\n", 1)[1] for text in texts] == ["/feedback kurirnya ramah", "/harga"]


async def test_edits_are_not_relayed_again(bot: BotHarness) -> None:
    message_id = await bot.send(A, "pesan 1")
    await bot.feed(bot.telegram.edit_update(bot.user(A), message_id, "pesan satu"))
    assert len(bot.telegram.bot_messages(OWNER)) == 1


async def test_reply_round_trip_in_private_chats(bot: BotHarness) -> None:
    await bot.send(A, "kak, ukuran L masih ada?")
    [relayed] = bot.telegram.bot_messages(OWNER)
    await bot.send(OWNER, "Masih ada kak, mau warna apa?", reply_to_message=relayed)
    assert bot.last_text(A) == "Masih ada kak, mau warna apa?"
    answer = [m for m in outbound(bot.engine, A) if m.sent_by is not None]
    assert [(m.text, m.sent_by, m.delivery) for m in answer] == [
        ("Masih ada kak, mau warna apa?", OWNER, "sent")
    ]
    assert bot.last_text(OWNER) == t("id", "reply_sent", name="Budi")
    assert outbound(bot.engine, OWNER) == []  # nothing of the owner's recorded as a customer's


async def test_owner_photo_reply_arrives_as_a_photo(bot: BotHarness) -> None:
    await bot.send(A, "warna merahnya kayak gimana kak?")
    [relayed] = bot.telegram.bot_messages(OWNER)
    await bot.send_kind(OWNER, photo=PHOTO, caption="ini kak", reply_to_message=relayed)
    [sent] = bot.calls("sendPhoto")
    assert (sent["chat_id"], sent["photo"], sent["caption"]) == (A, "p1", "ini kak")
    [row] = [m for m in outbound(bot.engine, A) if m.sent_by == OWNER]
    assert (row.kind, row.text) == ("photo", "ini kak")


async def test_a_replayed_owner_reply_is_not_sent_again(bot: BotHarness) -> None:
    await bot.send(A, "kak, ukuran L masih ada?")
    [relayed] = bot.telegram.bot_messages(OWNER)
    update = bot.telegram.message_update(
        bot.user(OWNER), text="Masih kak", reply_to_message=relayed
    )
    await bot.feed(update)
    # The same update again with a new id cannot happen; a restart replays the same id, and
    # the journal then shows the send: nothing again.
    await bot.app.process_update(Update.de_json(update, bot.app.bot))
    assert [m.text for m in outbound(bot.engine, A)].count("Masih kak") == 1


async def test_owner_message_that_is_no_reply_gets_a_hint(bot: BotHarness) -> None:
    await bot.send(OWNER, "halo")
    assert bot.texts(OWNER) == [t("id", "owner_hint")]
    assert outbound(bot.engine, OWNER) == []


async def test_reply_to_a_blocked_customer_says_so(bot: BotHarness) -> None:
    await bot.send(A, "kak?")
    [relayed] = bot.telegram.bot_messages(OWNER)
    bot.telegram.faults.append(Fault("sendMessage", 403, "Forbidden: bot was blocked", chat_id=A))
    await bot.send(OWNER, "ada kak", reply_to_message=relayed)
    assert bot.last_text(OWNER) == t("id", "reply_blocked", name="Budi")
    with Session(bot.engine) as session:
        assert relay_service.relay.customer_line(session=session, customer_id=1).blocked  # type: ignore[union-attr]


async def test_reply_to_an_erased_customer_says_so(bot: BotHarness) -> None:
    await bot.send(A, "kak?")
    [relayed] = bot.telegram.bot_messages(OWNER)
    await bot.send(A, "/forget")
    await bot.press(A, "v1:forget:yes")
    await bot.send(OWNER, "ada kak", reply_to_message=relayed)
    assert bot.last_text(OWNER) == t("id", "reply_no_relay")
    assert "ada kak" not in bot.texts(A)


async def test_relay_is_not_repeated_when_a_crashed_run_is_replayed(bot: BotHarness) -> None:
    data = bot.telegram.message_update(bot.user(A), text="kak, ukuran L masih ada?")
    message = data["message"]
    # The run that died: it recorded the message and planned both relays, and its outbox had
    # taken the one to OWNER (asked Telegram: maybe delivered) when the process was killed.
    inbound = Inbound(
        A,
        A,
        "Budi",
        None,
        "budi_s",
        "id",
        "text",
        message["text"],
        message["message_id"],
        None,
        bot.clock.now,
    )
    recorded = record(bot.engine, inbound, update_id=data["update_id"])
    assert recorded is not None
    with Session(bot.engine) as session:
        relay_service.plan_relays(
            session,
            customer_id=recorded.recorded.customer.id,
            message_id=recorded.recorded.message_id,
            owner_chat_ids=[OWNER, OWNER2],
            now=bot.clock.now,
        )
        [taken] = relay_service.planned_relays(session, owner_chat_id=OWNER)
        taken_info = relay_service.start_relay(
            session,
            relay_id=taken.relay_id,
            customer_id=taken.customer_id,
            message_id=taken.message_id,
            owner_chat_id=OWNER,
            now=bot.clock.now,
        )
        assert taken_info is not None
        session.commit()
    await bot.feed(data)
    assert bot.texts(A) == [t("id", "ack")]  # the replay answers the customer
    assert bot.telegram.bot_messages(OWNER) == []  # never relayed twice (maybe once)
    assert len(bot.telegram.bot_messages(OWNER2)) == 1  # what was only planned goes now
    assert sorted(r.status for r in relays(bot.engine)) == ["sending", "sent"]


async def test_relays_planned_before_a_restart_are_sent_by_the_resume_job(
    bot: BotHarness,
) -> None:
    inbound = Inbound(A, A, "Budi", None, None, "id", "text", "halo kak", 1, None, bot.clock.now)
    recorded = record(bot.engine, inbound, update_id=None)
    assert recorded is not None
    with Session(bot.engine) as session:  # planned by a process that stopped before sending
        relay_service.plan_relays(
            session,
            customer_id=recorded.recorded.customer.id,
            message_id=recorded.recorded.message_id,
            owner_chat_ids=[OWNER, OWNER2],
            now=bot.clock.now,
        )
        session.commit()
    await bot.app.bot_data.owner_outbox.wake_planned()  # what the resume job does
    await bot.app.bot_data.owner_outbox.drain()
    for owner in (OWNER, OWNER2):
        [relayed] = bot.telegram.bot_messages(owner)
        assert relayed["text"].endswith("halo kak")
    await bot.app.bot_data.owner_outbox.wake_planned()
    await bot.app.bot_data.owner_outbox.drain()
    assert len(bot.telegram.bot_messages(OWNER)) == 1  # sent ones are not sent again


async def test_redelivered_update_relays_once(bot: BotHarness) -> None:
    data = bot.telegram.message_update(bot.user(A), text="kak?")
    await bot.feed(data)
    await bot.feed(data)
    assert len(bot.telegram.bot_messages(OWNER)) == 1
    assert len(relays(bot.engine)) == 2  # one per owner chat


async def test_reply_button_puts_the_owner_in_reply_mode(bot: BotHarness) -> None:
    await bot.send(A, "pesanan saya belum sampai udah seminggu, kecewa banget")
    [alert] = bot.telegram.bot_messages(OWNER)
    await bot.feed(bot.telegram.callback_update(bot.user(OWNER), alert, "v1:o_reply:1"))
    assert bot.last_text(OWNER) == t("id", "reply_mode_on", name="Budi")
    await bot.send(OWNER, "Mohon maaf kak, kami cek ya")
    assert bot.last_text(A) == "Mohon maaf kak, kami cek ya"
    await bot.send(OWNER, "lagi?")  # the mode held for one message
    assert bot.last_text(OWNER) == t("id", "owner_hint")


async def test_forum_mode_one_topic_per_customer_and_replies_in_it(forum_bot: BotHarness) -> None:
    bot = forum_bot
    await bot.send(A, "kak, ukuran L masih ada?")
    await bot.send(A, "yang hitam")
    assert len(bot.calls("createForumTopic")) == 1
    first, second = bot.telegram.bot_messages(FORUM)
    thread = first["message_thread_id"]
    assert second["message_thread_id"] == thread
    assert "Budi" in bot.calls("createForumTopic")[0]["name"]
    assert bot.telegram.bot_messages(OWNER) == []  # topics mode: not in private chats
    owner_says = bot.telegram.message_update(
        bot.user(OWNER),
        chat_id=FORUM,
        text="Ada kak, hitam L ready",
        message_thread_id=thread,
        is_topic_message=True,
    )
    await bot.feed(owner_says)
    assert bot.last_text(A) == "Ada kak, hitam L ready"
    [row] = [m for m in outbound(bot.engine, A) if m.sent_by is not None]
    assert row.sent_by == OWNER


async def test_forum_topic_deleted_is_created_again(forum_bot: BotHarness) -> None:
    bot = forum_bot
    await bot.send(A, "halo")
    [old] = bot.telegram.topics[FORUM]
    bot.telegram.topics[FORUM].clear()  # an owner deleted the topic
    await bot.send(A, "halo lagi")
    assert len(bot.calls("createForumTopic")) == 2
    with Session(bot.engine) as session:
        [topic] = session.exec(select(CustomerTopic))
    assert topic.thread_id != old
    assert bot.telegram.bot_messages(FORUM)[-1]["message_thread_id"] == topic.thread_id


async def test_non_owner_in_the_forum_cannot_answer_customers(forum_bot: BotHarness) -> None:
    bot = forum_bot
    await bot.send(A, "halo")
    [relayed] = bot.telegram.bot_messages(FORUM)
    stranger = bot.telegram.message_update(
        bot.user(777),
        chat_id=FORUM,
        text="bukan admin",
        message_thread_id=relayed["message_thread_id"],
        is_topic_message=True,
    )
    await bot.feed(stranger)
    assert "bukan admin" not in bot.texts(A)


async def test_a_plain_owners_group_gets_relays_and_replies_to_them(
    tmp_path: Path, sqlite_engine: Engine
) -> None:
    group = -1009990001  # OWNER_CHAT_ID that is no forum: relays go to the group itself
    async with BotHarness(owner_settings(tmp_path, owner_chat_id=group), sqlite_engine) as bot:
        bot.user(A, first_name="Budi")
        await bot.send(A, "kak, ready?")
        assert bot.calls("createForumTopic") == []
        [relayed] = bot.telegram.bot_messages(group)
        assert "message_thread_id" not in relayed
        assert bot.telegram.bot_messages(OWNER) == []
        await bot.feed(
            bot.telegram.message_update(
                bot.user(OWNER), chat_id=group, text="ready kak", reply_to_message=relayed
            )
        )
        assert bot.last_text(A) == "ready kak"
        await bot.feed(bot.telegram.message_update(bot.user(OWNER2), chat_id=group, text="ok"))
        assert bot.texts(group) == [relayed["text"]]  # owners' own chat there: no hints


@pytest.mark.parametrize(
    ("declining", "lang", "expected"),
    [
        (False, "id", "CES 62 · potensial (-8 dlm 14 hari)"),
        (True, "id", "CES 62 · menurun (-8 dlm 14 hari)"),
        (False, "en", "CES 62 · potential (-8 in 14 days)"),
    ],
)
async def test_header_shows_ces_segment_and_trend(
    tmp_path: Path, sqlite_engine: Engine, declining: bool, lang: str, expected: str
) -> None:
    settings = owner_settings(tmp_path, default_language=lang)
    async with BotHarness(settings, sqlite_engine) as bot:
        bot.user(A, first_name="Budi")
        await bot.send(A, "halo")
        with Session(bot.engine) as session:
            saved = session.exec(select(Customer)).one()
            saved.ces, saved.segment, saved.declining = 62.4, "potential", declining
            for days, ces in ((20, 90.0), (10, 70.0), (1, 62.4)):
                session.add(
                    Score(
                        customer_id=saved.id,
                        computed_at=bot.clock.now - timedelta(days=days),
                        ces=ces,
                        segment="potential",
                    )
                )
            session.add(saved)
            session.commit()
        await bot.send(A, "ukuran L ada?")
        header = bot.telegram.bot_messages(OWNER)[-1]["text"].split("\n")[0]
        assert header.endswith(expected)
        assert header.startswith("😐 Budi")


async def test_relays_come_in_each_owners_own_language(bot: BotHarness) -> None:
    bot.user(OWNER2, language_code="en")  # OWNER's Telegram is in Indonesian (the fixture)
    await bot.send(OWNER, "/help")
    await bot.send(OWNER2, "/help")
    await bot.send(A, "kak, ukuran L masih ada?")
    english, indonesian = (bot.telegram.bot_messages(chat)[-1]["text"] for chat in (OWNER2, OWNER))
    assert t("en", "relay_no_score") in english
    assert t("id", "relay_no_score") in indonesian
    assert t("en", "relay_no_score") != t("id", "relay_no_score")


async def test_a_video_note_comes_under_its_header(bot: BotHarness) -> None:
    note = {"file_id": "vn1", "file_unique_id": "vn1", "length": 240, "duration": 3}
    await bot.send_kind(A, video_note=note)
    header, sent = bot.telegram.bot_messages(OWNER)
    assert "Budi" in header["text"]
    assert "video_note" in sent
    [call] = [c for c in bot.calls("sendVideoNote") if c["chat_id"] == OWNER]
    assert call["video_note"] == "vn1"
    assert "caption" not in call
