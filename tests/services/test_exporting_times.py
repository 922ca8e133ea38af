"""The workbook's times read as the reader's local clock shows them, to the minute, in any zone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from escalation_desk.services.exporting import _local

pytestmark = pytest.mark.skipif(not hasattr(time, "tzset"), reason="the zone is set through TZ")


@pytest.fixture
def local_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


# Whole hours, half and quarter hours, and clocks that change at 02:00, 00:00 or by 30 min.
@pytest.mark.parametrize(
    "local_zone",
    [
        "UTC",
        "Europe/London",
        "America/St_Johns",
        "Asia/Kathmandu",
        "America/Santiago",
        "Australia/Lord_Howe",
    ],
    indirect=True,
)
def test_times_are_the_local_clock_to_the_minute(local_zone: str) -> None:
    # Every 7 min 13.5 s through a year: every minute's second, and each clock change.
    start = datetime(2026, 1, 1, tzinfo=UTC)
    offsets = set()
    for step in range(72_000):
        moment = start + timedelta(seconds=433.5 * step)
        shown = moment.astimezone()
        offsets.add(shown.utcoffset())
        assert _local(moment) == shown.replace(tzinfo=None, second=0, microsecond=0)
    # The zone did apply: its clock changes were crossed.
    assert len(offsets) == (1 if local_zone in ("UTC", "Asia/Kathmandu") else 2)
    assert _local(None) is None


@pytest.mark.parametrize("local_zone", ["Africa/Monrovia"], indirect=True)
def test_times_before_1973_keep_offsets_with_seconds(local_zone: str) -> None:
    # Liberia kept -0:44:30 until 1972: its clock read 11:16:00 at 12:00:30 UTC.
    moment = datetime(1971, 6, 1, 12, 0, 30, tzinfo=UTC)
    assert moment.astimezone().utcoffset() == -timedelta(minutes=44, seconds=30)
    assert _local(moment) == datetime(1971, 6, 1, 11, 16)
    assert _local(datetime(1980, 6, 1, 12, 0, 30, tzinfo=UTC)) == datetime(1980, 6, 1, 12, 0)
