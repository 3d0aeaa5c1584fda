"""/atrisk and /top: pages of at-risk and declining customers, and of the top advocates.

A page holds PAGE_SIZE customers (one line and one row of buttons each), so the message stays
far below Telegram's 4096 characters and 100 buttons; `/atrisk 2` shows the next page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from sqlalchemy import Engine
from sqlmodel import Session

from bot.services.ces_runs import raw_measures, score, window_for
from bot.services.customer_report import because
from bot.services.owner_card import days_ago, label
from bot.texts import t
from scoring.ces import CesConfig, explain
from storage import console, measures
from storage.db import session_scope

PAGE_SIZE = 10
NAME_CHARS = 24  # a button shows at most this much of a name
REASON_CHARS = 160

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


def reasons(
    session: Session, cfg: CesConfig, ids: Iterable[int], *, now: datetime, timezone: str, lang: str
) -> dict[int, str]:
    """What drives each listed customer's score, in one sentence (`akrab customer`'s "why").
    One small query per customer, for one page only (at most PAGE_SIZE)."""
    cfg = replace(cfg, shop_has_purchases=measures.shop_has_purchases(session=session))
    window = window_for(cfg, now, timezone)
    found = {}
    for customer_id in ids:
        for m in measures.customer_measures(
            session=session, window=window, customer_id=customer_id
        ):
            result, _ = score(m, cfg)
            sentence = because(lang, explain(raw_measures(m), result))
            if len(sentence) > REASON_CHARS:
                sentence = sentence[: REASON_CHARS - 1] + "…"
            found[customer_id] = sentence
    return found


def list_page(
    engine: Engine,
    cfg: CesConfig,
    which: Which,
    page: int,
    *,
    now: datetime,
    timezone: str,
    lang: str,
) -> ListPage:
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
        why = reasons(
            session, cfg, [c.id for c in found if c.id], now=now, timezone=timezone, lang=lang
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
        if why.get(customer.id):
            lines.append(f"   ↳ {why[customer.id]}")
        rows.append((customer.id, short(name)))
    lines.append("")
    lines.append(t(lang, f"console_{which}_hint"))
    if page < pages:
        lines.append(
            t(lang, "console_list_page", page=page, pages=pages, command=which, next=page + 1)
        )
    return ListPage("\n".join(lines), rows, page, pages)
