"""/report [7d|30d|90d] and /export: the owner's figures with one chart, and the customers CSV.

The figures are read in the database thread (`db.run`), the chart is drawn in another worker
thread, so neither blocks the event loop nor the database queue.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import Engine
from telegram import InputFile, Update

from bot.adapter import db
from bot.config import Settings
from bot.context import AkrabContext
from bot.handlers.owner.console_common import owner_lang
from bot.services import chart, export
from bot.services.report import build_report
from bot.services.report_text import render_report
from bot.services.report_types import PeriodError, Report, parse_period
from bot.texts import t
from storage.db import session_scope


def _report(engine: Engine, settings: Settings, period: str, now: datetime) -> Report:
    with session_scope(engine) as session:
        return build_report(session, settings, period=period, now=now)


async def report_command(update: Update, context: AkrabContext) -> None:
    """/report [7d|30d|90d]: the period's figures as text, then the chart as one photo."""
    chat, lang, args = update.effective_chat, owner_lang(update, context), context.args or []
    if chat is None:
        return
    try:
        period = parse_period(args[0] if args else None)
        if len(args) > 1:
            raise PeriodError("one argument at most")
    except PeriodError:
        await context.bot.send_message(chat.id, t(lang, "rep_usage"))
        return
    data = context.bot_data
    settings, now = data.settings, data.clock()
    report = await db.run(data.engine, _report, data.engine, settings, period, now)
    text = render_report(report, lang=lang, shop=settings.shop_name, timezone=settings.tz)
    if report.empty:  # the text says there is nothing yet; no chart of empty panels
        await context.bot.send_message(chat.id, text)
        return
    # The chart is drawn in a worker thread while the text is on its way.
    drawing = asyncio.create_task(
        asyncio.to_thread(chart.render_png, report, lang=lang, timezone=settings.tz)
    )
    try:
        await context.bot.send_message(chat.id, text)
    finally:
        png = await drawing
    caption = t(lang, "rep_chart_caption", days=max(report.days, 28))
    await context.bot.send_photo(chat.id, photo=png, caption=caption)


def _export(engine: Engine, settings: Settings) -> tuple[bytes, int]:
    with session_scope(engine) as session:
        return export.customers_csv(session, settings.tz)


async def export_command(update: Update, context: AkrabContext) -> None:
    """/export: every customer (not erased) as a CSV document."""
    chat, lang = update.effective_chat, owner_lang(update, context)
    if chat is None:
        return
    data = context.bot_data
    content, count = await db.run(data.engine, _export, data.engine, data.settings)
    if not count:
        await context.bot.send_message(chat.id, t(lang, "export_empty"))
        return
    day = data.clock().astimezone(data.settings.tz).strftime("%Y-%m-%d")
    document = InputFile(content, filename=f"customers-{day}.csv")
    await context.bot.send_document(
        chat.id, document=document, caption=t(lang, "export_caption", n=count)
    )
