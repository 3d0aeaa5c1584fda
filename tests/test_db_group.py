"""bot/adapter/db.py: concurrent callers share one commit, batched pieces share one call, and a
piece that fails runs again alone so its error stays its own."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from bot.adapter import checkpoints, db
from storage.db import checkpoint, make_engine


@pytest.fixture
def table(sqlite_engine: Engine) -> Engine:
    with sqlite_engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)"))
    return sqlite_engine


def rows(engine: Engine) -> list[tuple[int, str]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text("SELECT k, v FROM t ORDER BY k"))]


async def test_batched_items_of_concurrent_callers_go_in_one_call(table: Engine) -> None:
    calls: list[list[int]] = []

    def insert_many(session: Session, items: list[int]) -> list[str]:
        calls.append(list(items))
        for item in items:
            session.connection().execute(
                text("INSERT INTO t VALUES (:k, :v)"), {"k": item, "v": f"v{item}"}
            )
        return [f"done {item}" for item in items]

    def plain(session: Session) -> str:
        session.connection().execute(text("INSERT INTO t VALUES (100, 'plain')"))
        return "plain"

    results = await asyncio.gather(
        *(db.transact_batched(table, insert_many, k) for k in range(1, 9)),
        db.transact(table, plain),
    )
    assert results == [f"done {k}" for k in range(1, 9)] + ["plain"]
    assert calls == [list(range(1, 9))]  # one call for every caller queued together
    assert rows(table) == [(k, f"v{k}") for k in range(1, 9)] + [(100, "plain")]
    db.close(table)


async def test_a_failing_piece_fails_alone(table: Engine) -> None:
    calls: list[list[int]] = []

    def insert_many(session: Session, items: list[int]) -> list[int]:
        calls.append(list(items))
        for item in items:
            if item == 3:
                raise ValueError("three is bad")
            session.connection().execute(text("INSERT INTO t VALUES (:k, 'x')"), {"k": item})
        return items

    results = await asyncio.gather(
        *(db.transact_batched(table, insert_many, k) for k in range(1, 6)), return_exceptions=True
    )
    assert results[:2] == [1, 2]
    assert isinstance(results[2], ValueError)
    assert results[3:] == [4, 5]
    assert calls[0] == [1, 2, 3, 4, 5]  # together first, then each alone
    assert sorted(calls[1:]) == [[1], [2], [3], [4], [5]]
    assert rows(table) == [(k, "x") for k in (1, 2, 4, 5)]
    db.close(table)


async def test_a_batch_must_answer_every_item(table: Engine) -> None:
    def short(_session: Session, items: list[Any]) -> list[Any]:
        return items[:-1]

    results = await asyncio.gather(
        db.transact_batched(table, short, 1),
        db.transact_batched(table, short, 2),
        return_exceptions=True,
    )
    # Together the answer is short (an error), so each runs alone, where it is short again.
    assert all(isinstance(r, RuntimeError) for r in results)
    db.close(table)


async def test_the_wal_is_checkpointed_beside_the_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No customer's commit runs SQLite's checkpoint (two disk syncs): a thread of its own
    copies the WAL into the database file while the writer goes on."""
    path = tmp_path / "wal.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)"))
    checkpoint(engine)  # the table is in the file itself

    def main_file_rows() -> int:  # what the database file holds without its WAL
        copy = tmp_path / "copy.db"
        shutil.copyfile(path, copy)
        with sqlite3.connect(copy) as connection:
            return int(connection.execute("SELECT count(*) FROM t").fetchone()[0])

    def insert(k: int) -> Any:
        return lambda session: session.connection().execute(
            text("INSERT INTO t VALUES (:k, 'x')"), {"k": k}
        )

    try:
        monkeypatch.setattr(checkpoints, "CHECKPOINT_EVERY", 3600.0)
        for k in range(5):
            await db.transact(engine, insert(k))
        assert main_file_rows() == 0  # all in the WAL: the writer did not checkpoint
        monkeypatch.setattr(checkpoints, "CHECKPOINT_EVERY", 0.0)
        await db.transact(engine, insert(5))
        for _ in range(200):  # the background checkpoint runs in its own thread
            if main_file_rows() == 6:
                break
            await asyncio.sleep(0.01)
        assert main_file_rows() == 6
        await db.transact(engine, insert(6))  # and the writer goes on
    finally:
        db.close(engine)
        engine.dispose()
    assert rows(engine) == [(k, "x") for k in range(7)]


async def test_work_queued_without_waiting_comes_before_what_is_queued_after_it(
    table: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    def put(k: int) -> Any:
        def work(session: Session) -> None:
            session.connection().execute(text("INSERT INTO t VALUES (:k, 'soon')"), {"k": k})

        return work

    def broken(session: Session) -> None:
        session.connection().execute(text("INSERT INTO t VALUES (1, 'again')"))  # k=1 is taken

    def read(session: Session) -> list[int]:
        return [r[0] for r in session.connection().execute(text("SELECT k FROM t ORDER BY k"))]

    kept: list[str] = []
    db.transact_soon(table, put(1), "put 1", failed=lambda: kept.append("1"))
    db.transact_soon(table, broken, "put 1 again", failed=lambda: kept.append("again"))
    db.transact_soon(table, put(2), "put 2", failed=lambda: kept.append("2"))
    assert await db.transact(table, read) == [1, 2]  # queued after them: sees both
    await db.settled(table)
    assert rows(table) == [(1, "soon"), (2, "soon")]
    assert kept == ["again"]  # only the piece that failed is handed back (for a retry)
    # The broken piece failed alone and was logged (no values in the line); nothing raised.
    [line] = [r.getMessage() for r in caplog.records if "could not" in r.getMessage()]
    assert line.startswith("could not put 1 again: ")
    assert "'again'" not in line


async def test_settled_waits_for_work_queued_without_waiting(table: Engine) -> None:
    def slow(session: Session) -> None:
        session.connection().execute(text("INSERT INTO t VALUES (7, 'late')"))

    db.transact_soon(table, slow, "put 7")
    await db.settled(table)
    assert rows(table) == [(7, "late")]
    await db.settled(table)  # nothing queued: returns at once
