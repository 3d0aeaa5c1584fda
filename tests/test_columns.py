"""Timestamps on SQLite: the one-step conversions store what SQLAlchemy's own DateTime would,
and read back aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import DateTime
from sqlalchemy.dialects import sqlite

from storage.columns import UTCDateTime

DIALECT = sqlite.dialect()
WIB = timezone(timedelta(hours=7))


def converters() -> tuple:
    column = UTCDateTime().dialect_impl(DIALECT)
    return column.bind_processor(DIALECT), column.result_processor(DIALECT, None)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 2, 6, 14, 14, 123456, tzinfo=UTC),
        datetime(2026, 12, 2, 6, 14, 14, tzinfo=UTC),  # no microseconds: still written
        datetime(2027, 1, 1, 5, 0, tzinfo=WIB),  # another zone: stored as UTC
        datetime(1, 1, 1, tzinfo=UTC),
    ],
)
def test_stored_as_sqlalchemy_stores_it_and_read_back_aware(moment: datetime) -> None:
    store, read = converters()
    impl = DateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
    text = store(moment)
    assert text == impl(moment.astimezone(UTC).replace(tzinfo=None))
    back = read(text)
    assert back == moment
    assert back.tzinfo is UTC


def test_reads_a_value_written_without_microseconds() -> None:
    _, read = converters()
    assert read("2026-12-02 06:14:14") == datetime(2026, 12, 2, 6, 14, 14, tzinfo=UTC)
    assert read(None) is None


def test_refuses_naive_and_non_datetime_values() -> None:
    store, _ = converters()
    assert store(None) is None
    with pytest.raises(ValueError, match="naive"):
        store(datetime(2026, 12, 2, tzinfo=UTC).replace(tzinfo=None))
    with pytest.raises(TypeError):
        store("2026-12-02")
