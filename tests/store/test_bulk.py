"""Bulk inserts store each value as the column's own conversion writes it, None as NULL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select
from sqlalchemy.orm import Session

from escalation_desk.store import core
from escalation_desk.store.bulk import insert_many

METADATA = MetaData()
STAMPS = Table(
    "stamps",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("note", String(20)),
    Column("opened", core.UtcDateTime()),
    Column("escalated", core.UtcDateTime()),
    Column("closed", core.UtcDateTime()),
)
COLUMNS = ("id", "note", "opened", "escalated", "closed")


def stored(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    engine = create_engine("sqlite://")
    METADATA.create_all(engine)
    with Session(engine) as s:
        insert_many(s, STAMPS, COLUMNS, rows)
        return [tuple(r) for r in s.execute(select(STAMPS).order_by(STAMPS.c.id))]


def test_rows_come_back_as_written_in_utc() -> None:
    berlin = timezone(timedelta(hours=1))
    first = datetime(2024, 3, 12, 8, 41, tzinfo=UTC)
    # The escalated time is the very opened time, as an import writes it; the second row's
    # times are equal to the first's without being the same objects, and in another zone.
    rows: list[tuple[object, ...]] = [
        (1, "a", first, first, None),
        (2, None, first.astimezone(berlin), datetime(2024, 3, 12, 8, 41, tzinfo=UTC), first),
        (3, "c", None, None, None),
    ]
    assert stored(rows) == [
        (1, "a", first, first, None),
        (2, None, first, first, first),
        (3, "c", None, None, None),
    ]


def test_nothing_to_insert_is_no_statement() -> None:
    assert stored([]) == []


def test_rows_of_another_width_are_refused() -> None:
    with pytest.raises(ValueError, match="rows of 2 values for 5 columns"):
        stored([(1, "a")])
    with pytest.raises(ValueError, match="shorter"):  # a row of four among rows of five
        stored([(1, "a", None, None, None), (2, "b", None, None)])
