"""Engine set-up and schema migrations.

SQLite (the embedded default) is opened with WAL, synchronous=NORMAL, foreign keys on and a
busy timeout; PostgreSQL is used unchanged through `DATABASE_URL`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
# The WAL is copied into the database file by `checkpoint_passive`, in the background (see
# bot/adapter/db.py); a writer does it itself only once the WAL is this long (pages), when the
# background one cannot keep up. A checkpoint syncs the disk twice: milliseconds every few
# hundred commits, which SQLite's default (1,000 pages) puts inside a customer's commit.
AUTOCHECKPOINT_PAGES = 8000


class DatabaseError(Exception):
    """The database cannot be opened or migrated; `str()` says why in one line."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        # Deleted content is overwritten, so an erased customer (/forget) leaves no bytes behind.
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for `url`; SQLite gets Akrab's pragmas on every connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        in_memory = _in_memory(parsed.database)
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
        if in_memory:
            kwargs["poolclass"] = StaticPool  # one shared connection, or each sees an empty db
        engine = create_engine(url, echo=echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg"))
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    location = resources.files("storage") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest migration revision shipped with this version of Akrab."""
    script = ScriptDirectory.from_config(_alembic_config(make_engine("sqlite://")))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema in place (run at every start-up; a no-op when current)."""
    before = current_revision(engine)
    command.upgrade(_alembic_config(engine), revision)
    after = current_revision(engine)
    if before != after:
        log.info("database schema migrated from %s to %s", before or "empty", after)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(_alembic_config(engine), revision)


def open_database(url: str) -> Engine:
    """Open `url`, migrate it to the newest schema, and return the engine."""
    try:
        engine = make_engine(url)
        migrate(engine)
    except Exception as exc:  # a bad URL, a missing driver, a locked or unreadable file
        raise DatabaseError(f"cannot open database {make_url(url)!r}: {exc}") from exc
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _in_memory(database: str | None) -> bool:
    return database in (None, "", ":memory:")


def is_sqlite_file(engine: Engine) -> bool:
    """A SQLite database in a file (one with a WAL), not in memory."""
    return engine.dialect.name == "sqlite" and not _in_memory(engine.url.database)


def checkpoint_passive(engine: Engine) -> None:
    """SQLite: copy what the WAL holds into the database file, without waiting for (or
    holding up) readers and the writer; the next write then starts the WAL over."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def checkpoint(engine: Engine) -> None:
    """SQLite: copy the WAL into the database file and empty it (after an erase, so no old page
    with the erased data stays in `-wal`). Other databases: nothing to do."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        if busy is not None and busy[0]:
            log.warning("the WAL checkpoint after an erase was blocked by a reader; it runs later")
