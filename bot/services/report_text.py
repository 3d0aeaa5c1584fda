"""The owner report as a Telegram message in the owner's language, within 4096 characters.

Numbers, dates and names are written the language's way (`bot.services.report_format`).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.services.customer_report import because
from bot.services.report_format import (
    ago,
    day,
    decimal,
    integer,
    kind_name,
    pct,
    segment_name,
    signed,
)
from bot.services.report_types import SEGMENT_ORDER, Change, Report
from bot.texts import t

TELEGRAM_LIMIT = 4096  # characters (UTF-16 code units) in one message
TREND_STEP = 0.05  # a change of mean polarity below this reads as steady
QUOTE_CHARS = 60


def _change(lang: str, change: Change) -> str:
    delta = change.delta
    return "" if delta is None else t(lang, "rep_vs_before", delta=signed(lang, delta))


def render_report(report: Report, *, lang: str, shop: str, timezone: ZoneInfo) -> str:
    """The whole report; the people lists shrink until it fits one Telegram message."""
    for keep in (8, 5, 3, 1, 0):
        text = "\n".join(_lines(report, lang, shop, timezone, keep))
        if len(text.encode("utf-16-le")) // 2 <= TELEGRAM_LIMIT:
            return text
    return text[: TELEGRAM_LIMIT - 1] + "…"


def _lines(report: Report, lang: str, shop: str, zone: ZoneInfo, keep: int) -> list[str]:
    r = report
    title = t(
        lang,
        "rep_title",
        days=r.days,
        shop=shop,
        start=day(lang, r.start, zone),
        end=day(lang, r.end, zone),
    )
    if r.empty:
        return [title, "", t(lang, "rep_empty")]
    lines = [title, "", t(lang, "rep_customers", total=integer(lang, r.customers))]
    for key, change in (("rep_active", r.active), ("rep_new", r.new)):
        lines.append(
            t(lang, key, n=integer(lang, change.now or 0), change=_change(lang, change)).rstrip()
        )
    lines += ["", *_ces_lines(r, lang, zone), "", *_mood_lines(r, lang), ""]
    lines += _engagement_lines(r, lang)
    lines += ["", *_people_lines(r, lang, keep)]
    return lines


def _ces_lines(r: Report, lang: str, zone: ZoneInfo) -> list[str]:
    if r.ces.now is None:
        return [t(lang, "rep_ces_none")]
    change = ""
    if r.ces.delta is not None and r.moves_since is not None:
        since = day(lang, r.moves_since, zone)
        change = t(lang, "rep_ces_change", delta=signed(lang, r.ces.delta, 1), since=since)
    lines = [t(lang, "rep_ces", ces=decimal(lang, r.ces.now), change=change).rstrip()]
    ordered = [s for s in SEGMENT_ORDER if s in r.segments] + sorted(
        s for s in r.segments if s not in SEGMENT_ORDER
    )
    items = " · ".join(f"{segment_name(lang, s)} {integer(lang, r.segments[s])}" for s in ordered)
    lines.append(t(lang, "rep_segments", items=items))
    lines.append(t(lang, "rep_declining", n=integer(lang, r.declining)))
    if r.moves_since is not None:
        if r.moves:
            items = ", ".join(
                f"{segment_name(lang, m.before)} → {segment_name(lang, m.after)} "
                f"{integer(lang, m.customers)}"
                for m in r.moves[:4]
            )
            lines.append(t(lang, "rep_moves", since=day(lang, r.moves_since, zone), items=items))
        else:
            lines.append(t(lang, "rep_no_moves"))
    return lines


def _mood_lines(r: Report, lang: str) -> list[str]:
    n = sum(r.sentiment.values())
    if n:
        shares = {k: pct(lang, v * 100.0 / n) for k, v in r.sentiment.items()}
        lines = [
            t(
                lang,
                "rep_sentiment",
                n=integer(lang, n),
                pos=shares["positive"],
                neu=shares["neutral"],
                neg=shares["negative"],
            )
        ]
        now, before = r.polarity.now, r.polarity.before
        if now is not None and before is not None:
            key = "rep_trend_flat"
            if now - before >= TREND_STEP:
                key = "rep_trend_up"
            elif before - now >= TREND_STEP:
                key = "rep_trend_down"
            lines.append(t(lang, key, before=signed(lang, before, 2), now=signed(lang, now, 2)))
    else:
        lines = [t(lang, "rep_sentiment_none")]
    g = r.ratings
    if g.csat.now is None:
        lines.append(t(lang, "rep_csat_none"))
    else:
        change = "" if g.csat.delta is None else f"({signed(lang, g.csat.delta, 1)})"
        lines.append(
            t(
                lang,
                "rep_csat",
                mean=decimal(lang, g.csat.now),
                n=integer(lang, g.csat_answers),
                change=change,
            ).rstrip()
        )
    if g.requests:
        lines.append(
            t(
                lang,
                "rep_csat_rate",
                rate=pct(lang, g.response_rate),
                answered=integer(lang, g.answered),
                requests=integer(lang, g.requests),
            )
        )
    if g.nps is None:
        lines.append(t(lang, "rep_nps_none"))
    else:
        lines.append(
            t(
                lang,
                "rep_nps",
                nps=signed(lang, g.nps),
                n=integer(lang, g.nps_answers),
                promoters=integer(lang, g.promoters),
                detractors=integer(lang, g.detractors),
            )
        )
    return lines


def _engagement_lines(r: Report, lang: str) -> list[str]:
    rates = [*r.engagement, *r.campaigns]
    if not rates:
        return [t(lang, "rep_engagement_none")]
    lines = [t(lang, "rep_engagement")]
    for rate in rates:
        lines.append(
            t(
                lang,
                "rep_rate_line",
                name=kind_name(lang, rate),
                rate=pct(lang, rate.rate),
                responded=integer(lang, rate.responded),
                sent=integer(lang, rate.sent),
            )
        )
    return lines


def _people_lines(r: Report, lang: str, keep: int) -> list[str]:
    lines = [t(lang, "rep_contact") if r.contact_total else t(lang, "rep_contact_none")]
    for item in r.contact[:keep]:
        name = item.who.name + (f" (@{item.who.username})" if item.who.username else "")
        ces = decimal(lang, item.ces or 0.0)
        why = because(lang, item.reasons) if item.reasons else ""
        if item.declining and item.drop:
            drop = decimal(lang, item.drop)
            line = t(lang, "rep_contact_declining", name=name, drop=drop, ces=ces, why=why)
        else:
            line = t(lang, "rep_contact_at_risk", name=name, ces=ces, why=why)
        lines.append(line.rstrip("; "))
    if r.contact_total > min(keep, len(r.contact)):
        lines.append(
            t(lang, "rep_more", n=integer(lang, r.contact_total - min(keep, len(r.contact))))
        )
    if r.unanswered_total:
        lines += ["", t(lang, "rep_waiting", n=integer(lang, r.unanswered_total))]
        for w in r.unanswered[:keep]:
            text = " ".join((w.text or "…").split())
            if len(text) > QUOTE_CHARS:
                text = text[: QUOTE_CHARS - 1] + "…"
            lines.append(
                t(
                    lang,
                    "rep_waiting_line",
                    name=w.who.name,
                    ago=ago(lang, w.since, r.end),
                    text=f"“{text}”",
                )
            )
        shown = min(keep, len(r.unanswered))
        if r.unanswered_total > shown:
            lines.append(t(lang, "rep_more", n=integer(lang, r.unanswered_total - shown)))
    if r.birthdays_total:
        names = ", ".join(w.name for w in r.birthdays[: max(keep, 3)])
        hidden = r.birthdays_total - min(len(r.birthdays), max(keep, 3))
        if hidden > 0:
            names += " " + t(lang, "rep_more", n=integer(lang, hidden)).strip()
        lines += ["", t(lang, "rep_birthdays", names=names)]
    return lines
