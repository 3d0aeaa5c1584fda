"""`akrab rescore` and `akrab import-purchases`: maintenance on the stored data."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from bot.cli.common import CliError, exit_with, open_engine, pass_settings
from bot.config import Settings


@click.command(short_help="re-score stored messages scored by an older sentiment analyzer")
@click.option(
    "--batch-size",
    type=int,
    default=1000,
    metavar="N",
    help="messages per batch, each committed on its own (default 1000)",
)
@click.option("--quiet", is_flag=True, help="no progress bar")
@pass_settings
def rescore(settings: Settings, batch_size: int, quiet: bool) -> None:
    """Re-score messages scored by an older sentiment analyzer.

    Works in batches with a progress bar; an interrupted run loses at most one batch, and the
    next run carries on.
    """
    from bot.services.rescore import rescore as rescore_messages

    if batch_size < 1:
        raise CliError("--batch-size must be at least 1")
    engine = open_engine(settings)
    done = rescore_messages(engine, batch_size=batch_size, progress=not quiet)
    click.echo(f"re-scored {done} message(s)")
    engine.dispose()


@click.command(
    "import-purchases",
    short_help="import purchases from CSV (customer,amount,currency,time[,external_id])",
)
@click.argument("file", metavar="FILE")
@pass_settings
def import_purchases(settings: Settings, file: str) -> None:
    """Import purchases from FILE, a CSV file with a header row.

    Columns: customer (Telegram id or @username), amount, currency (empty: IDR), time, and
    optionally external_id. Bad rows are reported as FILE:LINE: reason and good rows imported,
    each only once; the exit code is 1 when a row was bad.
    """
    from bot.services.purchase_import import RowError, read_rows
    from bot.services.purchase_import import import_purchases as import_rows

    path = Path(file)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    engine = open_engine(settings)
    try:
        report = import_rows(engine, read_rows(path), zone=settings.tz, now=datetime.now(UTC))
    except RowError as exc:
        raise CliError(f"{path}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: not a UTF-8 text file ({exc.reason})") from exc
    finally:
        engine.dispose()
    for line, reason in report.errors:
        click.echo(f"{path}:{line}: {reason}", err=True)
    click.echo(
        f"imported {report.imported} purchase(s); {report.duplicates} already imported; "
        f"{len(report.errors)} bad row(s)"
    )
    if report.errors:
        exit_with(1)
