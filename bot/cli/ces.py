"""`akrab score` and `akrab customer`: the customer engagement score (CES) from the terminal."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from bot.cli.common import CliError, open_engine, pass_settings
from bot.config import Settings


@click.command(short_help="recompute every customer's CES and keep a snapshot")
@click.option("--quiet", is_flag=True, help="no progress bar")
@pass_settings
def score(settings: Settings, quiet: bool) -> None:
    """Recompute every customer's CES and store a snapshot.

    Prints the segment counts, the declining count and who moved between segments.
    """
    from bot.services.ces_runs import score_all

    engine = open_engine(settings)
    summary = score_all(
        engine,
        settings.ces_config,
        now=datetime.now(UTC),
        timezone=settings.timezone,
        retention_days=settings.score_retention_days,
        progress=not quiet,
    )
    engine.dispose()
    click.echo(f"scored {summary.customers} customer(s)")
    for segment in ("advocate", "potential", "at_risk", "new"):
        click.echo(f"  {segment:<10} {summary.segments.get(segment, 0)}")
    click.echo(f"  declining  {summary.declining}")
    for (before, after), count in sorted(summary.moves.items()):
        click.echo(f"  moved {before} -> {after}: {count}")
    if summary.pruned:
        days = settings.score_retention_days
        click.echo(f"  pruned {summary.pruned} snapshot(s) older than {days} days")


@click.command(
    short_help="one customer's CES, components, trend and what drives it",
    context_settings={"ignore_unknown_options": True},  # WHO may be a negative id like -100
)
@click.argument("who", metavar="WHO")
@click.option(
    "--lang", type=click.Choice(["id", "en"]), default=None, help="default: DEFAULT_LANGUAGE"
)
@pass_settings
def customer(settings: Settings, who: str, lang: str | None) -> None:
    """Show one customer's CES, components, trend and what drives the score.

    WHO is a Telegram id or an @username.
    """
    from sqlmodel import Session

    from bot.services.ces_runs import refresh_customer
    from bot.services.customer_report import render
    from storage import customers, scores

    engine = open_engine(settings)
    who = who.strip()
    with Session(engine) as session:
        if who.lstrip("-").isdigit():
            found = customers.get_customer(session=session, telegram_id=int(who))
        else:
            found = customers.get_customer_by_username(session=session, username=who)
    if found is None or found.id is None:
        engine.dispose()
        raise CliError(f"no customer {who!r} (give a Telegram id or an @username)")
    outcome = refresh_customer(
        engine, settings.ces_config, found.id, now=datetime.now(UTC), timezone=settings.timezone
    )
    with Session(engine) as session:
        series = scores.ces_series(session=session, customer_id=found.id)
    engine.dispose()
    assert outcome is not None
    raw, result, declining = outcome
    name = " ".join(filter(None, [found.first_name, found.last_name])) or "?"
    handle = f" (@{found.username})" if found.username else ""
    report = render(
        name=f"{name}{handle}, Telegram {found.telegram_id}",
        raw=raw,
        result=result,
        declining=declining,
        series=series,
        lang=lang or settings.default_language,
    )
    click.echo(report)
