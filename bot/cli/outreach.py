"""`akrab outreach plan|list|stats|retry|cancel`: the outbox of automated messages, for the owner.

(`akrab outreach plan` lives in bot/cli/outreach_plan.py and joins this group here.)
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
from sqlalchemy import Engine

from bot.cli.common import CliError, open_engine, pass_settings
from bot.cli.outreach_plan import plan_command
from bot.config import Settings
from scoring.outreach_rules import KINDS, RETRYABLE, STATUSES


@click.group(short_help="the outbox of automated messages: plan, list, stats, retry, cancel")
def outreach() -> None:
    """The outbox of automated messages (rating requests, follow-ups, greetings, win-backs)."""


outreach.add_command(plan_command)


def _customer_id(engine: Engine, who: str) -> int:
    from sqlmodel import Session

    from storage import customers

    who = who.strip()
    with Session(engine) as session:
        if who.lstrip("-").isdigit():
            found = customers.get_customer(session=session, telegram_id=int(who))
        else:
            found = customers.get_customer_by_username(session=session, username=who)
    if found is None or found.id is None:
        raise CliError(f"no customer {who!r} (give a Telegram id or an @username)")
    return int(found.id)


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment else "-"


@outreach.command("list", short_help="rows of the outbox, newest due first")
@click.option("--status", type=click.Choice(STATUSES), default=None)
@click.option("--kind", type=click.Choice(KINDS), default=None)
@click.option("--customer", "who", default=None, help="a Telegram id or an @username")
@click.option("--limit", type=click.IntRange(1, 100_000), default=200, show_default=True)
@pass_settings
def list_command(
    settings: Settings, status: str | None, kind: str | None, who: str | None, limit: int
) -> None:
    """Rows of the outbox (times in UTC), newest due first."""
    from bot.services import outreach_admin

    engine = open_engine(settings)
    try:
        customer_id = _customer_id(engine, who) if who is not None else None
        rows = outreach_admin.list_rows(
            engine, status=status, kind=kind, customer_id=customer_id, limit=limit
        )
    finally:
        engine.dispose()
    click.echo(
        f"{'id':>7}  {'kind':<18} {'customer':>8}  {'status':<11} {'due (UTC)':<16}  "
        f"{'sent (UTC)':<16}  tries  reason / error"
    )
    for r in rows:
        note = r.reason or ""
        if r.last_error:
            note = f"{note} ({r.last_error})" if note else r.last_error
        if r.responded_at:
            note = f"{note} answered {_when(r.responded_at)}".strip()
        click.echo(
            f"{r.id:>7}  {r.kind:<18} {r.customer_id:>8}  {r.status:<11} {_when(r.due_at):<16}  "
            f"{_when(r.sent_at):<16}  {r.attempts:>5}  {note}"
        )
    click.echo(f"{len(rows)} row(s)")


@outreach.command("stats", short_help="per kind: planned, sent, skipped, failed, answered")
@click.option("--days", type=click.IntRange(1, 3650), default=30, show_default=True)
@pass_settings
def stats_command(settings: Settings, days: int) -> None:
    """Per kind (and campaign variant), rows due or sent in the last N days: planned, sent,
    skipped by reason, failed, unconfirmed, responded, and the engagement rate (responded ÷
    sent × 100%, an answer within RESPONSE_WINDOW)."""
    from bot.services import outreach_admin

    engine = open_engine(settings)
    try:
        kinds, variants = outreach_admin.stats(
            engine, now=datetime.now(UTC), days=days, window=settings.response_window
        )
    finally:
        engine.dispose()
    click.echo(f"last {days} day(s)")
    header = (
        f"{'kind':<20} {'planned':>7} {'sent':>6} {'failed':>6} {'unconf.':>7} "
        f"{'expired':>7} {'answered':>8} {'engaged':>8}  skipped"
    )
    click.echo(header)
    for name, s in [*kinds.items(), *variants.items()]:
        rate = "-" if s.engagement is None else f"{s.engagement:.1f}%"
        skipped = ", ".join(f"{reason} {n}" for reason, n in sorted(s.skipped.items())) or "-"
        click.echo(
            f"{name:<20} {s.planned:>7} {s.sent:>6} {s.failed:>6} {s.unconfirmed:>7} "
            f"{s.expired:>7} {s.responded:>8} {rate:>8}  {skipped}"
        )
    if not kinds:
        click.echo("(nothing in this period)")


@outreach.command("retry", short_help="send a failed or unconfirmed row again")
@click.argument("row_id", type=int, metavar="ID")
@pass_settings
def retry_command(settings: Settings, row_id: int) -> None:
    """Put row ID (failed or unconfirmed) back to planned, due now.

    An unconfirmed row may have reached the customer already: retry it only if you know it
    did not. Skipped and expired rows stay as they are (their reason still holds)."""
    from bot.services import outreach_admin

    engine = open_engine(settings)
    try:
        before = outreach_admin.retry(engine, row_id, now=datetime.now(UTC))
    finally:
        engine.dispose()
    if before is None:
        raise CliError(f"no outreach row {row_id}")
    if before not in RETRYABLE:
        raise CliError(f"row {row_id} is {before}: only failed or unconfirmed rows are retried")
    click.echo(f"row {row_id} ({before}) is planned again, due now")


@outreach.command("cancel", short_help="cancel a planned row, or every planned row of a kind")
@click.argument("row_id", type=int, metavar="ID", required=False)
@click.option("--kind", type=click.Choice(KINDS), default=None)
@pass_settings
def cancel_command(settings: Settings, row_id: int | None, kind: str | None) -> None:
    """Cancel planned row ID, or with --kind K every planned row of that kind."""
    from bot.services import outreach_admin

    if (row_id is None) == (kind is None):
        raise CliError("give a row ID or --kind K (not both)")
    engine = open_engine(settings)
    try:
        done = outreach_admin.cancel(engine, row_id=row_id, kind=kind)
        status = (
            outreach_admin.status_of(engine, row_id) if row_id is not None and not done else None
        )
    finally:
        engine.dispose()
    if row_id is not None and not done:
        if status is None:
            raise CliError(f"no outreach row {row_id}")
        raise CliError(f"row {row_id} is {status}: only planned rows can be cancelled")
    click.echo(f"cancelled {done} planned row(s)")
