"""Many rows into one table through the driver's executemany, converted as the columns say."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session


def insert_many(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values in ``columns`` order) in the session's transaction.

    A Core insert of a list of dictionaries builds bound parameters row by row, which for an
    import of a hundred thousand tickets costs many times the write itself. Here each
    column's own conversion (UTC timestamps, for one) is applied and the driver does the rest.
    Column defaults are not applied: ``columns`` must name every column that needs a value.
    """
    connection = session.connection()
    dialect = connection.dialect
    conversions = [
        (index, convert)
        for index, name in enumerate(columns)
        # The dialect's own implementation of the type: SQLite's text form of a timestamp,
        # the same one ORM writes use (comparisons between the two depend on it).
        if (convert := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    converted = [_converted(row, conversions) for row in rows]
    if not converted:
        return
    names = ", ".join(columns)
    # The driver's own placeholder: "?" for sqlite3, "%s" for psycopg.
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    marks = ", ".join([mark] * len(columns))
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", converted)


def _converted(row: Sequence[Any], conversions: list[tuple[int, Any]]) -> tuple[Any, ...]:
    """``row`` as a tuple, the values of converted columns replaced (None stays None)."""
    if not conversions:
        return tuple(row)
    values = list(row)
    for index, convert in conversions:
        if values[index] is not None:
            values[index] = convert(values[index])
    return tuple(values)
