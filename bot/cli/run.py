"""`akrab run`: the bot itself, against the real Bot API."""

from __future__ import annotations

import click

from bot.cli.common import CliError, open_engine, pass_settings
from bot.config import Settings


@click.command(short_help="run the bot (long polling; needs TELEGRAM_BOT_TOKEN)")
@click.option(
    "--webhook",
    is_flag=True,
    help="receive updates through a webhook instead of long polling (see the README)",
)
@pass_settings
def run(settings: Settings, webhook: bool) -> None:
    """Run the bot with long polling, or behind a webhook with --webhook.

    Needs TELEGRAM_BOT_TOKEN (from @BotFather); stop it with Ctrl+C.
    """
    from bot.runner import StartupError, run_bot

    if settings.telegram_bot_token is None:
        raise CliError(
            "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env "
            "(or try `akrab shell`, which needs none)"
        )
    engine = open_engine(settings)
    try:
        run_bot(settings, engine, webhook=webhook)
    except StartupError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()
