"""Timestamps are stored as SQLAlchemy's own SQLite DATETIME text, in UTC, and read back aware."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import DateTime
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import TypeEngine

from escalation_desk.store import core

DIALECT = sqlite.dialect()


def processors(column_type: TypeEngine[Any]) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """How a type writes values for SQLite and reads them back."""
    implementation = column_type.dialect_impl(DIALECT)
    write = implementation.bind_processor(DIALECT)
    read = implementation.result_processor(DIALECT, None)
    assert write is not None
    assert read is not None
    return write, read


TO_TEXT, FROM_TEXT = processors(core.escalations.c.created_at.type)
# SQLAlchemy's own DATETIME, given the same moment as a naive UTC time.
PLAIN_TO_TEXT, PLAIN_FROM_TEXT = processors(DateTime())
MOMENTS = [
    datetime(2024, 3, 12, 8, 41, tzinfo=UTC),
    datetime(2024, 3, 12, 8, 41, 5, 123456, tzinfo=UTC),
    datetime(2024, 3, 31, 1, 30, tzinfo=ZoneInfo("Europe/Berlin")),  # the DST night
    datetime(2024, 1, 1, 0, 15, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    datetime(999, 12, 31, 23, 59, tzinfo=UTC),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_timestamp_is_written_as_sqlalchemy_writes_it_in_utc(moment: datetime) -> None:
    naive_utc = moment.astimezone(UTC).replace(tzinfo=None)
    assert TO_TEXT(moment) == PLAIN_TO_TEXT(naive_utc)


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_stored_timestamp_reads_back_as_the_same_moment_in_utc(moment: datetime) -> None:
    back = FROM_TEXT(TO_TEXT(moment))
    assert back == moment
    assert back.tzinfo is UTC


@pytest.mark.parametrize("text", ["2024-03-12 08:41:00", "2024-03-12", "2024-03-12 08:41:00.5"])
def test_text_written_by_hand_reads_as_sqlalchemy_reads_it(text: str) -> None:
    assert FROM_TEXT(text) == PLAIN_FROM_TEXT(text).replace(tzinfo=UTC)


def test_empty_stays_empty_and_a_naive_timestamp_is_refused() -> None:
    assert TO_TEXT(None) is None
    assert FROM_TEXT(None) is None
    with pytest.raises(ValueError, match="timezone-aware"):
        TO_TEXT(datetime(2024, 3, 12, 8, 41))
