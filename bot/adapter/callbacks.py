"""Callback data of inline buttons: one versioned format (`v1:<action>:<value>`), one parser.

Telegram hands back whatever string a client sends, so every press is parsed and validated
here before a handler trusts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "v1"
ID = re.compile(r"[1-9][0-9]{0,17}")  # a database id as a button value
# action -> the values a button of that action may carry: a fixed set, or a pattern the whole
# value must match. Owner actions (OWNER_ACTIONS) are refused to anyone not in OWNER_IDS.
ACTIONS: dict[str, frozenset[str] | re.Pattern[str]] = {
    "csat": frozenset(str(n) for n in range(1, 6)),
    "nps": frozenset(str(n) for n in range(0, 11)),
    "forget": frozenset({"yes", "no"}),
    # The complaint follow-up's "Sudah beres 👍" / "Belum 😕" (the pressed message names it).
    "resolved": frozenset({"yes", "no"}),
}
OWNER_ACTIONS: frozenset[str] = frozenset()
# The owner console (bot/handlers/owner): a customer's card, reply (the live inbox's handler),
# and the one-tap messages: rating request, win-back, thanks for an advocate.
ACTIONS.update(dict.fromkeys(("o_card", "o_reply", "o_rate", "o_winback", "o_thanks"), ID))
OWNER_ACTIONS = OWNER_ACTIONS | {"o_card", "o_reply", "o_rate", "o_winback", "o_thanks"}
# Campaigns (bot/handlers/owner/campaign.py): "<campaign id>.<segment>", "<campaign id>.yes|no"
# ("Tambah varian B" / "Tanpa B"), or a campaign id (send, drop the draft, show, cancel).
ACTIONS["bcseg"] = re.compile(r"[1-9][0-9]{0,17}\.(all|advocate|potential|at_risk|new|declining)")
ACTIONS["bcb"] = re.compile(r"[1-9][0-9]{0,17}\.(yes|no)")
ACTIONS.update(dict.fromkeys(("bcgo", "bcx", "camp", "campx"), ID))
OWNER_ACTIONS = OWNER_ACTIONS | {"bcseg", "bcb", "bcgo", "bcx", "camp", "campx"}
RATING_MAX = {"csat": 5, "nps": 10}


@dataclass(frozen=True, slots=True)
class Callback:
    action: str
    value: str

    def format(self) -> str:
        return f"{VERSION}:{self.action}:{self.value}"


class InvalidCallback(ValueError):
    """Callback data that is forged, malformed or from an older version of the bot."""


def parse(data: str | None) -> Callback:
    """Parse and validate callback data; raise InvalidCallback for anything we did not send."""
    if not data or len(data) > 64:  # Telegram caps callback data at 64 bytes
        raise InvalidCallback("empty or oversized callback data")
    parts = data.split(":")
    if len(parts) != 3:
        raise InvalidCallback(f"malformed callback data {data!r}")
    version, action, value = parts
    if version != VERSION:
        raise InvalidCallback(f"stale callback version {version!r}")
    allowed = ACTIONS.get(action, frozenset())
    if not (value in allowed if isinstance(allowed, frozenset) else allowed.fullmatch(value)):
        raise InvalidCallback(f"unknown callback {action!r}:{value!r}")
    return Callback(action, value)


def make(action: str, value: object) -> str:
    data = Callback(action, str(value)).format()
    parse(data)  # never emit a button we would refuse
    return data
