"""The planner job: registered only in the leader, and planning at the bot's clock."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlmodel import Session

from bot.adapter.offline import OfflineTelegram
from bot.app import build_application
from bot.config import Settings
from bot.context import AkrabContext
from bot.jobs.planning import plan_job
from storage.db import session_scope
from storage.models import Customer, Outreach

NOW = datetime(2027, 8, 17, 1, 0, tzinfo=UTC)  # Independence Day, 08:00 in Jakarta


def test_only_the_leader_plans(settings: Settings, sqlite_engine: Engine) -> None:
    for leader, expected in ((True, 1), (False, 0)):
        app = build_application(
            settings, engine=sqlite_engine, request=OfflineTelegram(), leader=leader
        )
        assert app.job_queue is not None
        assert len(app.job_queue.get_jobs_by_name("outreach-plan")) == expected


async def test_plan_job_plans_at_the_bot_clock(settings: Settings, sqlite_engine: Engine) -> None:
    with session_scope(sqlite_engine) as session:
        session.add(
            Customer(
                telegram_id=5,
                chat_id=5,
                first_name="Ani",
                first_seen=NOW,
                last_seen=NOW,
                referral_code="A",
            )
        )
    app = build_application(
        settings, engine=sqlite_engine, request=OfflineTelegram(), clock=lambda: NOW
    )
    summary = await plan_job(AkrabContext(app))
    assert summary["holiday"].planned == 1
    with Session(sqlite_engine) as session:
        [row] = session.execute(select(Outreach)).scalars()
    assert row.dedupe_key == f"holiday:independence_day:{row.customer_id}:2027-08-17"
    assert row.text.startswith("Selamat Hari Kemerdekaan, kak Ani!")
