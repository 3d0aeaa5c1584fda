"""`akrab demo` on a small size: simulated customers through the real bot on a fresh SQLite file."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, create_engine, select

from bot.cli import demo_hooks, main
from bot.cli.common import CliError
from bot.cli.demo import REPORT_FILE, DemoResult, is_demo_database, run_demo
from bot.cli.demo_people import BY_NAME, make_customers
from bot.cli.demo_world import World
from bot.config import Settings
from bot.handlers.feedback import rating_keyboard
from storage.db import open_database
from storage.models import Customer, Feedback, InboxUpdate, Message, OwnerRelay, Purchase, Score

END = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
REFERRAL = re.compile(r"ref_[A-Za-z0-9]+")  # referral codes are random by design


def demo(settings: Settings, folder: Path, *, seed: int = 7, **size: int) -> DemoResult:
    folder.mkdir(exist_ok=True)
    return run_demo(
        settings,
        customers=size.get("customers", 20),
        days=size.get("days", 5),
        database=folder / "demo.db",
        out=folder,
        seed=seed,
        end=END,
    )


def session_for(path: Path) -> Session:
    return Session(create_engine(f"sqlite:///{path}"))


def fingerprint(path: Path) -> tuple:
    """Everything the demo recorded, without database ids or the random referral codes."""
    with session_for(path) as session:
        messages = sorted(
            (m.chat_id, m.direction, m.kind, m.sent_at, REFERRAL.sub("ref_", m.text or ""))
            + (m.sentiment_label,)
            for m in session.exec(select(Message))
        )
        telegram = {c.id: c.telegram_id for c in session.exec(select(Customer))}
        feedback = sorted(
            (telegram[f.customer_id], f.kind, f.score, f.comment)
            for f in session.exec(select(Feedback))
        )
        purchases = sorted(
            (telegram[p.customer_id], p.amount_cents, p.purchased_at)
            for p in session.exec(select(Purchase))
        )
        customers = sorted(
            (c.telegram_id, c.segment, c.ces, c.birthday_day, c.referred_by_id is not None)
            for c in session.exec(select(Customer))
        )
    return messages, feedback, purchases, customers


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    settings = Settings(_env_file=None, owner_ids=frozenset({99}))  # type: ignore[call-arg]
    return demo(settings, tmp_path_factory.mktemp("demo"), customers=20, days=5)


def test_every_simulated_update_is_recorded_once(small: DemoResult) -> None:
    with session_for(small.database) as session:
        inbound = list(session.exec(select(Message).where(Message.direction == "in")))
        inbox = list(session.exec(select(InboxUpdate)))
        outbound = list(session.exec(select(Message).where(Message.direction == "out")))
    # Every update reached the inbox; all but the owner's replies are customers' messages.
    assert small.stats.updates == len(inbox)
    owners = small.stats.owner_replies + small.stats.owner_actions
    assert small.stats.updates - owners == len(inbound)
    assert all(row.processed_at is not None and row.error is None for row in inbox)
    keys = [(m.chat_id, m.telegram_message_id or m.callback_id) for m in inbound]
    assert len(keys) == len(set(keys))  # no duplicates
    assert Counter(m.kind for m in inbound)["callback"] == small.stats.presses > 0
    assert outbound
    assert all(m.delivery == "sent" for m in outbound)
    texts = [m for m in inbound if m.kind == "text"]
    assert texts
    assert all(m.sentiment_label is not None for m in texts)


def test_every_customer_is_scored_every_simulated_night(small: DemoResult) -> None:
    with session_for(small.database) as session:
        customers = list(session.exec(select(Customer)))
        runs = session.exec(select(func.count(func.distinct(Score.computed_at)))).one()
        feedback = Counter(f.kind for f in session.exec(select(Feedback)))
    assert len(customers) == small.stats.customers == 20
    assert all(c.ces is not None and c.segment for c in customers)
    assert runs == small.stats.score_runs == 6  # every local midnight of 5 days, and the end
    assert feedback["csat"] + feedback["nps"] > 0
    assert {c.telegram_id for c in customers} == set(range(810_000_000, 810_000_020))


def test_the_demo_leaves_its_report_and_a_marked_database(small: DemoResult) -> None:
    report = (small.database.parent / REPORT_FILE).read_text()
    assert report == small.report + "\n"
    assert "👥 Pelanggan: 20" in report  # the owner's /report text (bot/services/report.py)
    assert not small.report_is_summary
    assert small.files["chart"].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    export = small.files["export"].read_text(encoding="utf-8-sig").splitlines()
    assert len(export) == 1 + 20  # the header and one row per customer
    assert small.files["report"] == small.database.parent / REPORT_FILE
    assert is_demo_database(small.database)
    assert small.owner_id == 99  # the first of OWNER_IDS, as `akrab shell --as-owner` takes


def test_the_same_seed_gives_the_same_shop(tmp_path: Path, settings: Settings) -> None:
    first = fingerprint(demo(settings, tmp_path / "a", customers=8, days=3).database)
    again = demo(settings, tmp_path / "a", customers=8, days=3)  # over its own file: fine
    other = demo(settings, tmp_path / "b", customers=8, days=3, seed=8)
    assert fingerprint(again.database) == first
    assert first[0]
    assert first[3]
    assert fingerprint(other.database) != first


@pytest.mark.parametrize("content", ["real", "text"])
def test_a_file_that_is_not_a_demo_database_is_never_overwritten(
    tmp_path: Path, settings: Settings, content: str
) -> None:
    path = tmp_path / "akrab.db"
    if content == "real":
        open_database(f"sqlite:///{path}").dispose()  # a shop's real database
    else:
        path.write_text("notes\n")
    before = path.read_bytes()
    with pytest.raises(CliError, match="is not an akrab demo database"):
        run_demo(settings, customers=2, days=1, database=path, out=tmp_path, seed=1, end=END)
    assert path.read_bytes() == before


def test_the_command_prints_where_things_are_and_how_to_try_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OWNER_IDS", "4242,77")
    assert main(["demo", "--customers", "4", "--days", "2", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    database = (tmp_path / "akrab-demo.db").resolve()
    assert f"OWNER_IDS=77 DATABASE_URL=sqlite:///{database} akrab shell --as-owner" in out
    assert "Simulated 4 customers" in out
    assert (tmp_path / REPORT_FILE).exists()
    # The printed command opens the owner's side of the shell on that very database.
    line = next(line for line in out.splitlines() if "shell --as-owner" in line)
    for pair in line.split()[:2]:
        name, _, value = pair.partition("=")
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("builtins.input", lambda prompt="": "!quit")
    assert main(["shell", "--as-owner"]) == 0
    shell = capsys.readouterr().out
    assert f"you are Telegram user 77; database: sqlite:///{database}" in shell
    (tmp_path / "other.db").write_text("not a database")
    assert main(["demo", "--db", "other.db", "--customers", "2", "--days", "1"]) == 2
    assert "akrab: other.db exists and is not an akrab demo database" in capsys.readouterr().err


def test_personas_behave_differently() -> None:
    start = END - timedelta(days=60)
    people = make_customers(300, start=start, days=60, zone=UTC, rng=random.Random(1))
    by = {name: [c for c in people if c.persona is persona] for name, persona in BY_NAME.items()}
    assert all(by.values())

    def talks(customers: list, after: datetime | None = None) -> float:
        texts = [e for c in customers for e in c.events if e.kind == "text"]
        return len([e for e in texts if after is None or e.at >= after]) / len(customers)

    assert talks(by["advocate"]) > 2 * talks(by["casual"])
    late = END - timedelta(days=14)
    assert talks(by["drifting"], late) < talks(by["advocate"], late) / 5  # they fade away
    assert all(c.events[0].at >= END - timedelta(days=13) for c in by["new"])
    assert any(c.referrer is not None for c in people)
    english = [c for c in people if c.lang == "en"]
    assert 0.15 < len(english) / len(people) < 0.35


SENT_PROMPTS: set[tuple[int, int]] = set()  # (chat, message id) of the stand-in's requests


async def outreach_stand_in(world: World, now: datetime) -> bool:
    """Stands in for the outreach dispatcher (not in this build): at 11:00 UTC on the second
    day, a rating request and a greeting to every customer so far, through the real bot."""
    if (now.day, now.hour) != ((END - timedelta(days=2)).day, 11):
        return False
    with Session(world.engine) as session:
        chats = [c.chat_id for c in session.exec(select(Customer))]
    for chat in chats:
        sent = await world.app.bot.send_message(
            chat, "Gimana pesanannya kak?", reply_markup=rating_keyboard("csat")
        )
        SENT_PROMPTS.add((chat, sent.message_id))
        await world.app.bot.send_message(chat, "Selamat pagi kak, ada promo hari ini 🎉")
    return True


def test_customers_answer_what_the_scheduled_outreach_sends(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_hooks, "run_outreach", outreach_stand_in)
    SENT_PROMPTS.clear()
    result = demo(settings, tmp_path, customers=30, days=3)
    assert result.stats.outreach_hours == 1
    with session_for(result.database) as session:
        chat_of = {c.id: c.chat_id for c in session.exec(select(Customer))}
        answered = [
            f
            for f in session.exec(select(Feedback).where(Feedback.kind == "csat"))
            if (chat_of[f.customer_id], f.prompt_message_id) in SENT_PROMPTS
        ]
    assert len(SENT_PROMPTS) >= 10
    assert 0 < len(answered) < len(SENT_PROMPTS)  # by persona, not everyone answers
    assert result.stats.answers > 0  # some answered the greeting with a message


def test_the_owner_answers_relayed_messages_with_a_telegram_reply(
    tmp_path: Path, settings: Settings
) -> None:
    result = demo(settings, tmp_path, customers=5, days=3, seed=2)
    with session_for(result.database) as session:
        owner_updates = [  # messages (the campaign's button presses are callback queries)
            update["message"]
            for row in session.exec(select(InboxUpdate).where(InboxUpdate.chat_id == 99))
            if "message" in (update := json.loads(row.payload))
        ]
        relayed = {r.owner_message_id for r in session.exec(select(OwnerRelay))}
        answers = list(
            session.exec(select(Message).where(Message.sent_by == 99, Message.direction == "out"))
        )
    replies = [m for m in owner_updates if "reply_to_message" in m]
    assert len(replies) == result.stats.owner_replies >= 1
    assert {m["reply_to_message"]["message_id"] for m in replies} <= relayed
    assert 1 <= len(answers) <= len(replies)  # each reached its customer, recorded once
    assert all(m["from"]["id"] == 99 for m in replies)
