"""Many rows into one table through the driver's executemany, converted as the columns say."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import is_
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
    conversions = {
        index: convert
        for index, name in enumerate(columns)
        # The dialect's own implementation of the type: SQLite's text form of a timestamp,
        # the same one ORM writes use (comparisons between the two depend on it).
        if (convert := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    }
    converted = _converted(list(rows), len(columns), conversions)
    if not converted:
        return
    names = ", ".join(columns)
    # The driver's own placeholder: "?" for sqlite3, "%s" for psycopg.
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    marks = ", ".join([mark] * len(columns))
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", converted)


def _converted(
    rows: list[Sequence[Any]], width: int, conversions: dict[int, Any]
) -> list[tuple[Any, ...]]:
    """``rows`` as tuples, the values of converted columns replaced (None stays None).

    Column by column: a hundred thousand rows converted value by value in a Python loop per
    row took longer than the driver's insert of them.
    """
    if not conversions or not rows:
        return [tuple(row) for row in rows]
    values: list[Sequence[Any]] = list(zip(*rows, strict=True))
    if len(values) != width:
        raise ValueError(f"rows of {len(values)} values for {width} columns")
    done: list[tuple[Sequence[Any], Any, list[Any]]] = []
    for index, convert in conversions.items():
        column = values[index]
        # A column holding the very values of one already converted the same way (an
        # import's escalated time is its created time) takes its converted values.
        same = next(
            (out for seen, how, out in done if how is convert and all(map(is_, seen, column))),
            None,
        )
        if same is None:
            same = [None if value is None else convert(value) for value in column]
            done.append((column, convert, same))
        values[index] = same
    return list(zip(*values, strict=True))
