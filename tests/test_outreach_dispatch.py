"""The dispatcher through a real Application, the offline Telegram and a real database, on a
clock the test moves (2026-11-01 03:00 UTC = 10:00 in Jakarta: outside quiet hours)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from telegram.error import NetworkError, TimedOut

from bot.adapter import callbacks
from bot.adapter.offline import Fault, OfflineTelegram
from bot.config import Settings
from bot.jobs.dispatcher import Dispatcher
from bot.services import dispatch, dispatch_send
from storage.db import make_engine
from tests.auxil.harness import BotHarness
from tests.outreach_support import add_customer, customer, outbound, plan, row

A, B, C = 701, 702, 703


@pytest.fixture
async def bot(settings: Settings, engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, engine) as harness:
        yield harness


def dispatcher(bot: BotHarness) -> Dispatcher:
    return Dispatcher(bot.app, active=lambda: True)


async def drain(bot: BotHarness, worker: Dispatcher | None = None) -> Dispatcher:
    worker = worker or dispatcher(bot)
    await worker.recover()
    await worker.run()
    return worker


def sends(bot: BotHarness, chat: int) -> list[dict[str, Any]]:
    return [c for c in bot.calls("sendMessage") if c["chat_id"] == chat]


async def test_due_rows_go_once_each_recorded_as_outbound_of_the_customer(
    bot: BotHarness,
) -> None:
    now = bot.clock.now
    a, b = add_customer(bot.engine, A, at=now), add_customer(bot.engine, B, at=now)
    first = plan(bot.engine, a, "birthday", due=now, text="Selamat ulang tahun kak!")
    second = plan(bot.engine, b, "at_risk", due=now - timedelta(hours=1))
    later = plan(bot.engine, b, "holiday", due=now + timedelta(hours=1))
    await drain(bot)
    await drain(bot)  # a second pass sends nothing again
    assert bot.texts(A) == ["Selamat ulang tahun kak!"]
    assert bot.texts(B) == [f"at_risk for {b}"]
    sent = row(bot.engine, first)
    assert (sent.status, sent.attempts, sent.sent_at) == ("sent", 1, now)
    assert sent.telegram_message_id == bot.telegram.bot_messages(A)[0]["message_id"]
    assert row(bot.engine, second).status == "sent"
    assert row(bot.engine, later).status == "planned"
    [journal] = outbound(bot.engine, a)
    assert (journal.text, journal.delivery) == ("Selamat ulang tahun kak!", "sent")
    assert journal.telegram_message_id == sent.telegram_message_id


async def test_complaint_followup_carries_the_resolved_buttons(bot: BotHarness) -> None:
    now = bot.clock.now
    a = add_customer(bot.engine, A, at=now)
    b = add_customer(bot.engine, B, at=now, language="en")
    plan(bot.engine, a, "complaint_followup", due=now)
    plan(bot.engine, b, "complaint_followup", due=now, language="en")
    await drain(bot)
    [call_a], [call_b] = sends(bot, A), sends(bot, B)
    keyboard = call_a["reply_markup"]["inline_keyboard"][0]
    assert [(k["text"], k["callback_data"]) for k in keyboard] == [
        ("Sudah beres 👍", callbacks.make("resolved", "yes")),
        ("Belum 😕", callbacks.make("resolved", "no")),
    ]
    assert [k["text"] for k in call_b["reply_markup"]["inline_keyboard"][0]] == [
        "All sorted 👍",
        "Not yet 😕",
    ]


async def test_stopped_blocked_and_erased_customers_get_nothing(bot: BotHarness) -> None:
    now = bot.clock.now
    rows = {
        "opted_out": plan(
            bot.engine, add_customer(bot.engine, A, at=now, opted_out=True), "rating", due=now
        ),
        "blocked": plan(
            bot.engine, add_customer(bot.engine, B, at=now, blocked=True), "campaign", due=now
        ),
        "erased": plan(
            bot.engine, add_customer(bot.engine, C, at=now, erased_at=now), "birthday", due=now
        ),
    }
    await drain(bot)
    assert bot.calls("sendMessage") == []
    for reason, row_id in rows.items():
        assert (row(bot.engine, row_id).status, row(bot.engine, row_id).reason) == (
            "skipped",
            reason,
        )


async def test_quiet_hours_defer_to_their_end_then_it_goes(bot: BotHarness) -> None:
    bot.clock.now = bot.clock.now.replace(hour=15)  # 22:00 in Jakarta
    a = add_customer(bot.engine, A, at=bot.clock.now)
    row_id = plan(bot.engine, a, "rating", due=bot.clock.now)
    await drain(bot)
    deferred = row(bot.engine, row_id)
    assert (deferred.status, deferred.reason) == ("planned", "quiet_hours")
    assert deferred.due_at == bot.clock.now.replace(hour=1) + timedelta(days=1)  # 08:00 WIB
    assert bot.calls("sendMessage") == []
    bot.clock.now = deferred.due_at
    await drain(bot)
    assert row(bot.engine, row_id).status == "sent"
    assert len(sends(bot, A)) == 1


async def test_daily_cap_lets_the_higher_priority_go_and_defers_the_other(
    bot: BotHarness,
) -> None:
    now = bot.clock.now
    a = add_customer(bot.engine, A, at=now)
    low = plan(bot.engine, a, "at_risk", due=now - timedelta(minutes=5))
    high = plan(bot.engine, a, "complaint_followup", due=now)
    late = plan(bot.engine, a, "birthday", due=now, expires=timedelta(hours=2))
    await drain(bot)
    assert row(bot.engine, high).status == "sent"
    deferred = row(bot.engine, low)
    # the next local day (00:00 WIB), then quiet hours until 08:00 WIB
    assert (deferred.status, deferred.reason) == ("planned", "daily_cap")
    assert deferred.due_at == now.replace(hour=1) + timedelta(days=1)
    skipped = row(bot.engine, late)
    assert (skipped.status, skipped.reason) == ("skipped", "daily_cap")
    assert len(sends(bot, A)) == 1


async def test_campaigns_are_exempt_from_the_caps(bot: BotHarness) -> None:
    now = bot.clock.now
    a = add_customer(bot.engine, A, at=now)
    plan(bot.engine, a, "rating", due=now)
    campaign = plan(bot.engine, a, "campaign", due=now, variant="A")
    await drain(bot)
    assert row(bot.engine, campaign).status == "sent"
    assert len(sends(bot, A)) == 2


async def test_a_row_past_its_lateness_limit_expires(bot: BotHarness) -> None:
    now = bot.clock.now
    a = add_customer(bot.engine, A, at=now)
    row_id = plan(
        bot.engine, a, "birthday", due=now - timedelta(hours=20), expires=timedelta(hours=12)
    )
    await drain(bot)
    assert (row(bot.engine, row_id).status, row(bot.engine, row_id).reason) == ("expired", "late")
    assert bot.calls("sendMessage") == []


# PTB 22 warns when it builds a RetryAfter (retry_after becomes a timedelta one day)
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_429_with_a_wait_puts_the_row_back_planned(bot: BotHarness) -> None:
    now = bot.clock.now
    a = add_customer(bot.engine, A, at=now)
    row_id = plan(bot.engine, a, "rating", due=now)
    bot.telegram.faults.append(Fault("sendMessage", 429, "Too Many Requests", retry_after=1))
    await drain(bot)
    requeued = row(bot.engine, row_id)
    assert (requeued.status, requeued.attempts, requeued.reason) == ("planned", 0, "rate_limited")
    assert requeued.due_at == now + timedelta(seconds=1)
    assert outbound(bot.engine, a) == []  # the refused send left no journal row
    bot.clock.advance(seconds=1)
    await drain(bot)
    sent = row(bot.engine, row_id)
    assert (sent.status, sent.attempts) == ("sent", 1)
    assert len(sends(bot, A)) == 2  # the refused call and the one that went
    assert len(outbound(bot.engine, a)) == 1


async def test_5xx_retries_with_backoff_then_fails(bot: BotHarness) -> None:
    now = bot.clock.now
    a = add_customer(bot.engine, A, at=now)
    row_id = plan(bot.engine, a, "rating", due=now)
    bot.telegram.faults.append(
        Fault("sendMessage", 502, "Bad Gateway", count=dispatch_send.MAX_ATTEMPTS)
    )
    for attempt in range(1, dispatch_send.MAX_ATTEMPTS):
        await drain(bot)
        waiting = row(bot.engine, row_id)
        assert (waiting.status, waiting.attempts, waiting.reason) == ("planned", attempt, "retry")
        assert waiting.due_at == bot.clock.now + dispatch_send.BACKOFF * 2 ** (attempt - 1)
        bot.clock.now = waiting.due_at
    await drain(bot)
    failed = row(bot.engine, row_id)
    assert (failed.status, failed.attempts) == ("failed", dispatch_send.MAX_ATTEMPTS)
    assert "Bad Gateway" in (failed.last_error or "")
    assert bot.texts(A) == []


class Flaky(OfflineTelegram):
    """The offline Telegram whose sendMessage to some chats times out or loses the network."""

    def __init__(self, timeouts: set[int], broken: set[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timeouts, self.broken = timeouts, broken
        self.tries: dict[int, int] = {}

    async def do_request(self, url: str, method: str, request_data: Any = None, **kw: Any) -> Any:
        chat = request_data.parameters.get("chat_id") if request_data else None
        if url.endswith("/sendMessage"):
            self.tries[chat] = self.tries.get(chat, 0) + 1
        if url.endswith("/sendMessage") and chat in self.timeouts:
            raise TimedOut("read timed out")
        if url.endswith("/sendMessage") and chat in self.broken:
            raise NetworkError(f"httpx: {httpx.ConnectError('refused')}")
        return await super().do_request(url, method, request_data, **kw)


async def test_a_timeout_is_unconfirmed_and_never_resent(
    settings: Settings, engine: Engine
) -> None:
    harness = BotHarness(settings, engine)
    flaky = Flaky({A}, {B}, clock=harness.telegram.clock)
    harness = _with_request(harness, flaky)
    async with harness as bot:
        now = bot.clock.now
        a, b = add_customer(engine, A, at=now), add_customer(engine, B, at=now)
        timed_out, broken = plan(engine, a, "rating", due=now), plan(engine, b, "rating", due=now)
        await drain(bot)
        bot.clock.advance(days=1)
        await drain(bot)
        assert (row(engine, timed_out).status, row(engine, timed_out).attempts) == (
            "unconfirmed",
            1,
        )
        assert [j.delivery for j in outbound(engine, a)] == ["unconfirmed"]
        assert flaky.tries == {A: 1, B: 2}  # B retried after its backoff, A never again
        assert (row(engine, broken).status, row(engine, broken).reason) == ("planned", "retry")


def _with_request(harness: BotHarness, request: OfflineTelegram) -> BotHarness:
    from bot.app import build_application

    harness.telegram = request
    harness.app = build_application(
        harness.app.bot_data.settings,
        engine=harness.engine,
        request=request,
        clock=harness.clock,
        rate_limit=False,
    )
    return harness


async def test_forbidden_marks_the_customer_blocked_and_the_row_failed(bot: BotHarness) -> None:
    now = bot.clock.now
    a = add_customer(bot.engine, A, at=now)
    row_id = plan(bot.engine, a, "birthday", due=now)
    later = plan(bot.engine, a, "holiday", due=now + timedelta(days=2))
    bot.telegram.faults.append(Fault("sendMessage", 403, "Forbidden: bot was blocked by the user"))
    await drain(bot)
    assert (row(bot.engine, row_id).status, customer(bot.engine, a).blocked) == ("failed", True)
    assert outbound(bot.engine, a) == []
    bot.clock.advance(days=2)
    await drain(bot)
    assert (row(bot.engine, later).status, row(bot.engine, later).reason) == ("skipped", "blocked")


async def test_a_crash_between_claim_and_send_leaves_it_unconfirmed_not_resent(
    bot: BotHarness,
) -> None:
    now = bot.clock.now
    a = add_customer(bot.engine, A, at=now)
    row_id = plan(bot.engine, a, "rating", due=now)
    claim = dispatch.claim(
        bot.engine, rules=dispatch.rules_from(bot.app.bot_data.settings), now=now, limit=10
    )
    assert [d.id for d in claim.send] == [row_id]
    started, _ = dispatch_send.start(bot.engine, row_id, now=now, chat_id=A, text="hi")
    assert started  # then the process dies
    bot.clock.advance(seconds=5)
    await drain(bot)  # the next process: recovery first
    recovered = row(bot.engine, row_id)
    assert (recovered.status, recovered.attempts) == ("unconfirmed", 1)
    bot.clock.advance(days=1)
    await drain(bot)
    assert bot.calls("sendMessage") == []


async def test_two_dispatchers_on_one_database_send_each_row_once(
    settings: Settings, engine: Engine
) -> None:
    second_engine = make_engine(engine.url.render_as_string(hide_password=False))
    first = BotHarness(settings, engine)
    second = _with_request(BotHarness(settings, second_engine), first.telegram)  # one Telegram
    async with first as one, second as two:
        now = one.clock.now
        two.clock.now = now
        for n in range(40):
            plan(engine, add_customer(engine, 1000 + n, at=now), "rating", due=now)
        await asyncio.gather(drain(one), drain(two), drain(one), drain(two))
        chats = [c["chat_id"] for c in one.calls("sendMessage")]
        assert sorted(chats) == [1000 + n for n in range(40)]
    second_engine.dispose()


def test_the_dispatcher_runs_in_the_leader_only(settings: Settings, sqlite_engine: Engine) -> None:
    from bot.app import build_application

    def jobs(leader: bool) -> set[str]:
        app = build_application(
            settings, engine=sqlite_engine, request=OfflineTelegram(), leader=leader
        )
        assert app.job_queue is not None
        return {job.name for job in app.job_queue.jobs()}

    assert {"outreach-dispatch", "outreach-responses"} <= jobs(True)
    assert not {"outreach-dispatch", "outreach-responses"} & jobs(False)
