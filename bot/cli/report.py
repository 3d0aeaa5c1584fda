"""`akrab report` and `akrab export customers`: the owner's report and CSV from the terminal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from bot.cli.common import CliError, open_engine, pass_settings
from bot.config import Settings


@click.command(short_help="the owner's report for a period, optionally with its chart")
@click.option(
    "--period",
    type=click.Choice(["7d", "30d", "90d"], case_sensitive=False),
    default="7d",
    show_default=True,
    help="the period the figures cover, ending now",
)
@click.option(
    "--chart",
    "chart_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="also write the chart to this PNG file",
)
@click.option(
    "--lang", type=click.Choice(["id", "en"]), default=None, help="default: DEFAULT_LANGUAGE"
)
@pass_settings
def report(settings: Settings, period: str, chart_file: Path | None, lang: str | None) -> None:
    """Print the owner's report: customers, activity, CES and segments, sentiment, CSAT, NPS,
    engagement rates and whom to contact today (the same as /report in Telegram)."""
    from bot.services.chart import render_png
    from bot.services.report import build_report
    from bot.services.report_text import render_report
    from storage.db import session_scope

    lang = lang or settings.default_language
    engine = open_engine(settings)
    try:
        with session_scope(engine) as session:
            found = build_report(session, settings, period=period.lower(), now=datetime.now(UTC))
    finally:
        engine.dispose()
    click.echo(render_report(found, lang=lang, shop=settings.shop_name, timezone=settings.tz))
    if chart_file is not None:
        try:
            chart_file.write_bytes(render_png(found, lang=lang, timezone=settings.tz))
        except OSError as exc:
            raise CliError(f"cannot write {chart_file}: {exc.strerror or exc}") from exc
        click.echo(f"chart: {chart_file}")


@click.group(short_help="export data as files (customers as CSV)")
def export() -> None:
    """Export data as files."""


@export.command("customers", short_help="every customer with CES, components and spend as CSV")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_settings
def export_customers(settings: Settings, file: Path) -> None:
    """Write every customer (not erased) with CES, components, segment, last seen and spend
    to FILE as CSV (UTF-8 with BOM, so Excel reads names right; see README)."""
    from bot.services.export import rows, write_csv
    from storage.db import session_scope

    engine = open_engine(settings)
    try:
        with file.open("w", encoding="utf-8", newline="") as out, session_scope(engine) as session:
            count = write_csv(out, rows(session, settings.tz))
    except OSError as exc:
        raise CliError(f"cannot write {file}: {exc.strerror or exc}") from exc
    finally:
        engine.dispose()
    click.echo(f"exported {count} customer(s) to {file}")
