"""/atrisk and /top: pages of at-risk and declining customers, and of the top advocates.

A page holds PAGE_SIZE customers (one line and one row of buttons each), so the message stays
far below Telegram's 4096 characters and 100 buttons; `/atrisk 2` shows the next page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Engine

from bot.services.owner_card import days_ago, label
from bot.texts import t
from storage import console
from storage.db import session_scope

PAGE_SIZE = 10
NAME_CHARS = 24  # a button shows at most this much of a name

Which = Literal["atrisk", "top"]


@dataclass(frozen=True, slots=True)
class ListPage:
    text: str
    rows: list[tuple[int, str]]  # (customer id, short name) for the buttons, in list order
    page: int
    pages: int


def parse_page(args: list[str]) -> int | None:
    """The page number the owner asked for (default 1); None when the argument is not one."""
    if not args:
        return 1
    if len(args) == 1 and args[0].isdigit() and 1 <= int(args[0]) <= 10_000:
        return int(args[0])
    return None


def short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def list_page(engine: Engine, which: Which, page: int, *, now: datetime, lang: str) -> ListPage:
    """Page `page` of the list (a page past the end shows the last one)."""
    with session_scope(engine) as session:
        found, total = console.segment_page(
            session=session, which=which, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        pages = max(1, math.ceil(total / PAGE_SIZE))
        if not found and total:
            page = pages
            found, total = console.segment_page(
                session=session, which=which, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
            )
    if not total:
        return ListPage(t(lang, f"console_{which}_empty"), [], 1, 1)
    lines = [t(lang, f"console_{which}_title", total=total), ""]
    rows = []
    for n, customer in enumerate(found, start=(page - 1) * PAGE_SIZE + 1):
        assert customer.id is not None
        name = label(customer)
        ces = f"{customer.ces:.1f}" if customer.ces is not None else "–"
        if lang == "id":
            ces = ces.replace(".", ",")
        lines.append(
            t(
                lang,
                "console_list_row",
                n=n,
                name=name,
                ces=ces,
                segment=t(lang, f"segment_{customer.segment or 'new'}"),
                declining=t(lang, "console_list_declining") if customer.declining else "",
                seen=days_ago(lang, customer.last_seen, now),
            )
        )
        rows.append((customer.id, short(name)))
    lines.append("")
    lines.append(t(lang, f"console_{which}_hint"))
    if page < pages:
        lines.append(
            t(lang, "console_list_page", page=page, pages=pages, command=which, next=page + 1)
        )
    return ListPage("\n".join(lines), rows, page, pages)
