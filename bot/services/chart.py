"""The owner report's one chart image: four panels drawn with matplotlib's Agg backend.

No pyplot: each call builds its own `Figure` on an Agg canvas, so rendering holds no global
state and may run in any worker thread (the handler runs it off the event loop). A panel with
nothing to show says "belum ada data" / "no data yet" instead of drawing empty axes.
"""

from __future__ import annotations

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.services.report_format import integer, kind_name, pct, segment_name
from bot.services.report_types import SEGMENT_ORDER, Report
from bot.texts import t

WIDTH, HEIGHT, DPI = 12.0, 8.0, 100  # 1200 x 800 pixels
SIZE = (int(WIDTH * DPI), int(HEIGHT * DPI))
PANELS = ("chart_ces", "chart_segments", "chart_sentiment", "chart_engagement")
COLORS = {
    "advocate": "#2e7d32",
    "potential": "#1976d2",
    "at_risk": "#d32f2f",
    "new": "#9e9e9e",
    "positive": "#43a047",
    "neutral": "#bdbdbd",
    "negative": "#e53935",
}


def build_figure(report: Report, *, lang: str, timezone: ZoneInfo) -> Figure:
    """The figure with its four panels, titled in `lang` (PANELS order), not yet drawn."""
    # Fixed margins: a constrained layout would cost a second drawing pass per image.
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    figure.subplots_adjust(left=0.07, right=0.98, top=0.95, bottom=0.09, wspace=0.28, hspace=0.42)
    FigureCanvasAgg(figure)
    axes = figure.subplots(2, 2).flatten()
    for ax, key in zip(axes, PANELS, strict=True):
        ax.set_title(t(lang, key), fontsize=12, fontweight="bold")
    _ces(axes[0], report, lang)
    _segments(axes[1], report, lang, timezone)
    _sentiment(axes[2], report, lang, timezone)
    _engagement(axes[3], report, lang)
    return figure


def render_png(report: Report, *, lang: str, timezone: ZoneInfo) -> bytes:
    """The chart as PNG bytes, `SIZE` pixels."""
    figure = build_figure(report, lang=lang, timezone=timezone)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _no_data(ax: Axes, lang: str) -> None:
    ax.text(
        0.5, 0.5, t(lang, "chart_no_data"), ha="center", va="center", fontsize=13, color="#757575"
    )
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _segment_order(names: object) -> list[str]:
    found = set(names)  # type: ignore[call-overload]
    return [s for s in SEGMENT_ORDER if s in found] + sorted(found - set(SEGMENT_ORDER))


def _label(lang: str, segment: str) -> str:
    return segment_name(lang, segment)


def _ces(ax: Axes, report: Report, lang: str) -> None:
    histogram = report.histogram
    if not any(sum(bins) for bins in histogram.values()):
        _no_data(ax, lang)
        return
    width = 100 / len(next(iter(histogram.values())))
    bottom = [0] * len(next(iter(histogram.values())))
    lefts = [i * width for i in range(len(bottom))]
    for segment in _segment_order(histogram):
        bins = histogram[segment]
        ax.bar(
            lefts,
            bins,
            width=width * 0.9,
            bottom=bottom,
            align="edge",
            color=COLORS.get(segment),
            label=_label(lang, segment),
        )
        bottom = [b + n for b, n in zip(bottom, bins, strict=True)]
    ax.set_xlim(0, 100)
    ax.set_xlabel("CES")
    ax.set_ylabel(t(lang, "chart_customers"))
    ax.legend(fontsize=9)


def _segments(ax: Axes, report: Report, lang: str, zone: ZoneInfo) -> None:
    history = report.segment_history
    if not history:
        _no_data(ax, lang)
        return
    days = [at.astimezone(zone) for at, _ in history]
    names = _segment_order({s for _, counts in history for s in counts})
    # matplotlib takes datetimes on an axis (its date units), which its stubs do not declare.
    for segment in names:
        ax.plot(
            days,  # type: ignore[arg-type]  # datetimes: see above
            [counts.get(segment, 0) for _, counts in history],
            marker="o",
            color=COLORS.get(segment),
            label=_label(lang, segment),
        )
    labels = [d.strftime("%d/%m") for d in days]
    ax.set_xticks(days, labels, fontsize=8, rotation=45)  # type: ignore[arg-type]  # datetimes
    ax.set_ylabel(t(lang, "chart_customers"))
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=9)


def _sentiment(ax: Axes, report: Report, lang: str, zone: ZoneInfo) -> None:
    weeks = report.sentiment_weeks
    if not any(sum(week.values()) for week in weeks):
        _no_data(ax, lang)
        return
    ends = [
        (report.end - timedelta(days=7 * (len(weeks) - 1 - i))).astimezone(zone)
        for i in range(len(weeks))
    ]
    positions = list(range(len(weeks)))
    bottom = [0] * len(weeks)
    for label in ("positive", "neutral", "negative"):
        values = [week.get(label, 0) for week in weeks]
        ax.bar(
            positions,
            values,
            bottom=bottom,
            color=COLORS[label],
            label=t(lang, f"chart_{label}"),
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(positions, [d.strftime("%d/%m") for d in ends], fontsize=8, rotation=45)
    ax.set_ylabel(t(lang, "chart_messages"))
    ax.legend(fontsize=9)


def _engagement(ax: Axes, report: Report, lang: str) -> None:
    rates = [r for r in report.engagement if r.sent]
    if not rates:
        _no_data(ax, lang)
        return
    positions = list(range(len(rates)))
    bars = ax.barh(positions, [r.rate or 0.0 for r in rates], color="#80cbc4")
    ax.set_xlim(0, 100)
    ax.set_yticks([])  # the names are written on the bars: long ones would leave the panel
    ax.invert_yaxis()
    for bar, rate in zip(bars, rates, strict=True):
        label = (
            f"{kind_name(lang, rate)}: {pct(lang, rate.rate)} "
            f"({integer(lang, rate.responded)}/{integer(lang, rate.sent)})"
        )
        ax.text(1, bar.get_y() + bar.get_height() / 2, label, va="center", fontsize=10)
