"""Working time counted on the windows table agrees exactly with walking the days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_desk.domain.clock import WEEKDAYS, BusinessCalendar, as_utc

# Zones with the clock changes that move working windows about: an hour, half an hour
# (Lord Howe), at midnight (Santiago, Havana, Beirut), twice a year around Ramadan
# (Casablanca), and odd offsets (Kolkata, Chatham).
ZONES = (
    "UTC",
    "Europe/London",
    "America/New_York",
    "America/Santiago",
    "America/Havana",
    "Asia/Beirut",
    "Africa/Casablanca",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Pacific/Chatham",
)
FIRST = datetime(2023, 1, 1, tzinfo=UTC)
LAST = datetime(2028, 12, 31, tzinfo=UTC)

# Mostly office-like hours, sometimes odd ones: inside a DST gap, ending at or before they
# start (a window that counts nothing), to the microsecond.
_HOUR = st.builds(time, st.integers(0, 23), st.sampled_from((0, 15, 30, 45)))
_TIME = st.one_of(_HOUR, _HOUR, st.times())
_HOURS = st.one_of(st.none(), st.tuples(_TIME, _TIME).map(lambda pair: (min(pair), max(pair))))
_ODD_HOURS = st.one_of(st.none(), st.tuples(_TIME, _TIME))


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    weekly = {
        day: hours
        for day in WEEKDAYS
        if (hours := draw(st.one_of(_HOURS, _HOURS, _HOURS, _ODD_HOURS))) is not None
    }
    if not weekly:
        weekly = {"mon": (time(9), time(17))}
    holidays = draw(
        st.frozensets(st.dates(FIRST.date(), LAST.date()), max_size=40)
        | st.builds(  # a whole run of days off, as over Christmas
            lambda first, length: frozenset(first + timedelta(days=n) for n in range(length)),
            st.dates(FIRST.date(), LAST.date()),
            st.integers(1, 30),
        )
    )
    return BusinessCalendar("Drawn", draw(st.sampled_from(ZONES)), weekly, holidays)


@st.composite
def moments(draw: st.DrawFn, zone: str) -> datetime:
    """A moment anywhere in the years drawn, often within days of a clock change."""
    moment = draw(st.datetimes(FIRST.replace(tzinfo=None), LAST.replace(tzinfo=None)))
    near_change = draw(st.booleans())
    if near_change:
        # The last Sunday of March or October, or the first of April or November: where most
        # zones above change their clocks.
        month = draw(st.sampled_from((3, 4, 10, 11)))
        day = date(moment.year, month, 1)
        moment = datetime.combine(day, moment.time()) + timedelta(
            days=draw(st.integers(0, 34)), minutes=draw(st.integers(-180, 180))
        )
    # Given in the calendar's zone or in UTC: the answer may not depend on which.
    local = draw(st.booleans())
    return moment.replace(tzinfo=ZoneInfo(zone) if local else UTC)


_SPAN = st.one_of(
    st.builds(timedelta, minutes=st.integers(0, 60 * 8 * 25)),
    st.builds(
        timedelta,
        minutes=st.integers(0, 60 * 24 * 120),
        microseconds=st.integers(0, 60_000_000),
    ),
    st.just(timedelta()),
    st.builds(timedelta, minutes=st.integers(-600, -1)),
)


def _walked_end(calendar: BusinessCalendar, start: datetime, span: timedelta) -> datetime | str:
    try:
        return calendar._walked_end(as_utc(start), span)
    except ValueError as exc:
        return str(exc)


def _end(calendar: BusinessCalendar, start: datetime, span: timedelta) -> datetime | str:
    try:
        return calendar.add_working_time(start, span)
    except ValueError as exc:
        return str(exc)


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI never fails on a new draw
)
@given(data=st.data(), calendar=calendars())
def test_adding_working_time_lands_where_the_walk_does(
    data: st.DataObject, calendar: BusinessCalendar
) -> None:
    # Several questions of one calendar: later ones reuse, or grow, the table the first built.
    for _ in range(4):
        start = data.draw(moments(calendar.timezone))
        span = data.draw(_SPAN)
        found = _end(calendar, start, span)
        assert found == _walked_end(calendar, start, span)
        if isinstance(found, datetime):
            assert found.tzinfo is UTC


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI never fails on a new draw
)
@given(data=st.data(), calendar=calendars())
def test_working_time_between_two_moments_is_the_walks(
    data: st.DataObject, calendar: BusinessCalendar
) -> None:
    for _ in range(4):
        start = data.draw(moments(calendar.timezone))
        end = start + data.draw(
            st.builds(
                timedelta, minutes=st.integers(-60, 60 * 24 * 120), seconds=st.integers(0, 59)
            )
            | st.builds(timedelta, minutes=st.integers(0, 60 * 24 * 3))
        )
        expected = calendar._walked_time(as_utc(start), as_utc(end)) if end > start else timedelta()
        assert calendar.working_time_between(start, end) == expected


def test_a_calendar_with_no_working_time_in_ten_years_says_so() -> None:
    # Hours that end before they begin hold no working time on any day.
    never = BusinessCalendar("Never", "UTC", {"mon": (time(17), time(9))})
    with pytest.raises(ValueError, match="No working time within ten years"):
        never.add_working_time(datetime(2026, 1, 5, tzinfo=UTC), timedelta(minutes=1))


def test_the_only_window_just_inside_ten_years_is_found_and_one_just_outside_is_not() -> None:
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    last_walked = start.date() + timedelta(days=3659)
    every_day = dict.fromkeys(WEEKDAYS, (time(9), time(17)))
    for opening, found in ((last_walked, True), (last_walked + timedelta(days=1), False)):
        closed = frozenset(
            start.date() + timedelta(days=n)
            for n in range(4000)
            if n != (opening - start.date()).days
        )
        calendar = BusinessCalendar("Once", "UTC", every_day, closed)
        end = _end(calendar, start, timedelta(minutes=30))
        assert end == _walked_end(calendar, start, timedelta(minutes=30))
        assert isinstance(end, datetime) == found


def test_a_zone_that_skipped_a_day_is_counted_as_the_walk_counts_it() -> None:
    # Samoa skipped Friday 30 Dec 2011: that day's hours fall where Saturday's do.
    samoa = BusinessCalendar("Apia", "Pacific/Apia", dict.fromkeys(WEEKDAYS, (time(9), time(17))))
    start = datetime(2011, 12, 28, 12, tzinfo=UTC)
    end = datetime(2012, 1, 3, 12, tzinfo=UTC)
    assert samoa.working_time_between(start, end) == samoa._walked_time(start, end)
    span = timedelta(hours=30)
    assert samoa.add_working_time(start, span) == samoa._walked_end(start, span)
    assert samoa._windows is not None
    assert not samoa._windows.regular  # so the walk counted, as nothing else agrees with it


def test_moments_years_apart_and_far_off_years_agree_with_the_walk() -> None:
    office = BusinessCalendar(
        "Office", "Europe/London", dict.fromkeys(WEEKDAYS[:5], (time(9), time(17, 30)))
    )
    for year in (2026, 2019, 2031, 1850, 2300):
        start = datetime(year, 3, 27, 16, tzinfo=UTC)
        end = datetime(year + 1, 11, 2, 10, tzinfo=UTC)
        assert office.working_time_between(start, end) == office._walked_time(start, end)
        span = timedelta(days=40)
        assert office.add_working_time(start, span) == office._walked_end(start, span)
