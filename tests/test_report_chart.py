"""The report's chart: four titled panels, a valid PNG of the expected size, and friendly
"no data" panels instead of empty axes."""

from __future__ import annotations

import struct

import pytest
from sqlalchemy import Engine

from bot.config import Settings
from bot.services import chart
from bot.texts import t
from tests.test_report import build_shop, report_of

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def panel_texts(ax) -> list[str]:
    return [text.get_text() for text in ax.texts]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_chart_has_every_panel_and_is_a_png_of_the_expected_size(
    sqlite_engine: Engine, settings: Settings, lang: str
) -> None:
    build_shop(sqlite_engine)
    report = report_of(sqlite_engine, settings)
    figure = chart.build_figure(report, lang=lang, timezone=settings.tz)
    axes = figure.get_axes()
    assert [ax.get_title() for ax in axes] == [t(lang, key) for key in chart.PANELS]
    ces, segments, sentiment, engagement = axes
    assert sum(p.get_height() for p in ces.patches) == 4  # the four scored customers
    assert len(segments.get_lines()) == 3  # advocate, potential, at risk
    assert [list(line.get_ydata()) for line in segments.get_lines()] == [[1, 1], [2, 1], [1, 2]]
    assert sum(p.get_height() for p in sentiment.patches) == 5  # scored messages in 4 weeks
    assert [p.get_width() for p in engagement.patches] == [25.0, 50.0, 50.0]
    assert all(t(lang, "chart_no_data") not in panel_texts(ax) for ax in axes)
    data = chart.render_png(report, lang=lang, timezone=settings.tz)
    assert png_size(data) == chart.SIZE == (1200, 800)


def test_chart_of_an_empty_shop_says_no_data_in_every_panel(
    sqlite_engine: Engine, settings: Settings
) -> None:
    report = report_of(sqlite_engine, settings)
    figure = chart.build_figure(report, lang="id", timezone=settings.tz)
    assert [panel_texts(ax) for ax in figure.get_axes()] == [["belum ada data"]] * 4
    assert png_size(chart.render_png(report, lang="id", timezone=settings.tz)) == chart.SIZE
