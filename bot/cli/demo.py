"""`akrab demo`: a simulated shop on a fresh SQLite file, then the owner's report.

A few hundred simulated customers (bot/cli/demo_people.py) chat, buy, rate and invite friends
over weeks of simulated time, through the real Application and handlers (bot/cli/demo_sim.py);
then the report, the chart and the customers export are written (bot/cli/demo_hooks.py) and
the command to try the owner's commands on that database is printed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import Engine

from bot.adapter import db
from bot.cli import demo_hooks
from bot.cli.common import CliError, pass_settings
from bot.cli.demo_sim import simulate
from bot.cli.demo_world import DemoStats, World
from bot.config import Settings
from storage.db import DatabaseError, open_database

# Written to the SQLite header (PRAGMA application_id) of every demo database, so `akrab demo`
# overwrites its own earlier file but never a shop's real database.
DEMO_APPLICATION_ID = 0x414B4445  # "AKDE"
DEMO_OWNER_ID = 1000  # the owner's Telegram id when OWNER_IDS names none
# The default size: about 5,000 updates, under a minute on a small machine with the hooks.
DEFAULT_CUSTOMERS, DEFAULT_DAYS = 200, 60
REPORT_FILE, CHART_FILE, EXPORT_FILE = (
    "akrab-demo-report.txt",
    "akrab-demo-chart.png",
    "akrab-demo-customers.csv",
)


@dataclass
class DemoResult:
    database: Path
    owner_id: int
    stats: DemoStats
    seconds: float
    report: str
    report_is_summary: bool
    drifting: int | None = None  # the Telegram id of a customer who drifted away, to look at
    files: dict[str, Path | None] = field(default_factory=dict)  # None: not in this build


def is_demo_database(path: Path) -> bool:
    try:
        connection = sqlite3.connect(path)
        try:
            (value,) = connection.execute("PRAGMA application_id").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return bool(value == DEMO_APPLICATION_ID)


def fresh_database(path: Path) -> Engine:
    """A new, migrated demo database at `path`; an earlier demo file there is replaced, any
    other file is refused."""
    if path.is_dir():
        raise CliError(f"{path} is a directory; --db takes a file name")
    if path.exists():
        if not is_demo_database(path):
            raise CliError(f"{path} exists and is not an akrab demo database; choose another --db")
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    if not path.parent.is_dir():
        raise CliError(f"the folder {path.parent} does not exist")
    try:
        engine = open_database(f"sqlite:///{path}")
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc
    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA application_id={DEMO_APPLICATION_ID}")
    return engine


def demo_settings(settings: Settings, path: Path) -> tuple[Settings, int]:
    """The settings the demo runs with: its own database, one owner (the first of OWNER_IDS,
    as `akrab shell --as-owner` picks), owners' private chats (no forum group offline)."""
    owner = min(settings.owner_ids) if settings.owner_ids else DEMO_OWNER_ID
    update = {
        "database_url": f"sqlite:///{path}",
        "owner_ids": frozenset({owner}),
        "owner_chat_id": None,
    }
    return settings.model_copy(update=update), owner


async def finish(world: World, now: datetime, out: Path, result: DemoResult) -> None:
    """The report (or the summary standing in for it), the chart and the export."""
    report = await demo_hooks.build_report(world, now)
    result.report_is_summary = report is None
    result.report = report if report is not None else demo_hooks.summary(world)
    report_path = out / REPORT_FILE
    report_path.write_text(result.report + "\n", encoding="utf-8")
    result.files["report"] = report_path
    result.files["chart"] = await demo_hooks.write_chart(world, now, out / CHART_FILE)
    result.files["export"] = await demo_hooks.write_export(world, now, out / EXPORT_FILE)


def run_demo(
    settings: Settings,
    *,
    customers: int,
    days: int,
    database: Path,
    out: Path,
    seed: int,
    end: datetime | None = None,
    progress: bool = False,
) -> DemoResult:
    """The whole demo; `end` is the simulated last moment (default: now, to the hour)."""
    engine = fresh_database(database)
    out.mkdir(parents=True, exist_ok=True)
    settings, owner = demo_settings(settings, database)
    end = end or datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    result = DemoResult(database, owner, DemoStats(), 0.0, "", True)
    started = time.perf_counter()
    try:
        world = asyncio.run(
            simulate(
                settings,
                engine,
                customers=customers,
                days=days,
                seed=seed,
                end=end,
                owner_id=owner,
                progress=progress,
                on_world=lambda world: finish(world, end, out, result),
            )
        )
    finally:
        db.close(engine)  # the database thread of this engine
        engine.dispose()
    result.stats, result.seconds = world.stats, time.perf_counter() - started
    drifted = [c.telegram_id for c in world.customers if c.drifted_at is not None]
    result.drifting = drifted[0] if drifted else None
    return result


def shown(path: Path) -> str:
    return str(path) if path.is_absolute() else os.path.join(".", path)


def print_result(result: DemoResult) -> None:
    s = result.stats
    echo = click.echo
    echo(
        f"\nSimulated {s.customers} customers in {result.seconds:.1f} s: {s.updates} updates "
        f"through the bot ({s.presses} button presses, {s.answers} answers to the bot, "
        f"{s.owner_replies} owner replies), {s.purchases} purchases, {s.score_runs} daily "
        "scoring runs."
    )
    echo("Personas: " + ", ".join(f"{name} {n}" for name, n in sorted(s.personas.items())))
    missing = [
        name
        for name, there in (
            ("scheduled outreach", s.outreach_hours > 0),
            ("owner relay", s.owner_replies > 0),
            ("A/B campaign", s.campaign not in (None, "-")),
            ("/report", not result.report_is_summary),
        )
        if not there
    ]
    if missing:
        echo("Not in this build yet (skipped): " + ", ".join(missing) + ".")
    title = (
        "Summary (the owner's /report is not in this build)"
        if result.report_is_summary
        else "The owner's report"
    )
    echo(f"\n== {title} ==\n{result.report}\n")
    for label, path in result.files.items():
        echo(f"{label:>7}: {shown(path) if path else '(not in this build)'}")
    database = result.database.resolve()
    akrab = sys.argv[0] if Path(sys.argv[0]).name == "akrab" else "akrab"
    echo(f"\nThe database is {shown(result.database)}. Try the owner's commands on it:")
    url = f"DATABASE_URL=sqlite:///{database}"
    echo(f"  OWNER_IDS={result.owner_id} {url} {akrab} shell --as-owner")
    if result.drifting is not None:
        echo("One customer who drifted away, and why their score fell:")
        echo(f"  {url} {akrab} customer {result.drifting}")


@click.command(short_help="simulate a shop's customers through the real bot, then the report")
@click.option(
    "--customers",
    type=click.IntRange(1, 5000),
    default=DEFAULT_CUSTOMERS,
    help=f"how many (default {DEFAULT_CUSTOMERS})",
)
@click.option(
    "--days",
    type=click.IntRange(1, 365),
    default=DEFAULT_DAYS,
    help=f"simulated days (default {DEFAULT_DAYS})",
)
@click.option(
    "--db",
    "database",
    type=click.Path(path_type=Path),
    default=Path("akrab-demo.db"),
    help="the SQLite file to create (default akrab-demo.db; only a demo file is overwritten)",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="the folder for the report, chart and export (default: here)",
)
@click.option("--seed", type=int, default=1, help="the same seed gives the same shop (default 1)")
@pass_settings
def demo(
    settings: Settings, customers: int, days: int, database: Path, out: Path, seed: int
) -> None:
    """Simulate a shop on a fresh SQLite file and show the owner's report.

    Simulated Indonesian and English customers chat, buy, rate, complain, save birthdays and
    invite friends over weeks of simulated time, through the same Application and handlers as
    `akrab run` (offline, no token); every simulated night scores them. Then the owner's report,
    the chart and the customers export are written, with the command to try the owner's
    commands on that database in `akrab shell --as-owner`.
    """
    if settings.log_level != "DEBUG":
        logging.getLogger().setLevel(logging.WARNING)
    click.echo(f"akrab demo: {customers} customers over {days} days (seed {seed}) in {database}")
    result = run_demo(
        settings,
        customers=customers,
        days=days,
        database=database,
        out=out,
        seed=seed,
        progress=True,
    )
    print_result(result)
