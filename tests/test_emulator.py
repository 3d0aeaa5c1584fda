"""The Bot API emulator against a real python-telegram-bot 22 ``Application``.

These tests do not use our bot: a tiny echo ``Application`` built here proves that the emulator
speaks the Bot API the way PTB expects (getMe, long polling with Telegram's offset semantics,
commands, inline keyboards, callback queries, edits, uploads, injected errors, flood control and
webhook delivery).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.error import HTTPError

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.emulator import BotApiEmulator

TOKEN = "123456:TEST"
USER = 1001


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator() as emulator:
        yield emulator


def build_app(emu: BotApiEmulator) -> Application:  # type: ignore[type-arg]
    """A tiny echo bot; every update it handles is appended to ``bot_data["seen"]``."""
    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    app.bot_data["seen"] = []

    async def remember(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        context.bot_data["seen"].append(update)

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await remember(update, context)
        assert update.effective_message is not None
        await update.effective_message.reply_text("start:" + " ".join(context.args or []))

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await remember(update, context)
        assert update.message is not None
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("Yes", callback_data="yes"),
                    InlineKeyboardButton("No", callback_data="no"),
                ]
            ]
        )
        await update.message.reply_text(f"echo:{update.message.text}", reply_markup=keyboard)

    async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await remember(update, context)
        assert update.edited_message is not None
        await update.edited_message.reply_text(f"edited:{update.edited_message.text}")

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await remember(update, context)
        query = update.callback_query
        assert query is not None
        await query.answer(f"got {query.data}")
        await query.edit_message_text(f"chose {query.data}")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, edited))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(button))
    return app


@asynccontextmanager
async def running(emu: BotApiEmulator) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    app = build_app(emu)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1, poll_interval=0)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


async def eventually(condition: Callable[[], Any], timeout: float = 5.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.02)


def http(emu: BotApiEmulator, path: str, body: bytes | None, content_type: str) -> tuple[int, Any]:
    url = emu.base_url.removesuffix("/bot") + path
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


async def test_initialize_calls_get_me(emu: BotApiEmulator) -> None:
    app = build_app(emu)
    async with app:
        assert app.bot.id == 123456
        assert app.bot.username == "akrab_test_bot"
        me = await app.bot.get_me()
        assert me.is_bot
        assert me.can_join_groups
    assert emu.calls()[0]["method"] == "getMe"


async def test_text_and_command_with_payload_reach_handlers(emu: BotApiEmulator) -> None:
    async with running(emu) as app:
        emu.send_text(USER, "halo", first_name="Sari", username="sari")
        emu.send_text(USER, "/start ref_42 extra")
        replies = await emu.wait_for_bot_messages_async(USER, 2)
    assert [reply["text"] for reply in replies] == ["echo:halo", "start:ref_42 extra"]
    first = replies[0]
    assert first["from"]["is_bot"]
    assert first["chat"] == {
        "id": USER,
        "type": "private",
        "first_name": "Sari",
        "username": "sari",
    }
    assert abs(first["date"] - time.time()) < 60  # seconds, not milliseconds
    assert first["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
    # user and bot share the chat's message id counter
    assert [reply["message_id"] for reply in replies] == [3, 4]
    seen = app.bot_data["seen"]
    assert seen[0].effective_user.language_code == "id"
    assert seen[1].message.entities[0].type == "bot_command"


async def test_press_inline_button_answers_and_edits(emu: BotApiEmulator) -> None:
    async with running(emu) as app:
        emu.send_text(USER, "pilih")
        [question] = await emu.wait_for_bot_messages_async(USER, 1)
        query_id = emu.press_button(USER, "no")
        await eventually(lambda: emu.callback_answer(query_id) is not None)
        await eventually(lambda: emu.bot_messages(USER)[0]["text"] == "chose no")
    query = app.bot_data["seen"][-1].callback_query
    assert query.data == "no"
    assert query.chat_instance
    assert query.message.message_id == question["message_id"]
    assert query.message.reply_markup.inline_keyboard[0][1].callback_data == "no"
    assert emu.callback_answer(query_id) == {
        "text": "got no",
        "show_alert": False,
        "url": None,
        "cache_time": None,
    }
    [edited] = emu.bot_messages(USER)
    assert "reply_markup" not in edited  # editMessageText without a keyboard removes it
    assert "edit_date" in edited
    with pytest.raises(LookupError, match="no inline button"):
        emu.press_button(USER, "no")


async def test_forged_callback_reaches_handler(emu: BotApiEmulator) -> None:
    async with running(emu) as app:
        emu.send_text(USER, "pilih")
        [question] = await emu.wait_for_bot_messages_async(USER, 1)
        emu.forge_callback(USER, question["message_id"], "admin:delete")
        await eventually(lambda: len(app.bot_data["seen"]) == 2)
    assert app.bot_data["seen"][-1].callback_query.data == "admin:delete"


async def test_edited_message_arrives(emu: BotApiEmulator) -> None:
    async with running(emu) as app:
        message_id = emu.send_text(USER, "salah ketik")
        await emu.wait_for_bot_messages_async(USER, 1)
        emu.edit_text(USER, message_id, "benar")
        replies = await emu.wait_for_bot_messages_async(USER, 2)
    assert replies[-1]["text"] == "edited:benar"
    assert app.bot_data["seen"][-1].edited_message.message_id == message_id


async def test_offset_semantics_redeliver_only_unconfirmed_updates(emu: BotApiEmulator) -> None:
    emu.send_text(USER, "first")
    # A bot that fetched but never confirmed (crashed): the update stays pending.
    async with build_app(emu) as crashed:
        [update] = await crashed.bot.get_updates(timeout=0)
        assert update.message.text == "first"
    assert len(emu.pending_updates()) == 1

    async with running(emu) as app:
        await emu.wait_for_bot_messages_async(USER, 1)
    assert [u.message.text for u in app.bot_data["seen"]] == ["first"]
    assert emu.pending_updates() == []  # stopping the updater confirmed it

    emu.send_text(USER, "second")
    async with running(emu) as app:
        await emu.wait_for_bot_messages_async(USER, 2)
    assert [u.message.text for u in app.bot_data["seen"]] == ["second"]


async def test_limit_and_drop_pending_updates(emu: BotApiEmulator) -> None:
    for number in range(3):
        emu.send_text(USER, f"m{number}")
    async with build_app(emu) as app:
        updates = await app.bot.get_updates(limit=2, timeout=0)
        assert [u.message.text for u in updates] == ["m0", "m1"]
        updates = await app.bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
        assert [u.message.text for u in updates] == ["m2"]
        assert await app.bot.delete_webhook(drop_pending_updates=True)
    assert emu.pending_updates() == []


async def test_injected_errors_raise_ptb_exceptions(
    emu: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without PTB_TIMEDELTA, constructing RetryAfter itself warns (PTB 22.2+ deprecation),
    # which filterwarnings=error would turn into a failure.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    emu.send_text(USER, "hi")
    emu.inject_fault(
        "sendMessage",
        chat_id=USER,
        error_code=403,
        description="Forbidden: bot was blocked by the user",
        count=2,
    )
    emu.inject_fault("sendChatAction", retry_after=3)
    async with build_app(emu) as app:
        for _ in range(2):
            with pytest.raises(Forbidden, match="blocked by the user"):
                await app.bot.send_message(USER, "promo")
        await app.bot.send_message(USER, "third time")  # the fault is used up
        with pytest.raises(RetryAfter) as caught:
            await app.bot.send_chat_action(USER, "typing")
        assert caught.value.retry_after == dt.timedelta(seconds=3)
        emu.block_bot(USER)
        with pytest.raises(Forbidden):
            await app.bot.send_message(USER, "still there?")
    failed = [call for call in emu.calls("sendMessage") if not call["ok"]]
    assert [call["error_code"] for call in failed] == [403, 403, 403]
    assert [m["text"] for m in emu.bot_messages(USER)] == ["third time"]
    assert "my_chat_member" in emu.pending_updates()[-1]


async def test_bad_requests_match_telegram(emu: BotApiEmulator) -> None:
    emu.send_text(USER, "hi")
    async with build_app(emu) as app:
        with pytest.raises(BadRequest, match="(?i)message text is empty"):
            await app.bot.send_message(USER, "  ")
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await app.bot.send_message(USER, "x" * 4097)
        with pytest.raises(BadRequest, match="(?i)can't parse entities"):
            await app.bot.send_message(USER, "a<br>b", parse_mode="HTML")
        sent = await app.bot.send_message(USER, "<b>tebal</b> &amp; biasa", parse_mode="HTML")
        assert sent.text == "tebal & biasa"
        assert sent.entities[0].type == "bold"
        with pytest.raises(BadRequest, match="(?i)message is not modified"):
            await sent.edit_text("tebal & biasa", entities=sent.entities)
        with pytest.raises(BadRequest, match="(?i)message to edit not found"):
            await app.bot.edit_message_text("x", chat_id=USER, message_id=999)
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
        edited = await sent.edit_reply_markup(keyboard)
        assert edited.reply_markup == keyboard
        assert await app.bot.delete_message(USER, sent.message_id)
        with pytest.raises(BadRequest, match="(?i)message to delete not found"):
            await app.bot.delete_message(USER, sent.message_id)


async def test_uploads_commands_and_files(emu: BotApiEmulator) -> None:
    emu.send_text(USER, "hi")
    async with build_app(emu) as app:
        document = await app.bot.send_document(
            USER, b"id,score\n1,5\n", filename="report.csv", caption="laporan"
        )
        assert document.document.file_name == "report.csv"
        assert document.caption == "laporan"
        photo = await app.bot.send_photo(USER, b"\x89PNG fake")
        assert photo.photo[0].file_size == 9
        file = await app.bot.get_file(document.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"id,score\n1,5\n"

        await app.bot.set_my_commands([("start", "Mulai")])
        await app.bot.set_my_commands([("start", "Start")], language_code="en")
        assert [c.command for c in await app.bot.get_my_commands()] == ["start"]
        assert await app.bot.set_my_description("Deskripsi")
        assert await app.bot.set_my_short_description("Pendek")
        assert await app.bot.send_chat_action(USER, "typing")
    [upload] = emu.calls("sendDocument")
    assert upload["params"]["document"]["file_name"] == "report.csv"
    assert upload["params"]["document"]["file_size"] == 13
    assert emu.commands("en") == [{"command": "start", "description": "Start"}]
    assert emu.commands("id") == [{"command": "start", "description": "Mulai"}]


async def test_long_polling_does_not_spin(emu: BotApiEmulator) -> None:
    async with running(emu):
        await asyncio.sleep(1.5)
        polls = len(emu.calls("getUpdates"))
    assert 1 <= polls <= 4


async def test_group_chat_and_other_message_kinds(emu: BotApiEmulator) -> None:
    async with build_app(emu) as app:
        emu.send_text(USER, "/start@akrab_test_bot", chat_id=-100)
        emu.send_sticker(USER)
        emu.send_photo(USER, caption="struk")
        emu.send_update(USER, location={"latitude": -6.2, "longitude": 106.8})
        updates = await app.bot.get_updates(timeout=0)
        group, sticker, photo, location = (u.message for u in updates)
        assert group.chat.type == "group"
        assert group.entities[0].length == len("/start@akrab_test_bot")
        assert sticker.sticker.emoji
        assert photo.caption == "struk"
        assert location.location.latitude == pytest.approx(-6.2)
        reply = await app.bot.send_message(-100, "halo grup")
        assert reply.chat.type == "group"
        assert reply.message_id == group.message_id + 1
        file = await app.bot.get_file(photo.photo[-1].file_id)
        assert await file.download_as_bytearray()


def test_wait_for_bot_messages_timeout_explains(emu: BotApiEmulator) -> None:
    with pytest.raises(TimeoutError, match="got 0: none.*is the bot running"):
        emu.wait_for_bot_messages(USER, 1, timeout=0.1)


def test_raw_http_json_form_and_errors(emu: BotApiEmulator) -> None:
    emu.send_text(USER, "hi")
    body = json.dumps({"chat_id": USER, "text": "json"}).encode()
    status, answer = http(emu, f"/bot{TOKEN}/sendMessage", body, "application/json")
    assert status == 200
    assert answer["result"]["text"] == "json"
    status, answer = http(
        emu,
        f"/bot{TOKEN}/sendMessage",
        b"chat_id=1001&text=123",
        "application/x-www-form-urlencoded",
    )
    assert (status, answer["result"]["text"]) == (200, "123")
    status, answer = http(emu, f"/bot{TOKEN}/fooBar", b"{}", "application/json")
    assert (status, answer["description"]) == (404, "Not Found: method not found")
    status, answer = http(emu, "/botnot-a-token/getMe", b"{}", "application/json")
    assert (status, answer["error_code"]) == (401, 401)


def test_block_unblock_and_reset_keep_telegram_invariants(emu: BotApiEmulator) -> None:
    emu.send_text(USER, "hi", language_code="en")
    emu.block_bot(USER)
    emu.send_text(USER, "I'm back")  # writing to a bot you blocked unblocks it
    kinds = [next(k for k in u if k != "update_id") for u in emu.pending_updates()]
    assert kinds == ["message", "my_chat_member", "my_chat_member", "message"]
    assert emu.pending_updates()[2]["my_chat_member"]["new_chat_member"]["status"] == "member"
    assert emu.user(USER)["language_code"] == "en"  # the profile is remembered
    last_id = emu.pending_updates()[-1]["update_id"]
    emu.reset()
    assert emu.pending_updates() == []
    emu.send_text(USER, "after reset")
    assert emu.pending_updates()[0]["update_id"] > last_id  # update ids never go down
    assert emu.pending_updates()[0]["message"]["message_id"] == 1


async def test_flood_control_limits_sends_per_chat_and_per_bot(
    emu: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    emu.set_limits(global_per_s=3, chat_per_s=1)
    async with build_app(emu) as app:
        await app.bot.send_message(USER, "one")
        with pytest.raises(RetryAfter) as caught:  # a second message to the same chat
            await app.bot.send_message(USER, "two")
        assert caught.value.retry_after == dt.timedelta(seconds=1)
        await app.bot.send_message(USER + 1, "other chat")
        await app.bot.send_message(USER + 2, "third chat")
        with pytest.raises(RetryAfter):  # a fourth send within the second: the bot's limit
            await app.bot.send_message(USER + 3, "fourth chat")
        assert await app.bot.get_me()  # only send/copy/forward/edit calls are limited
        await asyncio.sleep(1.05)
        await app.bot.send_message(USER, "two, a second later")
    assert emu.flood_count() == 2
    flooded = [c for c in emu.calls("sendMessage") if c.get("flood")]
    assert [c["params"]["text"] for c in flooded] == ["two", "fourth chat"]
    assert flooded[0]["description"] == "Too Many Requests: retry after 1"
    assert [m["text"] for m in emu.bot_messages(USER)] == ["one", "two, a second later"]
    emu.set_limits()  # off again
    async with build_app(emu) as app:
        for number in range(5):
            await app.bot.send_message(USER, f"fast {number}")
    assert emu.flood_count() == 2


async def test_injected_server_errors_and_sent_but_timed_out(
    emu: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    emu.send_text(USER, "hi")
    emu.inject_fault("sendMessage", chat_id=USER, error_code=500)
    emu.inject_fault("sendMessage", chat_id=USER, error_code=502)
    emu.inject_fault("sendMessage", chat_id=USER, retry_after=2)
    async with build_app(emu) as app:
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await app.bot.send_message(USER, "a")
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await app.bot.send_message(USER, "b")
        with pytest.raises(RetryAfter) as caught:
            await app.bot.send_message(USER, "c")
        assert caught.value.retry_after == dt.timedelta(seconds=2)
        assert emu.bot_messages(USER) == []  # none of those was carried out

        # Sent, but the answer comes after the client's read timeout.
        emu.inject_fault("sendMessage", chat_id=USER, delay=1.0, process_first=True)
        with pytest.raises(TimedOut):
            await app.bot.send_message(USER, "slow answer", read_timeout=0.3)
        assert [m["text"] for m in emu.bot_messages(USER)] == ["slow answer"]
        # Carried out after the delay: stored once the delay is over, answer or no answer.
        emu.inject_fault("sendMessage", chat_id=USER, delay=0.6)
        with pytest.raises(TimedOut):
            await app.bot.send_message(USER, "slow call", read_timeout=0.3)
        await eventually(lambda: len(emu.bot_messages(USER)) == 2)
        # Stored, then answered with an error (a gateway that lost Telegram's answer).
        emu.inject_fault("sendMessage", chat_id=USER, error_code=502, process_first=True)
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await app.bot.send_message(USER, "stored anyway")
        await asyncio.sleep(0.7)  # every held-back answer is over
    assert [m["text"] for m in emu.bot_messages(USER)] == [
        "slow answer",
        "slow call",
        "stored anyway",
    ]
    # The log is in the order the answers were ready; sort by arrival.
    calls = sorted(emu.calls("sendMessage"), key=lambda c: c["monotonic"])
    assert [(c["ok"], c.get("error_code"), c.get("processed", False)) for c in calls] == [
        (False, 500, False),
        (False, 502, False),
        (False, 429, False),
        (True, None, True),
        (True, None, False),
        (False, 502, True),
    ]
    assert calls[3]["answered"] - calls[3]["monotonic"] >= 1.0
    assert calls[5]["result"]["text"] == "stored anyway"


class WebhookReceiver:
    """A stdlib HTTP server standing in for a bot's webhook endpoint."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])  # answered in turn, then 200
        self.received: list[tuple[dict[str, str], dict[str, Any]]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/telegram"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


async def test_webhook_delivers_in_order_retries_until_2xx_and_blocks_get_updates(
    emu: BotApiEmulator,
) -> None:
    emu.send_text(USER, "dropped")  # pending before setWebhook(drop_pending_updates=True)
    with WebhookReceiver(statuses=[500, 502]) as receiver:
        app = build_app(emu)
        async with app:
            assert await app.bot.set_webhook(
                receiver.url,
                secret_token="s3cret_token-1",
                allowed_updates=["message"],
                drop_pending_updates=True,
            )
            with pytest.raises(Conflict, match="webhook is active"):
                await app.bot.get_updates(timeout=0)
            first = emu.send_text(USER, "satu")
            emu.edit_text(USER, first, "satu!")  # not in allowed_updates: never delivered
            emu.send_text(USER, "dua")
            emu.send_text(USER, "/start tiga")
            await eventually(lambda: len(receiver.received) == 5)
            # The receiver notes a request before it answers; the emulator drops the update
            # from its queue once the answer is in.
            deadline = time.monotonic() + 5
            info = await app.bot.get_webhook_info()
            while info.pending_update_count and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
                info = await app.bot.get_webhook_info()
            assert info.url == receiver.url
            assert info.pending_update_count == 0
            assert info.allowed_updates == ("message",)
            assert info.last_error_message == "Wrong response from the webhook: 502"
            # The bot's side: what the webhook got is an Update for the real Application.
            for _, body in receiver.received[2:]:
                await app.process_update(Update.de_json(body, app.bot))
            replies = await emu.wait_for_bot_messages_async(USER, 3)
            assert await app.bot.delete_webhook()
            assert (await app.bot.get_webhook_info()).url == ""
            emu.send_text(USER, "empat")
            [update] = await app.bot.get_updates(timeout=0)  # polling works again
            assert update.message.text == "empat"
    headers = [h for h, _ in receiver.received]
    assert {h["X-Telegram-Bot-Api-Secret-Token"] for h in headers} == {"s3cret_token-1"}
    assert {h["Content-Type"] for h in headers} == {"application/json"}
    texts = [body["message"]["text"] for _, body in receiver.received]
    assert texts == ["satu", "satu", "satu", "dua", "/start tiga"]  # retried, in order
    assert [r["text"] for r in replies] == ["echo:satu", "echo:dua", "start:tiga"]
    deliveries = emu.webhook_deliveries()
    assert [d["status"] for d in deliveries] == [500, 502, 200, 200, 200]
    assert all(d["url"] == receiver.url and d["secret_sent"] for d in deliveries)
    first_gap = deliveries[1]["monotonic"] - deliveries[0]["monotonic"]
    second_gap = deliveries[2]["monotonic"] - deliveries[1]["monotonic"]
    assert first_gap >= 0.2  # the backoff
    assert second_gap >= 0.4  # doubles
    assert len(emu.calls("getUpdates")) == 2  # the 409 and the last one


async def test_webhook_keeps_an_update_until_the_endpoint_is_up(emu: BotApiEmulator) -> None:
    with socket.socket() as probe:  # a port nobody listens on (yet)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with build_app(emu) as app:
        await app.bot.set_webhook(f"http://127.0.0.1:{port}/hook")
        emu.send_text(USER, "halo")
        await eventually(lambda: len(emu.webhook_deliveries()) >= 2)
        assert emu.pending_count() == 1
        info = await app.bot.get_webhook_info()
        assert info.last_error_message.startswith("Connection failed")
        with WebhookReceiver() as receiver:
            receiver.server.server_close()  # rebind the same port
            receiver.server = ThreadingHTTPServer(
                ("127.0.0.1", port), receiver.server.RequestHandlerClass
            )
            receiver.thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
            receiver.thread.start()
            await eventually(lambda: len(receiver.received) == 1, timeout=5)
        assert emu.pending_count() == 0
    statuses = [d["status"] for d in emu.webhook_deliveries()]
    assert statuses[-1] == 200
    assert set(statuses[:-1]) == {None}
    assert "X-Telegram-Bot-Api-Secret-Token" not in receiver.received[0][0]


def test_set_webhook_validates_like_telegram(emu: BotApiEmulator) -> None:
    def call(body: dict[str, Any]) -> tuple[int, Any]:
        return http(emu, f"/bot{TOKEN}/setWebhook", json.dumps(body).encode(), "application/json")

    assert call({"url": "not a url"})[0] == 400
    status, answer = call({"url": "http://127.0.0.1:1/x", "secret_token": "no spaces"})
    assert (status, answer["description"]) == (
        400,
        "Bad Request: secret token contains unallowed characters",
    )
    assert call({"url": "http://127.0.0.1:1/x"}) == (200, {"ok": True, "result": True})
    assert emu.webhook()["url"] == "http://127.0.0.1:1/x"
    assert call({"url": ""}) == (200, {"ok": True, "result": True})  # an empty url removes it
    assert emu.webhook() is None
