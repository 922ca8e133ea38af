"""Moments as numbers inside SQL, written the way each database computes them."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, func

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
