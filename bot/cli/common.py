"""What every `akrab` command shares: settings and logging, the database, and one-line errors."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, Concatenate, NoReturn, ParamSpec, TypeVar

import click
from sqlalchemy import Engine

from bot import logs
from bot.config import Settings, SettingsError, load_settings
from storage.db import DatabaseError, open_database

EXIT_CONFIG = 2  # a problem the user can fix (a setting, a missing file, an unknown customer)
EXIT_INTERRUPTED = 130  # Ctrl+C

P = ParamSpec("P")
R = TypeVar("R")


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


class UserError(click.ClickException):
    """A CliError or SettingsError on its way out: `akrab: <message>` on stderr, exit code 2."""

    exit_code = EXIT_CONFIG

    def show(self, file: Any = None) -> None:
        click.echo(f"akrab: {self.message}", err=True)


class AkrabGroup(click.Group):
    """The `akrab` group: turns the errors a user can fix into one line, and Ctrl+C into 130."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in the order they were added, not alphabetical

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (SettingsError, CliError) as exc:
            raise UserError(str(exc)) from exc
        except KeyboardInterrupt:
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL (with the token); PTB logs whole updates at DEBUG.
    logs.quiet_libraries()
    token = settings.telegram_bot_token
    logs.redact(token.get_secret_value() if token else None)


def pass_settings(command: Callable[Concatenate[Settings, P], R]) -> Callable[P, R]:
    """Load the settings (environment and .env) and logging after the arguments are parsed."""

    @functools.wraps(command)
    def with_settings(*args: P.args, **kwargs: P.kwargs) -> R:
        settings = load_settings()
        configure_logging(settings)
        return command(settings, *args, **kwargs)

    return with_settings


def open_engine(settings: Settings) -> Engine:
    try:
        return open_database(settings.database_url)
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc


def exit_with(code: int) -> NoReturn:
    """End the command with this exit code (a plain `return` is 0)."""
    click.get_current_context().exit(code)
