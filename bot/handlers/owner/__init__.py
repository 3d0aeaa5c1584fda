"""The owner console: commands and buttons only people in OWNER_IDS may use.

`OWNER_CALLBACKS` maps each owner command of the command table (audience "owner") to the function
that answers it; `bot.handlers.register` adds them behind the owner gate, so to anyone else an
owner command is an unknown command.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.context import AkrabContext
from bot.handlers.owner import campaign, card, lists, purchase, report, settings_view
from bot.handlers.owner import help as owner_help

Callback = Callable[[Update, AkrabContext], Coroutine[Any, Any, None]]

OWNER_CALLBACKS: dict[str, Callback] = {}

# The console's customer commands (bot/handlers/owner/{card,lists,purchase,settings_view}.py).
OWNER_CALLBACKS.update(
    {
        "customer": card.customer_command,
        "atrisk": lists.atrisk_command,
        "top": lists.top_command,
        "catat": purchase.catat_command,
        "settings": settings_view.settings_command,
    }
)

# Campaigns (bot/handlers/owner/campaign.py).
OWNER_CALLBACKS.update({"broadcast": campaign.broadcast, "campaign": campaign.campaign_command})

# The report and the customers CSV (bot/handlers/owner/report.py).
OWNER_CALLBACKS.update({"report": report.report_command, "export": report.export_command})

# The owner's own /start and /help (bot/handlers/owner/help.py).
OWNER_CALLBACKS.update({"start": owner_help.owner_start, "help": owner_help.owner_help})
