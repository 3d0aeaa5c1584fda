"""`akrab customer`: one customer's CES explained for the owner, in Indonesian or English.

The words are texts in `bot.texts.report` and `bot.texts.reasons`; `scoring` gives the numbers
and the reasons as codes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from bot.texts import t
from scoring.ces import CesResult, RawMeasures, Reason, explain


def number(lang: str, value: float) -> str:
    """One decimal, none when whole, the language's decimal mark: 3.5 / 3,5, 8."""
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if lang == "id" else text


def amount(lang: str, value: int | float | Decimal) -> str:
    """Money with thousands groups, cents only when there are any: 250,000 / 250.000,
    1,234.50 / 1.234,50."""
    spend = Decimal(str(value))
    whole = spend == spend.to_integral_value()
    text = f"{int(spend):,}" if whole else f"{spend.quantize(Decimal('0.01')):,}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


def reason_text(lang: str, reason: Reason) -> str:
    """One reason from `scoring.segments.explain` as the owner reads it."""
    values = reason.values
    if reason.code == "depth":
        items = [
            t(lang, f"reason_{name}_{'one' if n == 1 else 'many'}", n=n)
            for name, n in values.items()
            if n > 0
        ]
        if len(items) == 1:
            return items[0]
        return t(lang, "reason_list", items=", ".join(items[:-1]), last=items[-1])
    if reason.code == "spent":
        return t(lang, "reason_spent", amount=amount(lang, values["amount"]))
    if reason.code in ("average_rating", "recommendation_score"):
        return t(lang, f"reason_{reason.code}", mean=number(lang, float(values["mean"])))
    return t(lang, f"reason_{reason.code}", **values)


def because(lang: str, reasons: tuple[Reason, ...]) -> str:
    """The reasons on one line, e.g. "no message for 34 days; last rating 4/5"."""
    return "; ".join(reason_text(lang, reason) for reason in reasons)


def measure_text(component: str, raw: RawMeasures, lang: str) -> str:
    """The raw measure behind one component, in words."""
    if component == "frequency":
        return t(lang, "measure_frequency", days=raw.active_days_30)
    if component == "recency":
        return t(lang, "measure_recency", days=raw.days_since_last_inbound or 0.0)
    if component == "depth":
        return t(
            lang,
            "measure_depth",
            feedback=raw.feedback_texts,
            ratings=raw.ratings,
            referrals=raw.referrals,
            clicks=raw.button_clicks,
        )
    if component == "monetary":
        return t(lang, "measure_monetary", amount=raw.spend)
    if component == "sentiment":
        return t(lang, "measure_sentiment", polarity=raw.sentiment_mean or 0)
    csat = t(lang, "measure_csat", mean=raw.csat_mean) if raw.csat_mean is not None else ""
    nps = t(lang, "measure_nps", mean=raw.nps_mean) if raw.nps_mean is not None else ""
    return ", ".join(filter(None, (csat, nps)))


def trend_word(series: list[tuple[datetime, float]], lang: str) -> str:
    if len(series) < 2:
        return ""
    change = series[-1][1] - series[0][1]
    key = "rising" if change >= 1 else "falling" if change <= -1 else "flat"
    return t(lang, f"trend_{key}")


def render(
    *,
    name: str,
    raw: RawMeasures,
    result: CesResult,
    declining: bool,
    series: list[tuple[datetime, float]],
    lang: str,
) -> str:
    """The whole report as text lines."""

    def word(key: str) -> str:
        return t(lang, f"report_{key}")

    segment = t(lang, f"segment_{result.segment}")
    lines = [name]
    if result.ces is None:
        lines.append(f"{word('ces')}: {word('no_score')} ({word('segment')}: {segment})")
    else:
        lines.append(f"{word('ces')}: {result.ces:.2f} / 100   {word('segment')}: {segment}")
    if declining:
        lines.append(word("declining"))
    if series:
        shown = series[-8:]  # the word describes the points the reader sees
        points = " → ".join(f"{ces:.1f}" for _, ces in shown)
        lines.append(f"{word('trend')}: {points} {trend_word(shown, lang)}".rstrip())
    lines.append("")
    lines.append(
        f"{word('component'):<13} {word('score'):>6} {word('weight'):>7}  {word('measure')}"
    )
    for component, score in result.components.items():
        lines.append(
            f"{component:<13} {score:6.1f} {result.weights[component]:7.2f}  "
            f"{measure_text(component, raw, lang)}"
        )
    lines.append("")
    lines.append(f"{word('why')}: {because(lang, explain(raw, result))}")
    return "\n".join(lines)
