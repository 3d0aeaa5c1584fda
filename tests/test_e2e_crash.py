"""End to end under failure: `akrab run` as a real process, SIGKILLed, locked out of its
database, flooded, refused by Telegram, run behind a webhook, and given a bad token.

Every test drives the bot only through the Bot API emulator and reads the bot's database with
plain SQL. What the bot must do to pass (the interfaces these tests assume):

* No update is lost or recorded twice: an update counts as received only once it is committed
  (the polling offset, or the webhook's HTTP answer, comes after the commit), so a SIGKILL at
  any moment loses nothing that Telegram would not deliver again.
* A reply is sent at most once. A reply in flight at a SIGKILL may be lost (at most one per
  kill is tolerated); an outbound row whose fate is unknown has ``message.delivery`` =
  ``'unconfirmed'`` (otherwise ``'sent'``).
* A locked SQLite database delays the bot but loses nothing and never asks a customer to resend.
* Chats are independent: one chat's flood wait or retry-after does not hold up another chat,
  while one chat's replies keep their order and stay under Telegram's limits.
* 429 (after ``retry_after``), 500 and 502 are retried; a read timeout is not (the message may
  have gone out); 403 marks the customer ``blocked`` and is final.
* ``akrab run --webhook`` serves WEBHOOK_URL on WEBHOOK_LISTEN:WEBHOOK_PORT, checks
  WEBHOOK_SECRET, and answers a POST only after the update is committed.
* A rejected token ends the bot with exit code 2 and a short message, and the token is never in
  the output.
"""

from __future__ import annotations

import calendar
import contextlib
import json
import random
import secrets
import sqlite3
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import HTTPError

import pytest
from sqlalchemy import Engine

from bot.texts import TEXTS, t
from tests.auxil.botprocess import (
    TOKEN,
    BotProcess,
    WaitTimeout,
    database,
    free_port,
    inbound_keys,
    query,
)
from tests.emulator import BotApiEmulator

pytestmark = pytest.mark.e2e

# Plain customer messages, Indonesian and English, positive, negative and neutral.
PLAIN_TEXTS = [
    "barangnya sudah sampai kak, makasih",
    "kapan pesanan saya dikirim ya?",
    "ongkir ke Bandung berapa kak?",
    "Is the blue one still in stock?",
    "Thanks, the package arrived safely",
    "pesanan saya belum datang juga",
    "The size doesn't fit, can I exchange it?",
    "mantap, kualitasnya bagus banget",
    "bisa bayar pakai transfer bank?",
    "Great quality, I will order again!",
    "kecewa, warnanya beda dari foto",
    "ok siap kak",
]


# ---------------------------------------------------------------------------------- fixtures


@pytest.fixture
def emulator() -> Iterator[BotApiEmulator]:
    with BotApiEmulator() as emu:
        yield emu


BotFactory = Callable[..., BotProcess]


@pytest.fixture
def make_bot(emulator: BotApiEmulator, tmp_path: Path) -> Iterator[BotFactory]:
    """Build BotProcesses; each is stopped at the end, and its log checked for the token."""
    bots: list[BotProcess] = []

    def make(database_url: str, **kwargs: Any) -> BotProcess:
        kwargs.setdefault("log_name", f"bot{len(bots) or ''}.log")
        bot = BotProcess(emulator, database_url, tmp_path, **kwargs)
        bots.append(bot)
        return bot

    try:
        yield make
    finally:
        for bot in bots:
            bot.stop()
    for bot in bots:
        bot.assert_token_not_logged()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'akrab.db'}"


def first_name(user: int) -> str:
    return f"Pelanggan{user}"


def language(user: int) -> str:
    return "id" if user % 2 else "en"


def send(emulator: BotApiEmulator, user: int, text: str) -> int:
    """`user` sends `text` with a stable profile (name and language from the id)."""
    return emulator.send_text(user, text, first_name=first_name(user), language_code=language(user))


def bot_texts(emulator: BotApiEmulator, chat_id: int) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in emulator.bot_messages(chat_id)]


def sent_to(emulator: BotApiEmulator, chat_id: int, since: float = 0.0) -> list[dict[str, Any]]:
    """The successful sendMessage calls to `chat_id`, in the order they came in."""
    calls = [
        c
        for c in emulator.calls_since(since, "sendMessage")
        if c["ok"] and str(c["params"].get("chat_id")) == str(chat_id)
    ]
    return sorted(calls, key=lambda c: c["monotonic"])


RESEND_PHRASES = ("kirim ulang", "send your message again", "send it again", "resend")


def asks_to_resend(text: str) -> bool:
    """A reply that asks the customer to send their message again (it was not kept)."""
    known = {variant for variant in TEXTS.get("error_retry", {}).values()}
    return text in known or any(phrase in text.lower() for phrase in RESEND_PHRASES)


def resend_requests(emulator: BotApiEmulator, chats: list[int]) -> list[tuple[int, str]]:
    return [
        (chat, text) for chat in chats for text in bot_texts(emulator, chat) if asks_to_resend(text)
    ]


# ---------------------------------------------------------------------------------- a. crash

N_CUSTOMERS = 50
N_UPDATES = 2000  # the customers' messages, /start included; a multiple of N_CUSTOMERS
INJECT_SECONDS = 15.0  # the updates come at a steady pace over this long (about 133/s)
KILLS = 3  # SIGKILLs at seeded random moments, one in each third of the injection
# Replies on the wire at a SIGKILL (several chats send at once) may be lost; each must be
# journalled as 'unconfirmed' (the bot knows it may not have arrived), never resent.
LOST_REPLIES_PER_KILL = 3
DRAIN_TIMEOUT = 120.0  # after the injection: until every update is recorded and answered
SETTLE_SECONDS = 10.0  # ... or until nothing has changed for this long (then assert)
CRASH_SEED = 20261201
CRASH_BASE = 610_000  # the customers are CRASH_BASE + 0 .. N_CUSTOMERS - 1
BIRTHDAY_SHARE = 0.25


@dataclass
class Planned:
    user: int
    text: str
    date: str | None  # "07-03" for "/birthday 7-3": what the reply must contain


@dataclass
class Sent:
    user: int
    message_id: int
    text: str
    date: str | None


def crash_plan(
    rng: random.Random,
    *,
    customers: int = N_CUSTOMERS,
    updates: int = N_UPDATES,
    base: int = CRASH_BASE,
) -> list[Planned]:
    """`updates` messages: each customer's /start first, then ~1 in 4 a /birthday with a date
    of their own, the rest plain texts; customers interleaved at random."""
    assert updates % customers == 0
    per_customer = updates // customers
    days = [(d, m) for m in range(1, 13) for d in range(1, calendar.monthrange(2001, m)[1] + 1)]
    scripts: dict[int, list[Planned]] = {}
    number = 0
    for index in range(customers):
        user = base + index
        dates = iter(rng.sample(days, per_customer))  # distinct per customer
        script = [Planned(user, "/start", None)]
        for _ in range(per_customer - 1):
            number += 1
            if rng.random() < BIRTHDAY_SHARE:
                day, month = next(dates)
                script.append(Planned(user, f"/birthday {day}-{month}", f"{day:02d}-{month:02d}"))
            else:
                script.append(Planned(user, f"{rng.choice(PLAIN_TEXTS)} ({number})", None))
        scripts[user] = script
    turns = [user for user, script in scripts.items() for _ in script]
    rng.shuffle(turns)
    taken: Counter[int] = Counter()
    plan = []
    for user in turns:  # each customer's messages keep their order
        plan.append(scripts[user][taken[user]])
        taken[user] += 1
    return plan


class Injector(threading.Thread):
    """Sends the planned messages at a steady pace from its own thread."""

    def __init__(self, emulator: BotApiEmulator, plan: list[Planned], seconds: float) -> None:
        super().__init__(name="injector", daemon=True)
        self.emulator = emulator
        self.plan = plan
        self.interval = seconds / len(plan)
        self.sent: list[Sent] = []
        self.error: BaseException | None = None
        self.halt = threading.Event()

    def run(self) -> None:
        try:
            started = time.monotonic()
            for index, item in enumerate(self.plan):
                delay = started + index * self.interval - time.monotonic()
                if delay > 0 and self.halt.wait(delay):
                    return
                message_id = send(self.emulator, item.user, item.text)
                self.sent.append(Sent(item.user, message_id, item.text, item.date))
        except BaseException as error:  # reported by the test, not by the thread machinery
            self.error = error

    def finish(self, timeout: float) -> None:
        self.join(timeout)
        if self.is_alive():
            self.halt.set()
            self.join(5)
            raise AssertionError(f"the injector did not finish within {timeout}s")
        if self.error is not None:
            raise AssertionError(f"the injector failed: {self.error!r}") from self.error


def drain(
    emulator: BotApiEmulator, engine: Engine, bot: BotProcess, sent: list[Sent], timeout: float
) -> CrashOutcome:
    """Wait until every message is recorded and answered, or until nothing has changed for
    SETTLE_SECONDS with no update pending at the emulator (some replies may legitimately be
    lost), or `timeout`; then the outcome, for the test to assert."""
    deadline = time.monotonic() + timeout
    last_change, last_state = time.monotonic(), None
    while True:
        bot.ensure_alive()
        outcome = crash_outcome(emulator, engine, sent)
        pending = emulator.pending_count()
        state = (len(outcome.missing), len(outcome.lost_replies), pending)
        if state != last_state:
            last_change, last_state = time.monotonic(), state
        if outcome.done or time.monotonic() > deadline:
            return outcome
        if pending == 0 and time.monotonic() - last_change > SETTLE_SECONDS:
            return outcome  # nothing more is coming
        time.sleep(0.5)


@dataclass
class CrashOutcome:
    missing: list[Sent]
    doubled: dict[tuple[int, int], int]
    duplicate_replies: dict[tuple[int, str], int]
    lost_replies: list[str]

    @property
    def done(self) -> bool:
        return not self.missing and not self.doubled and not self.lost_replies

    def problems(self, *, total: int, lost_replies_allowed: int, kills: int) -> list[str]:
        found = []
        if self.missing:
            found.append(
                f"{len(self.missing)} of {total} customer messages lost (not in the message "
                f"table); first: {self.missing[:3]}"
            )
        if self.doubled:
            found.append(
                f"{len(self.doubled)} customer messages recorded more than once (chat, message "
                f"id: rows): {dict(list(self.doubled.items())[:3])}"
            )
        if self.duplicate_replies:
            found.append(
                f"{len(self.duplicate_replies)} replies sent more than once (chat, text: times):"
                f" {dict(list(self.duplicate_replies.items())[:3])}"
            )
        if len(self.lost_replies) > lost_replies_allowed:
            found.append(
                f"{len(self.lost_replies)} replies never sent (at most {lost_replies_allowed} "
                f"may be lost over {kills} kill(s)): {self.lost_replies[:5]}"
            )
        return found


def unconfirmed_per_chat(engine: Engine) -> dict[int, int]:
    rows = query(
        engine,
        "SELECT chat_id, COUNT(*) FROM message WHERE direction = 'out' "
        "AND delivery = 'unconfirmed' GROUP BY chat_id",
    )
    return {int(chat): int(count) for chat, count in rows}


def unaccounted_replies(outcome: CrashOutcome, unconfirmed: dict[int, int]) -> list[str]:
    """Lost replies the bot does not know about: more lost in a chat than it marked unconfirmed."""
    lost: dict[int, int] = {}
    for entry in outcome.lost_replies:
        chat = int(entry.split(":", 1)[0])
        lost[chat] = lost.get(chat, 0) + 1
    silent = {chat: n for chat, n in lost.items() if n > unconfirmed.get(chat, 0)}
    if not silent:
        return []
    return [f"replies lost without an 'unconfirmed' journal row (chat: lost): {silent}"]


def crash_outcome(emulator: BotApiEmulator, engine: Engine, sent: list[Sent]) -> CrashOutcome:
    recorded = inbound_keys(engine)
    missing = [s for s in sent if (s.user, s.message_id) not in recorded]
    doubled = {key: n for key, n in recorded.items() if n > 1}
    duplicates: dict[tuple[int, str], int] = {}
    lost: list[str] = []
    by_user: dict[int, list[Sent]] = {}
    for item in sent:
        by_user.setdefault(item.user, []).append(item)
    for user, items in by_user.items():
        lang = language(user)
        texts = Counter(bot_texts(emulator, user))
        welcome = t(lang, "welcome", name=first_name(user))
        greetings = texts[welcome] + texts[t(lang, "welcome_back", name=first_name(user))]
        if greetings > 1:
            duplicates[(user, welcome)] = greetings
        if texts[welcome] == 0:
            lost.append(f"{user}: no welcome for /start")
        for item in items:
            if item.date is None:
                continue
            reply = t(lang, "birthday_saved", date=item.date)
            if texts[reply] > 1:
                duplicates[(user, reply)] = texts[reply]
            elif texts[reply] == 0:
                lost.append(f"{user}: no reply to {item.text!r}")
    return CrashOutcome(missing, doubled, duplicates, lost)


# `db_url` (tests/conftest.py): a SQLite file, then a fresh PostgreSQL schema when
# TEST_DATABASE_URL is set (its URL carries options=-csearch_path=<schema> for the bot).
def test_sigkill_three_times_loses_and_doubles_nothing(
    emulator: BotApiEmulator, make_bot: BotFactory, db_url: str
) -> None:
    rng = random.Random(CRASH_SEED)
    plan = crash_plan(rng)
    third = INJECT_SECONDS / KILLS
    kill_at = [rng.uniform((k + 0.15) * third, (k + 0.85) * third) for k in range(KILLS)]
    pauses = [rng.uniform(0.0, 1.0) for _ in range(KILLS)]
    bot = make_bot(db_url)
    bot.start()
    bot.wait_ready()
    injector = Injector(emulator, plan, INJECT_SECONDS)
    started = time.monotonic()
    injector.start()
    try:
        for at, pause in zip(kill_at, pauses, strict=True):
            time.sleep(max(0.0, started + at - time.monotonic()))
            bot.ensure_alive()
            bot.kill()
            time.sleep(pause)
            bot.start()
            bot.wait_ready()
        injector.finish(timeout=INJECT_SECONDS + 30)
    finally:
        injector.halt.set()
    assert len(injector.sent) == N_UPDATES

    with database(db_url) as engine:
        outcome = drain(emulator, engine, bot, injector.sent, DRAIN_TIMEOUT)
        customers = query(
            engine, "SELECT COUNT(DISTINCT chat_id) FROM message WHERE direction = 'in'"
        )[0][0]
        unconfirmed = unconfirmed_per_chat(engine)
    drained = time.monotonic() - started - INJECT_SECONDS

    problems = outcome.problems(
        total=N_UPDATES, lost_replies_allowed=KILLS * LOST_REPLIES_PER_KILL, kills=KILLS
    )
    problems += unaccounted_replies(outcome, unconfirmed)
    if customers != N_CUSTOMERS:
        problems.append(f"{customers} distinct customers wrote, not {N_CUSTOMERS}")
    assert problems == [], (
        f"after {KILLS} SIGKILLs, {drained:.0f}s after the last message "
        f"({emulator.pending_count()} updates still pending at the emulator):\n"
        + "\n".join(problems)
    )


# ---------------------------------------------------------------------------------- b. lock

LOCK_SECONDS = 20.0  # another connection holds SQLite's write lock this long
LOCK_WRITERS = 4  # customers who keep writing during the lock ...
LOCK_WRITE_INTERVAL = 1.0  # ... each one message every this many seconds
HELP_BEFORE_RELEASE = 0.5  # the other customer's /help comes this long before the release
ANSWER_AFTER_RELEASE = 2.0  # seconds within which that /help must be answered
LOCK_BASE = 620_000


def test_sqlite_write_lock_delays_but_loses_nothing(
    emulator: BotApiEmulator, make_bot: BotFactory, sqlite_url: str, tmp_path: Path
) -> None:
    writers = [LOCK_BASE + n for n in range(LOCK_WRITERS)]
    helper = LOCK_BASE + 99
    bot = make_bot(sqlite_url)
    bot.start()
    bot.wait_ready()
    for user in [*writers, helper]:
        send(emulator, user, "/start")
    bot.wait_until(
        lambda: all(bot_texts(emulator, user) for user in [*writers, helper]),
        "the welcomes before the lock",
        30,
    )
    sent: list[tuple[int, int]] = []
    blocker = sqlite3.connect(tmp_path / "akrab.db", timeout=30, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # SQLite's write lock, until ROLLBACK
        locked = time.monotonic()
        number = 0
        while time.monotonic() < locked + LOCK_SECONDS - 1.0:
            for user in writers:
                number += 1
                if (number + user) % 4 == 0:  # about 1 in 4, for every writer
                    text = f"/birthday {number % 28 + 1}-{number % 12 + 1}"
                else:
                    text = f"{PLAIN_TEXTS[number % len(PLAIN_TEXTS)]} (lock {number})"
                sent.append((user, send(emulator, user, text)))
            time.sleep(LOCK_WRITE_INTERVAL)
        time.sleep(max(0.0, locked + LOCK_SECONDS - HELP_BEFORE_RELEASE - time.monotonic()))
        asked = time.monotonic()
        help_id = send(emulator, helper, "/help")
        time.sleep(max(0.0, locked + LOCK_SECONDS - time.monotonic()))
        asks_during_lock = resend_requests(emulator, [*writers, helper])
        blocker.execute("ROLLBACK")
    finally:
        blocker.close()
    released = time.monotonic()
    sent.append((helper, help_id))

    with contextlib.suppress(WaitTimeout):  # reported below
        bot.wait_until(lambda: bool(sent_to(emulator, helper, since=asked)), "/help's answer", 30)
    replies = sent_to(emulator, helper, since=asked)
    delay = replies[0]["monotonic"] - released if replies else float("inf")
    with database(sqlite_url) as engine:
        keys: dict[tuple[int, int], int] = {}

        def all_recorded() -> bool:
            keys.update(inbound_keys(engine))
            return all(key in keys for key in sent)

        with contextlib.suppress(WaitTimeout):  # counted below
            bot.wait_until(all_recorded, "every message sent during the lock", 60)
    lost = [key for key in sent if key not in keys]
    problems = []
    if lost:
        problems.append(
            f"{len(lost)} of {len(sent)} messages sent during the {LOCK_SECONDS:.0f}s lock were "
            f"lost (not recorded 60s after the release): {lost[:5]}"
        )
    if asks_during_lock:
        problems.append(
            f"during the lock the bot asked {len(asks_during_lock)} time(s) to resend: "
            f"{asks_during_lock[:2]}"
        )
    later = [
        ask for ask in resend_requests(emulator, [*writers, helper]) if ask not in asks_during_lock
    ]
    if later or any(asks_to_resend(r["params"]["text"]) for r in replies):
        problems.append(f"after the lock the bot asked to resend: {later[:2]}")
    if not replies:
        problems.append("the /help sent just before the release was not answered within 30s")
    elif delay > ANSWER_AFTER_RELEASE:
        problems.append(
            f"the /help sent {HELP_BEFORE_RELEASE}s before the release was answered "
            f"{delay:.2f}s after the release (at most {ANSWER_AFTER_RELEASE}s)"
        )
    assert problems == [], (
        f"SQLite write lock held {LOCK_SECONDS:.0f}s; /help answered {delay:.2f}s after the "
        "release:\n" + "\n".join(problems)
    )


# ---------------------------------------------------------------------------------- c. burst

BURST = 60  # customer A's /help commands, sent at once
BURST_LIMITS = (30, 1)  # the emulator's flood control: per bot and per chat, per second
OTHER_CHAT_WITHIN = 2.0  # seconds within which customer B's /help must be answered
BURST_TIMEOUT = 120.0  # A's 60 replies at one a second take about 60 s
MAX_FLOOD_429 = 6  # "few or no" 429s: at most 1 in 10 of A's replies
BURST_A, BURST_B = 630_001, 630_002


def test_burst_in_one_chat_does_not_hold_up_another(
    emulator: BotApiEmulator, make_bot: BotFactory, sqlite_url: str
) -> None:
    emulator.set_limits(*BURST_LIMITS)
    bot = make_bot(sqlite_url)
    bot.start()
    bot.wait_ready()
    for _ in range(BURST):
        send(emulator, BURST_A, "/help")
    asked = time.monotonic()
    send(emulator, BURST_B, "/help")
    with contextlib.suppress(WaitTimeout):  # reported below
        bot.wait_until(lambda: bool(sent_to(emulator, BURST_B)), "customer B's answer", 30)
    b_replies = sent_to(emulator, BURST_B)
    b_delay = b_replies[0]["monotonic"] - asked if b_replies else float("inf")
    assert b_delay <= OTHER_CHAT_WITHIN, (
        f"customer B's /help, sent after A's {BURST}, was answered after {b_delay:.2f}s "
        f"(at most {OTHER_CHAT_WITHIN}s; inf: not within 30s); by then A had "
        f"{len(emulator.bot_messages(BURST_A))} replies and the emulator had answered "
        f"{emulator.flood_count()} sends with 429"
    )

    deadline = time.monotonic() + BURST_TIMEOUT
    last_count, last_change = -1, time.monotonic()
    while time.monotonic() < deadline:
        bot.ensure_alive()
        count = len(emulator.bot_messages(BURST_A))
        if count != last_count:
            last_count, last_change = count, time.monotonic()
        if count >= BURST or time.monotonic() - last_change > 15:
            break
        time.sleep(0.5)
    time.sleep(1.5)  # a 61st reply would be a duplicate
    replies = len(emulator.bot_messages(BURST_A))
    floods = emulator.flood_count()
    took = time.monotonic() - asked
    assert replies == BURST, (
        f"customer A got {replies} of {BURST} replies ({floods} answered 429 by the emulator)"
    )
    assert floods <= MAX_FLOOD_429, (
        f"the emulator answered {floods} sends with 429 (limits {BURST_LIMITS}); at most "
        f"{MAX_FLOOD_429} allowed; A's {BURST} replies took {took:.0f}s"
    )


# ---------------------------------------------------------------------------------- d. faults

SLOW_ANSWER = 12.0  # the emulator holds this answer back: past the bot's read timeout (PTB: 5 s)
OTHER_REPLY_WITHIN = 1.5  # a chat's 429 must not delay another chat's reply past this
FAULT_BASE = 640_000


@pytest.fixture
def running_bot(make_bot: BotFactory, sqlite_url: str) -> BotProcess:
    bot = make_bot(sqlite_url)
    bot.start()
    bot.wait_ready()
    return bot


def calls_to(emulator: BotApiEmulator, chat_id: int, since: float = 0.0) -> list[dict[str, Any]]:
    """Every sendMessage call to `chat_id` (failed ones too), in the order they came in."""
    calls = [
        c
        for c in emulator.calls_since(since, "sendMessage")
        if str(c["params"].get("chat_id")) == str(chat_id)
    ]
    return sorted(calls, key=lambda c: c["monotonic"])


def test_reply_after_429_waits_retry_after_and_no_other_chat_waits(
    emulator: BotApiEmulator, running_bot: BotProcess
) -> None:
    limited, other = FAULT_BASE + 1, FAULT_BASE + 2
    emulator.inject_fault("sendMessage", chat_id=limited, retry_after=2)
    send(emulator, limited, "/help")
    running_bot.wait_until(
        lambda: any(c.get("error_code") == 429 for c in calls_to(emulator, limited)),
        "the bot's first try (answered 429)",
        30,
    )
    refused = next(c for c in calls_to(emulator, limited) if c.get("error_code") == 429)
    asked = time.monotonic()
    send(emulator, other, "/help")
    running_bot.wait_until(lambda: bool(sent_to(emulator, other)), "the other chat's reply", 30)
    other_delay = sent_to(emulator, other)[0]["monotonic"] - asked
    running_bot.wait_until(
        lambda: bool(sent_to(emulator, limited)), "the reply after retry_after", 30
    )
    waited = sent_to(emulator, limited)[0]["monotonic"] - refused["answered"]
    time.sleep(1.0)
    assert len(emulator.bot_messages(limited)) == 1
    assert waited >= 1.95, f"the bot retried {waited:.2f}s after a 429 with retry_after=2"
    assert other_delay <= OTHER_REPLY_WITHIN, (
        f"another chat's /help was answered after {other_delay:.2f}s while the first chat "
        f"waited out its retry_after (at most {OTHER_REPLY_WITHIN}s)"
    )


@pytest.mark.parametrize("error_code", [500, 502])
def test_reply_after_server_error_is_retried_and_sent_once(
    emulator: BotApiEmulator, running_bot: BotProcess, error_code: int
) -> None:
    user = FAULT_BASE + 10 + error_code % 100
    emulator.inject_fault("sendMessage", chat_id=user, error_code=error_code)
    send(emulator, user, "/help")
    running_bot.wait_until(
        lambda: bool(sent_to(emulator, user)), f"the reply after a {error_code}", 30
    )
    time.sleep(2.0)  # a second copy would come now
    attempts = [(c["ok"], c.get("error_code")) for c in calls_to(emulator, user)]
    assert attempts == [(False, error_code), (True, None)]
    assert len(emulator.bot_messages(user)) == 1


def test_reply_that_timed_out_is_not_resent_and_is_unconfirmed(
    emulator: BotApiEmulator, running_bot: BotProcess, sqlite_url: str
) -> None:
    user = FAULT_BASE + 20
    emulator.inject_fault("sendMessage", chat_id=user, delay=SLOW_ANSWER, process_first=True)
    asked = time.monotonic()
    send(emulator, user, "/help")
    running_bot.wait_until(lambda: bool(emulator.bot_messages(user)), "the reply to be stored", 30)
    with database(sqlite_url) as engine:

        def decided() -> bool:
            rows = query(
                engine,
                "SELECT delivery FROM message WHERE chat_id = :chat AND direction = 'out'",
                chat=user,
            )
            return bool(rows) and all(row[0] is not None for row in rows)

        time.sleep(max(0.0, asked + SLOW_ANSWER + 3.0 - time.monotonic()))  # past any resend
        running_bot.ensure_alive()
        assert len(calls_to(emulator, user)) == 1, "the bot sent the timed-out reply again"
        assert len(emulator.bot_messages(user)) == 1
        running_bot.wait_until(decided, "the outbound row", 10)
        rows = query(
            engine,
            "SELECT delivery FROM message WHERE chat_id = :chat AND direction = 'out'",
            chat=user,
        )
    assert [row[0] for row in rows] == ["unconfirmed"]


def test_reply_forbidden_marks_the_customer_blocked(
    emulator: BotApiEmulator, running_bot: BotProcess, sqlite_url: str
) -> None:
    user = FAULT_BASE + 30
    emulator.inject_fault(
        "sendMessage",
        chat_id=user,
        error_code=403,
        description="Forbidden: bot was blocked by the user",
    )
    send(emulator, user, "/help")
    with database(sqlite_url) as engine:

        def blocked() -> bool:
            rows = query(
                engine, "SELECT blocked FROM customer WHERE telegram_id = :user", user=user
            )
            return bool(rows) and bool(rows[0][0])

        running_bot.wait_until(blocked, "the customer to be marked blocked", 30)
    time.sleep(2.0)
    assert len(calls_to(emulator, user)) == 1, "a 403 is final: the bot must not send again"
    assert emulator.bot_messages(user) == []


# ---------------------------------------------------------------------------------- e. webhook

WEBHOOK_CUSTOMERS = 10
WEBHOOK_UPDATES = 300  # over WEBHOOK_SECONDS, with one SIGKILL in the middle
WEBHOOK_SECONDS = 6.0
WEBHOOK_DRAIN_TIMEOUT = 60.0
WEBHOOK_BASE = 650_000


def post(url: str, body: dict[str, Any], secret: str | None) -> int:
    """POST an update to the bot's webhook as an impostor would; the HTTP status."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except HTTPError as error:
        with error:
            return int(error.code)


def webhook_set_since(emulator: BotApiEmulator, since: float) -> list[dict[str, Any]]:
    return [c for c in emulator.calls_since(since, "setWebhook") if c["ok"]]


def test_webhook_mode_records_answers_refuses_impostors_and_survives_sigkill(
    emulator: BotApiEmulator, make_bot: BotFactory, sqlite_url: str
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    secret = secrets.token_urlsafe(24)
    bot = make_bot(
        sqlite_url,
        args=("run", "--webhook"),
        env={
            "WEBHOOK_URL": url,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "WEBHOOK_SECRET": secret,
        },
    )
    bot.start()
    bot.wait_until(lambda: bool(webhook_set_since(emulator, 0)), "setWebhook", 30)
    call = webhook_set_since(emulator, 0)[-1]
    assert call["params"]["url"] == url
    assert call["params"].get("secret_token") == secret

    rng = random.Random(CRASH_SEED + 1)
    plan = crash_plan(rng, customers=WEBHOOK_CUSTOMERS, updates=WEBHOOK_UPDATES, base=WEBHOOK_BASE)
    injector = Injector(emulator, plan, WEBHOOK_SECONDS)
    injector.start()
    try:
        time.sleep(WEBHOOK_SECONDS / 2)
        bot.ensure_alive()
        bot.kill()
        bot.start()
        bot.wait_until(
            lambda: bool(webhook_set_since(emulator, bot.started_at)), "setWebhook again", 30
        )
        injector.finish(timeout=WEBHOOK_SECONDS + 30)
    finally:
        injector.halt.set()
    assert bot.kills == 1

    with database(sqlite_url) as engine:
        outcome = drain(emulator, engine, bot, injector.sent, WEBHOOK_DRAIN_TIMEOUT)

        # Impostors: no secret, or a wrong one. Telegram itself always sends the secret.
        impostor = WEBHOOK_BASE + 99
        forged = {
            "update_id": 900_000_001,
            "message": {
                "message_id": 777,
                "date": int(time.time()),
                "chat": {"id": impostor, "type": "private", "first_name": "Mallory"},
                "from": {"id": impostor, "is_bot": False, "first_name": "Mallory"},
                "text": "forged update",
            },
        }
        statuses = [post(url, forged, None), post(url, forged, secret[::-1] + "x")]
        marker = send(emulator, impostor, "a real message")  # once it is in, so would be fakes
        bot.wait_until(
            lambda: (impostor, marker) in inbound_keys(engine), "the impostor's real message", 30
        )
        fakes = query(
            engine,
            "SELECT COUNT(*) FROM message WHERE chat_id = :chat AND "
            "(telegram_message_id = 777 OR text = 'forged update')",
            chat=impostor,
        )[0][0]
    problems = outcome.problems(
        total=WEBHOOK_UPDATES, lost_replies_allowed=LOST_REPLIES_PER_KILL, kills=1
    )
    if statuses != [403, 403]:
        problems.append(f"POSTs without or with a wrong secret were answered {statuses}")
    if fakes:
        problems.append("a forged update (wrong or no secret) was recorded")
    assert problems == [], "webhook mode, one SIGKILL:\n" + "\n".join(problems)
    assert all(d["secret_sent"] for d in emulator.webhook_deliveries())


# ---------------------------------------------------------------------------------- f. token

MAX_FAILURE_LINES = 10  # what a rejected token may print, at LOG_LEVEL=DEBUG


def test_rejected_token_exits_2_briefly_without_showing_the_token(
    emulator: BotApiEmulator, make_bot: BotFactory, sqlite_url: str
) -> None:
    emulator.inject_fault("getMe", error_code=401, description="Unauthorized", count=100)
    bot = make_bot(sqlite_url, log_level="DEBUG")
    code, output = bot.run_to_exit(timeout=60)
    lines = output.strip().splitlines()
    secret = TOKEN.split(":", 1)[1]
    leaks = [number for number, line in enumerate(lines, 1) if secret in line]
    assert leaks == [], f"the token is in line(s) {leaks} of the bot's output"  # not echoed
    assert "Traceback" not in output, output
    assert code == 2, f"exit code {code}; output:\n{output}"
    assert len(lines) <= MAX_FAILURE_LINES, (
        f"{len(lines)} lines of output (at most {MAX_FAILURE_LINES}):\n{output}"
    )
    assert "token" in output.lower(), (
        f"the message does not say the token is the problem:\n{output}"
    )
