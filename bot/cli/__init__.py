"""The `akrab` command line: run the bot, chat with it offline, and the maintenance commands."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine

from bot.config import Settings, SettingsError, load_settings
from storage.db import DatabaseError, open_database

log = logging.getLogger(__name__)

EXIT_CONFIG = 2


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL (with the token); PTB logs whole updates at DEBUG.
    from bot import logs

    logs.quiet_libraries()
    token = settings.telegram_bot_token
    logs.redact(token.get_secret_value() if token else None)


def open_engine(settings: Settings) -> Engine:
    try:
        return open_database(settings.database_url)
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """Run the bot: long polling, or a webhook with --webhook."""
    from bot.runner import StartupError, run_bot

    if settings.telegram_bot_token is None:
        raise CliError(
            "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env "
            "(or try `akrab shell`, which needs none)"
        )
    engine = open_engine(settings)
    log.info("database %s", engine.url.render_as_string())
    try:
        run_bot(settings, engine, webhook=args.webhook)
    except StartupError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()
    return 0


def cmd_shell(settings: Settings, args: argparse.Namespace) -> int:
    """Chat with the bot in the terminal, offline."""
    from bot.cli.shell import run_shell

    engine = open_engine(settings)
    owner_id = next(iter(sorted(settings.owner_ids)), 1) if args.as_owner else None
    user_id = owner_id if owner_id is not None else args.user_id
    return asyncio.run(run_shell(settings, engine, user_id=user_id, language=args.language))


def cmd_rescore(settings: Settings, args: argparse.Namespace) -> int:
    """Re-score messages scored by an older sentiment analyzer."""
    from bot.services.rescore import rescore

    if args.batch_size < 1:
        raise CliError("--batch-size must be at least 1")
    engine = open_engine(settings)
    done = rescore(engine, batch_size=args.batch_size, progress=not args.quiet)
    print(f"re-scored {done} message(s)")  # noqa: T201  (the CLI's own output)
    engine.dispose()
    return 0


def cmd_import_purchases(settings: Settings, args: argparse.Namespace) -> int:
    """Import purchases from a CSV file; bad rows are reported, good rows imported once."""
    from datetime import UTC, datetime

    from bot.services.purchase_import import RowError, import_purchases, read_rows

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    engine = open_engine(settings)
    try:
        report = import_purchases(engine, read_rows(path), zone=settings.tz, now=datetime.now(UTC))
    except RowError as exc:
        raise CliError(f"{path}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: not a UTF-8 text file ({exc.reason})") from exc
    finally:
        engine.dispose()
    for line, reason in report.errors:
        print(f"{path}:{line}: {reason}", file=sys.stderr)  # noqa: T201
    print(  # noqa: T201
        f"imported {report.imported} purchase(s); {report.duplicates} already imported; "
        f"{len(report.errors)} bad row(s)"
    )
    return 1 if report.errors else 0


def cmd_score(settings: Settings, args: argparse.Namespace) -> int:
    """Recompute every customer's CES and store a snapshot."""
    from datetime import UTC, datetime

    from bot.services.ces_runs import score_all

    engine = open_engine(settings)
    summary = score_all(
        engine,
        settings.ces_config,
        now=datetime.now(UTC),
        timezone=settings.timezone,
        retention_days=settings.score_retention_days,
        progress=not args.quiet,
    )
    engine.dispose()
    print(f"scored {summary.customers} customer(s)")  # noqa: T201
    for segment in ("advocate", "potential", "at_risk", "new"):
        print(f"  {segment:<10} {summary.segments.get(segment, 0)}")  # noqa: T201
    print(f"  declining  {summary.declining}")  # noqa: T201
    for (before, after), count in sorted(summary.moves.items()):
        print(f"  moved {before} -> {after}: {count}")  # noqa: T201
    if summary.pruned:
        days = settings.score_retention_days
        print(f"  pruned {summary.pruned} snapshot(s) older than {days} days")  # noqa: T201
    return 0


def cmd_customer(settings: Settings, args: argparse.Namespace) -> int:
    """Show one customer's CES, components, trend and what drives the score."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    from bot.services.ces_runs import refresh_customer
    from bot.services.customer_report import render
    from storage import customers, scores

    engine = open_engine(settings)
    who = args.who.strip()
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
    lang = args.lang or settings.default_language
    report = render(
        name=f"{name}{handle}, Telegram {found.telegram_id}",
        raw=raw,
        result=result,
        declining=declining,
        series=series,
        lang=lang,
    )
    print(report)  # noqa: T201
    return 0


Handler = Callable[[Settings, argparse.Namespace], int]


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = argparse.ArgumentParser(
        prog="akrab",
        description="Akrab: a Telegram engagement assistant for small businesses.",
        epilog="Configuration comes from the environment and .env (see .env.example).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    handlers: dict[str, Handler] = {}

    run = sub.add_parser("run", help="run the bot (long polling; needs TELEGRAM_BOT_TOKEN)")
    run.add_argument(
        "--webhook", action="store_true", help="receive updates by webhook (WEBHOOK_* settings)"
    )
    handlers["run"] = cmd_run

    shell = sub.add_parser(
        "shell", help="chat with the bot in this terminal, offline (no token or network needed)"
    )
    shell.add_argument("--user-id", type=int, default=1001, help="be this customer (default 1001)")
    shell.add_argument("--as-owner", action="store_true", help="be the first of OWNER_IDS")
    shell.add_argument(
        "--language",
        choices=["id", "en"],
        default="id",
        help="the Telegram app language to pretend (default id)",
    )
    handlers["shell"] = cmd_shell

    rescore = sub.add_parser(
        "rescore", help="re-score stored messages scored by an older sentiment analyzer"
    )
    rescore.add_argument("--batch-size", type=int, default=1000)
    rescore.add_argument("--quiet", action="store_true", help="no progress bar")
    handlers["rescore"] = cmd_rescore

    imports = sub.add_parser(
        "import-purchases",
        help="import purchases from CSV (customer,amount,currency,time[,external_id])",
    )
    imports.add_argument("file", help="CSV file with a header row")
    handlers["import-purchases"] = cmd_import_purchases

    score = sub.add_parser("score", help="recompute every customer's CES and keep a snapshot")
    score.add_argument("--quiet", action="store_true", help="no progress bar")
    handlers["score"] = cmd_score

    customer = sub.add_parser(
        "customer", help="one customer's CES, components, trend and what drives it"
    )
    customer.add_argument("who", help="Telegram id or @username")
    customer.add_argument("--lang", choices=["id", "en"], help="default: DEFAULT_LANGUAGE")
    handlers["customer"] = cmd_customer
    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        settings = load_settings()
        configure_logging(settings)
        return handlers[args.command](settings, args)
    except (SettingsError, CliError) as exc:
        print(f"akrab: {exc}", file=sys.stderr)  # noqa: T201  (the CLI's own output)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
