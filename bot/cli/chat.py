"""`akrab shell`: chat with the bot in the terminal, offline (the runner is bot/cli/shell.py)."""

from __future__ import annotations

import asyncio

import click

from bot.cli.common import exit_with, open_engine, pass_settings
from bot.config import Settings


@click.command(
    short_help="chat with the bot in this terminal, offline (no token or network needed)"
)
@click.option(
    "--user-id", type=int, default=1001, metavar="N", help="be this customer (default 1001)"
)
@click.option("--as-owner", is_flag=True, help="be the first of OWNER_IDS")
@click.option(
    "--language",
    type=click.Choice(["id", "en"]),
    default="id",
    help="the Telegram app language to pretend (default id)",
)
@pass_settings
def shell(settings: Settings, user_id: int, as_owner: bool, language: str) -> None:
    """Chat with the bot in the terminal, offline: no token or network needed.

    Lines you type are sent as messages from one customer through the same Application and
    handlers as `akrab run`; `:N` presses button N, `!help` lists the shell's commands.
    """
    from bot.cli.shell import run_shell

    engine = open_engine(settings)
    owner_id = next(iter(sorted(settings.owner_ids)), 1) if as_owner else None
    chosen = owner_id if owner_id is not None else user_id
    code = asyncio.run(run_shell(settings, engine, user_id=chosen, language=language))
    if code:
        exit_with(code)
