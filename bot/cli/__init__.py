"""The `akrab` command line: run the bot, chat with it offline, and the maintenance commands.

One module per command family: `run` (bot/cli/run.py), `shell` (bot/cli/chat.py),
`rescore` and `import-purchases` (bot/cli/maintenance.py), `score` and `customer`
(bot/cli/ces.py), `report` and `export customers` (bot/cli/report.py). Errors the user can
fix print one line, `akrab: ...`, and exit with 2.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from bot.cli import ces, chat, maintenance, run
from bot.cli import demo as demo_command
from bot.cli import outreach as outreach_cli
from bot.cli import report as report_cli
from bot.cli.common import EXIT_CONFIG, AkrabGroup, CliError

__all__ = ["EXIT_CONFIG", "CliError", "cli", "main"]


@click.group(
    "akrab",
    cls=AkrabGroup,
    invoke_without_command=True,
    epilog="Configuration comes from the environment and .env (see .env.example).",
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Akrab: a Telegram engagement assistant for small businesses."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


for command in (
    run.run,
    chat.shell,
    maintenance.rescore,
    maintenance.import_purchases,
    ces.score,
    ces.customer,
    demo_command.demo,
    report_cli.report,
    report_cli.export,
    outreach_cli.outreach,
):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> int:
    """The `akrab` console script: run one command and return its exit code."""
    try:
        code = cli.main(
            args=list(argv) if argv is not None else None, prog_name="akrab", standalone_mode=False
        )
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted!", err=True)
        return 1
    return code if isinstance(code, int) else 0
