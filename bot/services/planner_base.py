"""What every outreach planner shares: the run's facts, and how a row is rendered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.config import Settings
from bot.texts.templates_file import Templates
from scoring import planning as rules
from storage import planning as store

CONTEXT = timedelta(days=1)  # how far before a window the conversation's messages are read
Row = dict[str, Any]
NAME_MARK = "\x00name\x00"
LANGS = ("id", "en")


@dataclass
class KindSummary:
    """What one planner planned (or, in a dry run, would plan)."""

    planned: int = 0
    examples: list[Row] = field(default_factory=list)


Summary = dict[str, KindSummary]


@dataclass(frozen=True)
class Planner:
    """The facts every planner shares for one run."""

    session: Session
    settings: Settings
    now: datetime
    templates: Templates
    dry_run: bool = False

    def parts(self, kind: str, lang: str, holiday: str) -> store.TextParts:
        """The text of `kind` split where the name goes (for texts rendered in SQL)."""
        shop = self.settings.shop_name
        marked = self.templates.render(kind, lang, name=NAME_MARK, shop=shop, holiday=holiday)
        plain = self.templates.render(kind, lang, name="", shop=shop, holiday=holiday)
        return store.TextParts(marked.split(NAME_MARK), plain)

    def row(self, kind: str, recipient: Any, key: str, slot: rules.Slot, **values: Any) -> Row:
        lang = recipient.language
        shop, name = self.settings.shop_name, recipient.first_name or ""
        text = self.templates.render(kind, lang, name=name, shop=shop, **values)
        if kind == "at_risk" and self.settings.at_risk_incentive:
            extra = self.templates.render(
                "incentive", lang, name=name, shop=shop, incentive=self.settings.at_risk_incentive
            )
            text = f"{text}\n\n{extra}"
        return {
            "kind": kind,
            "customer_id": recipient.id,
            "dedupe_key": key,
            "template": kind,
            "language": lang,
            "text": text,
            "priority": rules.PRIORITY[kind],
            "due_at": slot.due_at,
            "expires_at": slot.expires_at,
        }


EXAMPLES = 3  # rows shown per kind by the CLI and the shell
