"""`akrab outreach plan`: what the planners create (or, with --dry-run, would create) at a time.

The command is attached to the `outreach` group (bot/cli/__init__.py) with the dispatcher's
commands.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

import click

from bot.cli.common import CliError, open_engine, pass_settings
from bot.config import Settings
from bot.context import utc_now
from bot.services.planning import Summary, plan
from storage.db import session_scope


def parse_at(text: str | None, tz: tzinfo) -> datetime:
    """--at: an ISO local date-time ("2027-03-10T08:30") or date (its 00:00) in TIMEZONE."""
    if text is None:
        return utc_now()
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text.strip()), time(0))
        except ValueError:
            raise CliError(
                f"--at: expected a local date or date-time such as 2027-03-10 or "
                f"2027-03-10T08:30, got {text!r}"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def show(summary: Summary, settings: Settings, at: datetime, dry_run: bool) -> None:
    verb = "would plan" if dry_run else "planned"
    tz = settings.tz
    click.echo(f"at {at.astimezone(tz):%Y-%m-%d %H:%M %Z} ({settings.timezone}):")
    for kind, result in summary.items():
        click.echo(f"  {kind:<19} {verb} {result.planned}")
    for kind, result in summary.items():
        for row in result.examples:
            due = row["due_at"].astimezone(tz)
            text = " ".join(str(row["text"]).split())
            click.echo(
                f"  e.g. {kind} to customer {row['customer_id']} ({row['language']}), due "
                f"{due:%Y-%m-%d %H:%M}: {text[:100]}"
            )


@click.command("plan", short_help="run the planners now or at --at (--dry-run: only show)")
@click.option("--at", "at_text", metavar="TIME", help="local date or date-time (default now)")
@click.option("--dry-run", is_flag=True, help="show what would be planned; write nothing")
@pass_settings
def plan_command(settings: Settings, at_text: str | None, dry_run: bool) -> None:
    """Run every outreach planner at TIME (default now) and print what each planned.

    TIME is a local date or date-time in TIMEZONE (2027-03-10, 2027-03-10T08:30). With
    --dry-run nothing is written: the counts are what would be planned. Planning twice at
    the same time plans nothing new.
    """
    at = parse_at(at_text, settings.tz)
    engine = open_engine(settings)
    try:
        with session_scope(engine) as session:
            summary = plan(session, settings, at, dry_run=dry_run)
            if dry_run:
                session.rollback()
    finally:
        engine.dispose()
    show(summary, settings, at, dry_run)
