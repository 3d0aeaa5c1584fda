"""Core statements run straight on the driver's cursor, compiled once (the ingest hot path).

SQLAlchemy's work around each execution (an execution context, parameter and result objects)
costs several times what SQLite needs to run a small statement, and on the ingest path that
overhead was most of the database time. `Raw` compiles a Core statement once per dialect and
set of parameter names and runs it on the DBAPI cursor of the caller's connection, inside its
transaction, with the column types' own bind and result conversions (so values and rows are
what `Connection.execute` gives). Drivers with positional parameters only (SQLite's `qmark`);
on others, and for statements this cannot run (expanding IN, SQL-side defaults), `Raw` runs
them through `Connection.execute` as usual.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.selectable import ExecutableReturnsRows

# The statements `Raw` runs (SELECT, INSERT, UPDATE, DELETE): executable and compilable, which
# plain `Executable` is not.
Statement = ExecutableReturnsRows


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    names: tuple[str, ...]  # parameter names, in placeholder order
    fixed: Mapping[str, Any]  # values the statement itself gives (literals, column defaults)
    row: Any  # namedtuple class of the result rows, or None
    # The column types' conversions, only at the positions that have one (most do not), so
    # each parameter set and row pays for those alone.
    bound: tuple[tuple[int, Callable[[Any], Any]], ...]
    converted: tuple[tuple[int, Callable[[Any], Any]], ...]


class Raw:
    """One Core statement, run on the DBAPI cursor where the dialect allows it."""

    def __init__(self, statement: Statement) -> None:
        self.statement = statement
        self._plans: dict[tuple[str, frozenset[str]], _Plan | None] = {}

    def rows(self, connection: Connection, params: Mapping[str, Any]) -> list[Any]:
        """Run once; the result rows (by column name, as `Row` has them)."""
        plan = self._plan(connection.dialect, params)
        if plan is None:
            result = connection.execute(self.statement, dict(params))
            return list(result) if result.returns_rows else []
        values = _values(plan, params)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(plan.sql, values)
            fetched = cursor.fetchall() if plan.row is not None else []
        except connection.dialect.loaded_dbapi.Error as error:
            raise _wrapped(connection, plan.sql, values, error) from error
        finally:
            cursor.close()
        return [_row(plan, raw) for raw in fetched]

    def each(self, connection: Connection, params: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Run once per parameter set (all with the same names); all the result rows."""
        return [row for one in params for row in self.rows(connection, one)]

    def many(self, connection: Connection, params: Sequence[Mapping[str, Any]]) -> None:
        """`executemany` (no result rows) for parameter sets that all have the same names."""
        if not params:
            return
        plan = self._plan(connection.dialect, params[0])
        if plan is None:
            connection.execute(self.statement, [dict(p) for p in params])
            return
        values = [_values(plan, p) for p in params]
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(plan.sql, values)
        except connection.dialect.loaded_dbapi.Error as error:
            raise _wrapped(connection, plan.sql, values, error) from error
        finally:
            cursor.close()

    def _plan(self, dialect: Dialect, params: Mapping[str, Any]) -> _Plan | None:
        key = (dialect.name, frozenset(params))
        if key not in self._plans:
            self._plans[key] = _compile(self.statement, dialect, sorted(params))
        return self._plans[key]


def cheap(connection: Connection) -> bool:
    """Whether `Raw` runs statements on this connection's cursor (a statement costs
    microseconds, no round trip: one a row beats one multi-row statement)."""
    return connection.dialect.paramstyle == "qmark"


def run_each(connection: Connection, statement: Raw, params: list[dict[str, Any]]) -> list[Any]:
    """The rows of `statement` for every parameter set: one by one on the driver's cursor
    where that is cheap, else in one multi-row statement (`insertmanyvalues`)."""
    if cheap(connection):
        return statement.each(connection, params)
    return list(connection.execute(statement.statement, params))


def _compile(statement: Statement, dialect: Dialect, keys: list[str]) -> _Plan | None:
    compiled: Any = statement.compile(dialect=dialect, column_keys=keys)
    if not compiled.positional or compiled.post_compile_params:
        return None
    fixed: dict[str, Any] = {}
    for column in (*compiled.insert_prefetch, *compiled.update_prefetch):
        default = column.default if column in compiled.insert_prefetch else column.onupdate
        if default is None or not default.is_scalar:
            return None  # a Python-side function default: SQLAlchemy's execution computes it
        fixed[column.key] = default.arg
    names = tuple(compiled.positiontup)
    for name in names:
        bind = compiled.binds[name]
        if name not in fixed and name not in keys:
            if bind.callable is not None or bind.required:
                return None
            fixed[name] = bind.value
    binds = tuple(
        compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    columns = list(getattr(statement, "exported_columns", ()) or ())
    row = namedtuple("Row", [column.key for column in columns]) if columns else None  # type: ignore[misc]  # noqa: PYI024
    results = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
    )
    bound = tuple((i, p) for i, p in enumerate(binds) if p is not None)
    converted = tuple((i, p) for i, p in enumerate(results) if p is not None)
    return _Plan(str(compiled), names, fixed, row, bound, converted)


def _wrapped(connection: Connection, sql: str, values: Any, error: Exception) -> Exception:
    """The driver's error as SQLAlchemy raises it (`OperationalError` for "database is
    locked", `IntegrityError`, …), so callers tell busy from broken as for any statement."""
    return DBAPIError.instance(
        sql,
        values,
        error,
        connection.dialect.loaded_dbapi.Error,
        hide_parameters=True,  # names and texts never go into an error message
        dialect=connection.dialect,
    )


def _values(plan: _Plan, params: Mapping[str, Any]) -> list[Any]:
    fixed = plan.fixed
    values = [params[name] if name in params else fixed[name] for name in plan.names]
    for position, process in plan.bound:
        values[position] = process(values[position])
    return values


def _row(plan: _Plan, raw: Sequence[Any]) -> Any:
    if not plan.converted:
        return plan.row._make(raw)
    values = list(raw)
    for position, process in plan.converted:
        values[position] = process(values[position])
    return plan.row._make(values)
