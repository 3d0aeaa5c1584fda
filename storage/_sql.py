"""SQL that differs between SQLite and PostgreSQL, written once."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

_DIALECT_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@lru_cache(maxsize=64)  # built once per table and dialect: building costs more than running
def insert_ignore(table: Table, dialect: str, *returning: Any) -> Insert:
    """`INSERT … ON CONFLICT DO NOTHING` (a unique constraint decides what is a duplicate),
    returning `returning` for the rows actually inserted. Another database gets a plain INSERT,
    whose unique constraints still refuse duplicates (as an error)."""
    make = _DIALECT_INSERT.get(dialect)
    statement: Insert = make(table).on_conflict_do_nothing() if make else insert(table)  # type: ignore[attr-defined]
    return statement.returning(*returning) if returning else statement


def table_of(model: Any) -> Table:
    """The Core table of a SQLModel class."""
    table: Table = model.__table__
    return table


def db_safe(text: str | None) -> tuple[str | None, int | None]:
    """`text` without what a database refuses (NUL; lone surrogates become U+FFFD), and its
    original length when something was cleaned (else None)."""
    if text is None or (text.isascii() and "\x00" not in text):
        return text, None
    cleaned = text.replace("\x00", "")
    if _has_surrogate(cleaned):
        cleaned = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in cleaned)
    return cleaned, (len(text) if cleaned != text else None)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
