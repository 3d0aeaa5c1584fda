"""`akrab shell`: chat with the real bot and handlers in the terminal, with no token or network.

Lines you type are sent as messages from one customer; the bot's replies and their buttons
are printed. `:N` presses button N of the newest message with buttons; `!help` lists the rest.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from bot.adapter import db
from bot.adapter.offline import OfflineTelegram, buttons, user
from bot.app import AkrabApplication, build_application, post_init
from bot.config import Settings
from bot.config_values import parse_duration
from bot.context import utc_now
from bot.jobs import outreach as outreach_jobs
from bot.services.planning import Summary, plan
from storage import outbound
from storage.db import session_scope

SHELL_HELP = """\
Type a message and press Enter to send it as the customer.
  :N              press button N of the newest message with buttons
  !sticker        send a sticker       !photo [caption]   send a photo
  !location       send a location      !contact           share a contact
  !edit TEXT      edit your last text message
  !advance 3d     move the clock forward (90s, 30m, 2h, 1d) and run what is due
  !now            show the shell's (virtual) time
  !help           this help            !quit (or Ctrl+D)  leave
"""


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class ShellClock:
    """The shell's virtual clock: real time plus however far `!advance` moved it."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utc_now() + self.offset


async def run_due(application: AkrabApplication, now: datetime) -> Summary:
    """Run the scheduled work that is due at `now`, as the leader's jobs would: the outreach
    planners, then the dispatcher (unpaced), whose messages the shell prints as they arrive."""
    data = application.bot_data

    def work() -> Summary:
        with session_scope(data.engine) as session:
            return plan(session, data.settings, now)

    summary = await db.run(data.engine, work)
    await outreach_jobs.send_due_now(application)
    return summary


def show_planned(summary: Summary) -> None:
    planned = {kind: s.planned for kind, s in summary.items() if s.planned}
    if not planned:
        out("(nothing planned)")
        return
    for kind, count in planned.items():
        out(f"(planned {count} {kind})")
        for row in summary[kind].examples:
            out(f"    due {row['due_at']:%Y-%m-%d %H:%M} UTC: {row['text']}")


async def advance(application: AkrabApplication, clock: ShellClock, text: str) -> None:
    """`!advance DURATION`: move the clock, then run what is due at the new time."""
    try:
        step = parse_duration(text)
    except ValueError as exc:
        out(f"({exc})")
        return
    clock.offset += step
    now = clock()
    out(f"(now {now.astimezone(application.bot_data.settings.tz):%Y-%m-%d %H:%M %Z})")
    show_planned(await run_due(application, now))


class Shell:
    """One customer's side of a private chat with the offline bot."""

    def __init__(self, telegram: OfflineTelegram, customer: dict[str, Any]) -> None:
        self.telegram = telegram
        self.customer = customer
        self.chat_id = customer["id"]
        self.shown: dict[int, dict[str, Any]] = {}
        self.last_text_id: int | None = None

    def update_for(self, line: str) -> dict[str, Any] | None:
        """The update a typed line stands for (None: a shell command already handled)."""
        word, _, rest = line.partition(" ")
        make = self.telegram.message_update
        if line.startswith(":") and line[1:].isdigit():
            return self.press(int(line[1:]))
        if word == "!sticker":
            return make(self.customer, sticker=_sticker())
        if word == "!photo":
            photo = [{"file_id": "p1", "file_unique_id": "p1", "width": 1, "height": 1}]
            if rest:
                return make(self.customer, photo=photo, caption=rest)
            return make(self.customer, photo=photo)
        if word == "!location":
            return make(self.customer, location={"latitude": -6.2, "longitude": 106.8})
        if word == "!contact":
            contact = {"phone_number": "+628123456789", "first_name": "Teman"}
            return make(self.customer, contact=contact)
        if word == "!edit":
            if self.last_text_id is None or not rest:
                out("(nothing to edit: send a text first, then !edit NEW TEXT)")
                return None
            return self.telegram.edit_update(self.customer, self.last_text_id, rest)
        if word == "!help":
            out(SHELL_HELP)
            return None
        update = make(self.customer, text=line)
        self.last_text_id = update["message"]["message_id"]
        return update

    def press(self, number: int) -> dict[str, Any] | None:
        for message in reversed(self.telegram.bot_messages(self.chat_id)):
            choices = buttons(message)
            if choices:
                if not 1 <= number <= len(choices):
                    out(f"(that message has buttons 1 to {len(choices)})")
                    return None
                return self.telegram.callback_update(self.customer, message, choices[number - 1][1])
        out("(no message with buttons yet)")
        return None

    def show_new(self) -> None:
        for message in self.telegram.bot_messages(self.chat_id):
            seen = self.shown.get(message["message_id"])
            if seen == message:
                continue
            prefix = "bot (edited)" if seen is not None else "bot"
            out(f"{prefix}: {message.get('text') or message.get('caption') or '[media]'}")
            choices = buttons(message)
            if choices:
                out(
                    "     "
                    + "  ".join(f"[:{i}] {label}" for i, (label, _) in enumerate(choices, 1))
                )
            self.shown[message["message_id"]] = message
        for call in self.telegram.calls:
            if call.method == "answerCallbackQuery" and call.params.get("text"):
                out(f"bot (pop-up): {call.params['text']}")
        self.telegram.calls.clear()


async def run_shell(settings: Settings, engine: Engine, *, user_id: int, language: str) -> int:
    clock = ShellClock()
    telegram = OfflineTelegram(clock=lambda: clock().timestamp())
    with session_scope(engine) as session:  # the database's chats keep their message ids
        telegram.continue_after(outbound.last_message_ids(session=session))
    application = build_application(
        settings, engine=engine, request=telegram, clock=clock, rate_limit=False
    )
    customer = user(
        user_id,
        "Pelanggan" if language == "id" else "Customer",
        language_code=language,
        username=f"customer{user_id}",
    )
    shell = Shell(telegram, customer)
    out(f"Akrab shell — you are Telegram user {user_id}; database: {engine.url.render_as_string()}")
    out("Type /start to begin, !help for shell commands.\n")
    async with application:
        await post_init(application)
        telegram.calls.clear()
        while True:
            try:
                line = (await asyncio.to_thread(input, "you: ")).strip()
            except EOFError:
                out()
                break
            if line in {"!quit", "!exit"}:
                break
            if not line:
                continue
            word, _, rest = line.partition(" ")
            if word == "!advance":
                await advance(application, clock, rest.strip() or "?")
                shell.show_new()
                continue
            if word == "!now":
                out(f"(now {clock().astimezone(settings.tz):%Y-%m-%d %H:%M %Z})")
                continue
            data = shell.update_for(line)
            if data is not None:
                await application.bot_data.worker.receive([data])
                await application.bot_data.worker.drain()
            shell.show_new()
    return 0


def _sticker() -> dict[str, Any]:
    return {
        "file_id": "s1",
        "file_unique_id": "s1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }
