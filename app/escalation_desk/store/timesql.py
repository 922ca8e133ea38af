"""Moments as numbers inside SQL, written the way each database computes them."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import ColumnElement, Double, Float, Integer, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

_MINUTES_PER_DAY = 1440.0


def epoch_minutes_sql(moment: Any, dialect: str) -> ColumnElement[float]:
    """A timestamp column as minutes since the Unix epoch, in whole seconds.

    Reading numbers instead of timestamps spares parsing a hundred thousand dates in Python.
    SQLite: ``unixepoch`` where it has it (3.38), else ``strftime``, half again as slow (a
    Julian day as a float carries noise below a second).
    """
    seconds: ColumnElement[Any]
    if dialect == "postgresql":
        seconds = func.floor(func.extract("epoch", moment))
    elif sqlite3.sqlite_version_info >= (3, 38):
        seconds = func.unixepoch(moment)
    else:
        seconds = func.strftime("%s", moment).cast(Integer)
    return (seconds / 60.0).cast(Float)


def minutes_between_sql(start: Any, end: Any, dialect: str) -> ColumnElement[float]:
    """The minutes from ``start`` to ``end`` (negative when ``end`` is earlier), to the
    millisecond at least."""
    if dialect == "postgresql":
        return (func.extract("epoch", end - start) / 60.0).cast(Float)
    return (func.julianday(end) - func.julianday(start)) * _MINUTES_PER_DAY


class response_minutes_sql(FunctionElement[float]):  # noqa: N801 - a SQL function, named as one
    """Minutes from escalating to acknowledging, as ``epoch_minutes_sql`` subtracts them, in
    the form a generated column of the escalations table is declared with.

    Column names alone (a generated column names no table), and ``strftime`` on SQLite: the
    expression is kept in the file's schema, which any SQLite since 3.31 must read.
    """

    type = Double()
    inherit_cache = True


@compiles(response_minutes_sql)
def _response_minutes_sqlite(_element: Any, _compiler: Any, **_kw: Any) -> str:
    return (
        "CAST(strftime('%s', acknowledged_at) AS INTEGER) / 60.0"
        " - CAST(strftime('%s', escalated_at) AS INTEGER) / 60.0"
    )


@compiles(response_minutes_sql, "postgresql")
def _response_minutes_postgresql(_element: Any, _compiler: Any, **_kw: Any) -> str:
    return (
        "CAST(floor(extract(epoch FROM acknowledged_at)) / 60.0 AS DOUBLE PRECISION)"
        " - CAST(floor(extract(epoch FROM escalated_at)) / 60.0 AS DOUBLE PRECISION)"
    )
