"""Where `akrab demo` meets the parts of the owner console that other branches provide.

Each function below is one hook point, called by the driver (bot/cli/demo_sim.py) or the command
(bot/cli/demo.py). Those whose piece is not in this build say so by returning False or None,
and the demo prints that honestly instead of pretending. Wiring a piece in means replacing one
function body here; nothing else in the demo changes.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.adapter import db
from bot.adapter.offline import buttons
from bot.jobs import outreach as outreach_jobs
from bot.services import purchase_import
from bot.services import report as report_service
from bot.services.chart import render_png
from bot.services.export import rows, write_csv
from bot.services.planning import plan
from bot.services.report_text import render_report
from bot.services.report_types import Report
from storage.db import session_scope
from storage.models import Customer, Feedback, Message, Outreach, OwnerRelay, Purchase

if TYPE_CHECKING:
    from bot.cli.demo_world import World


PLAN_EVERY_HOURS = 3


async def run_outreach(world: World, now: datetime) -> bool:
    """Outreach at the end of every simulated hour, as the leader's jobs do over time: the
    planners at `now` (bot/services/planning.py), then the dispatcher, unpaced on the simulated
    clock (bot/jobs/outreach.py `send_due_now`: opt-out, quiet hours, caps and expiry hold), then
    response tracking. The driver then lets customers press the buttons and answer."""
    settings = world.settings

    def work() -> None:
        with session_scope(world.engine) as session:
            plan(session, settings, now)

    # The planners every PLAN_EVERY_HOURS simulated hours (the bot: every minute; nothing they
    # plan is due sooner than that matters here), the dispatcher every hour.
    if now.hour % PLAN_EVERY_HOURS == 0:
        await db.run(world.engine, work)
    await outreach_jobs.send_due_now(world.app)
    return True


def is_relayed_message(world: World, message: dict) -> bool:
    """HOOK (owner relay): is this bot message in the owner's chat a relayed customer message
    the owner may answer with a Telegram reply? The driver makes the owner reply to some of them
    (`reply_to_message`), which the relay must deliver to the customer. Ready as is: a message
    the relay recorded in `owner_relay`."""
    with Session(world.engine) as session:
        found = session.exec(
            select(OwnerRelay.id).where(
                OwnerRelay.owner_chat_id == world.owner["id"],
                OwnerRelay.owner_message_id == message["message_id"],
            )
        ).first()
    return found is not None


CAMPAIGN_SEGMENT = "potential"
CAMPAIGN_TEXTS = (
    "Halo kak {name}! Minggu ini ada diskon 10% buat kakak di {shop} 🎉 Balas pesan ini kalau "
    "mau dibantu pilih ya.\n---\nHi {name}! This week there's 10% off for you at {shop} 🎉 "
    "Reply here if you'd like a hand choosing.",
    "Kak {name}, ada koleksi baru di {shop} nih 😍 Mau kami kirimin fotonya? Balas aja ya.\n"
    "---\n{name}, there's a new collection at {shop} 😍 Want us to send you photos? Just reply.",
)


async def start_campaign(world: World, now: datetime) -> str | None:
    """An A/B campaign as the owner starts one, through the real /broadcast flow: the segment
    button, variant A, "add variant B", variant B, confirm. The dispatcher sends it in the
    following hours (run_outreach); customers' answers make its engagement rates."""
    owner = world.owner["id"]

    def button(action: str, suffix: str = "") -> tuple[dict, str] | None:
        for message in reversed(world.telegram.bot_messages(owner)):
            for _, data in buttons(message):
                if data.startswith(f"v1:{action}:") and data.endswith(suffix):
                    return message, data
        return None

    await world.as_owner("/broadcast")
    found = button("bcseg", f".{CAMPAIGN_SEGMENT}")
    if found is None:
        return None
    await world.owner_press(*found)
    await world.as_owner(CAMPAIGN_TEXTS[0])
    found = button("bcb", ".yes")
    if found is None:
        return None
    await world.owner_press(*found)
    await world.as_owner(CAMPAIGN_TEXTS[1])
    found = button("bcgo")
    if found is None:
        return None
    await world.owner_press(*found)
    with Session(world.engine) as session:
        count = session.exec(
            select(func.count(col(Outreach.id))).where(Outreach.kind == "campaign")
        ).one()
    if not count:
        return None
    return f"an A/B campaign to the {CAMPAIGN_SEGMENT} segment: {count} messages planned"


async def record_purchases(
    world: World, rows: list[tuple[int, dict[str, str]]], now: datetime
) -> tuple[int, int]:
    """HOOK (purchases), called at the end of every simulated day with that day's purchases as
    CSV-style rows (`customer` = Telegram id, `amount` like 150.000, `time`). Today through the
    CSV import service (`akrab import-purchases`); with the owner commands it may go through
    `/catat <id> <amount>` as the owner instead. Returns (added, refused)."""
    report = await db.run(
        world.engine,
        purchase_import.import_purchases,
        world.engine,
        rows,
        zone=world.settings.tz,
        now=now,
    )
    return report.imported, len(report.errors)


async def build_report(world: World, now: datetime) -> str | None:
    """HOOK (report): the owner's /report text for the last 30 days at `now`
    (`bot.services.report.build_report(...)`, rendered as `akrab report` prints it)."""
    report = await _report(world, now)
    settings = world.settings
    return render_report(
        report, lang=settings.default_language, shop=settings.shop_name, timezone=settings.tz
    )


async def write_chart(world: World, now: datetime, path: Path) -> Path | None:
    """HOOK (chart): write the report's chart PNG to `path` (`bot.services.chart`) and return
    it."""
    report = await _report(world, now)
    settings = world.settings

    def draw() -> None:
        path.write_bytes(render_png(report, lang=settings.default_language, timezone=settings.tz))

    await asyncio.to_thread(draw)
    return path


async def write_export(world: World, now: datetime, path: Path) -> Path | None:
    """HOOK (export): write the customers CSV (`akrab export customers`) to `path` and return
    it."""

    def work() -> None:
        with (
            path.open("w", encoding="utf-8", newline="") as out,
            session_scope(world.engine) as session,
        ):
            write_csv(out, rows(session, world.settings.tz))

    await db.run(world.engine, work)
    return path


async def _report(world: World, now: datetime) -> Report:
    def work() -> Report:
        with session_scope(world.engine) as session:
            return report_service.build_report(session, world.settings, period="30d", now=now)

    return await db.run(world.engine, work)


def summary(world: World) -> str:
    """A short summary straight from the database, shown while the report is not available."""
    with Session(world.engine) as session:
        customers = session.exec(select(func.count()).select_from(Customer)).one()
        by_direction = dict(
            session.exec(select(Message.direction, func.count()).group_by(Message.direction)).all()
        )
        segments = dict(
            session.exec(select(Customer.segment, func.count()).group_by(Customer.segment)).all()
        )
        declining = session.exec(select(func.count()).where(col(Customer.declining))).one()
        average = session.exec(select(func.avg(Customer.ces))).one()
        ratings = {
            kind: session.exec(
                select(func.count(), func.avg(Feedback.score)).where(Feedback.kind == kind)
            ).one()
            for kind in ("csat", "nps")
        }
        spend = session.exec(select(func.count(), func.sum(Purchase.amount_cents))).one()
    order = ("advocate", "potential", "at_risk", "new")
    shown = ", ".join(f"{name} {segments.get(name, 0)}" for name in order)
    lines = [
        f"customers: {customers}",
        f"messages: {by_direction.get('in', 0)} from customers, {by_direction.get('out', 0)} sent",
        f"segments: {shown}; declining {declining}",
        f"average CES: {average:.1f}" if average is not None else "average CES: -",
    ]
    for kind, (count, mean) in ratings.items():
        lines.append(f"{kind}: {count} answers, average {mean:.1f}" if count else f"{kind}: none")
    lines.append(f"purchases: {spend[0]}, Rp {int((spend[1] or 0) // 100):,}".replace(",", "."))
    return "\n".join(lines)
