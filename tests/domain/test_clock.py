"""Business-minute arithmetic across evenings, weekends, holidays and DST, and deadline states."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from escalation_desk.domain.clock import (
    BusinessCalendar,
    DeadlineState,
    add_minutes,
    deadline_state,
)

LONDON = ZoneInfo("Europe/London")
WEEKDAYS = {day: (time(9), time(17)) for day in ("mon", "tue", "wed", "thu", "fri")}
OFFICE = BusinessCalendar("Office", "Europe/London", WEEKDAYS, frozenset({date(2026, 12, 25)}))


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def test_within_the_same_working_day() -> None:
    assert OFFICE.add_business_minutes(local(2026, 11, 24, 10), 90) == local(2026, 11, 24, 11, 30)


def test_rolls_over_the_evening_to_the_next_morning() -> None:
    assert OFFICE.add_business_minutes(local(2026, 11, 24, 16, 30), 60) == local(
        2026, 11, 25, 9, 30
    )


def test_friday_afternoon_lands_on_monday() -> None:
    # Fri 16:45 + 1 h: 15 minutes on Friday, 45 on Monday.
    assert OFFICE.add_business_minutes(local(2026, 11, 27, 16, 45), 60) == local(
        2026, 11, 30, 9, 45
    )


def test_a_start_outside_hours_waits_for_opening() -> None:
    assert OFFICE.add_business_minutes(local(2026, 11, 28, 12), 30) == local(2026, 11, 30, 9, 30)


def test_holidays_are_skipped() -> None:
    # Thu 24 Dec 16:00 + 2 h: 1 h on Thursday; Friday is Christmas Day; the rest on Monday.
    assert OFFICE.add_business_minutes(local(2026, 12, 24, 16), 120) == local(2026, 12, 28, 10)


def test_working_hours_follow_the_wall_clock_across_dst() -> None:
    # The clocks go back on Sun 25 Oct 2026; Monday still opens at 09:00 local (now UTC+0).
    due = OFFICE.add_business_minutes(local(2026, 10, 23, 16, 30), 60)
    assert due == local(2026, 10, 26, 9, 30)
    assert due.astimezone(UTC).hour == 9


def test_calendar_minutes_ignore_the_calendar() -> None:
    start = local(2026, 11, 27, 16, 45)
    assert add_minutes(start, 60, business=False, calendar=OFFICE) == start + timedelta(hours=1)


def test_a_calendar_without_hours_is_refused() -> None:
    with pytest.raises(ValueError, match="no working hours"):
        BusinessCalendar("Empty", "UTC", {}).add_business_minutes(local(2026, 1, 5, 9), 10)


START = datetime(2026, 11, 26, 10, tzinfo=UTC)
DUE = START + timedelta(minutes=100)


@pytest.mark.parametrize(
    ("minutes_in", "state"),
    [
        (0, DeadlineState.ON_TRACK),
        (49, DeadlineState.ON_TRACK),
        (50, DeadlineState.AT_RISK),
        (74, DeadlineState.AT_RISK),
        (75, DeadlineState.CRITICAL),
        (99, DeadlineState.CRITICAL),
        (100, DeadlineState.BREACHED),
        (400, DeadlineState.BREACHED),
    ],
)
def test_deadline_state_follows_50_75_100_percent(minutes_in: int, state: DeadlineState) -> None:
    assert deadline_state(START, DUE, START + timedelta(minutes=minutes_in)) is state


def test_a_deadline_met_in_time_stays_met_and_a_late_one_stays_breached() -> None:
    later = START + timedelta(days=3)
    assert deadline_state(START, DUE, later, done_at=DUE) is DeadlineState.MET
    late = DUE + timedelta(minutes=1)
    assert deadline_state(START, DUE, later, done_at=late) is DeadlineState.BREACHED


def test_business_minutes_between_skips_nights_weekends_and_holidays() -> None:
    assert OFFICE.business_minutes_between(local(2026, 11, 27, 16), local(2026, 11, 30, 10)) == 120
    assert OFFICE.business_minutes_between(local(2026, 12, 24, 9), local(2026, 12, 28, 9)) == 480
    assert OFFICE.business_minutes_between(local(2026, 11, 30, 10), local(2026, 11, 30, 9)) == 0


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (local(2026, 11, 30, 9), DeadlineState.ON_TRACK),  # overnight and weekend cost nothing
        (local(2026, 11, 30, 12, 59), DeadlineState.ON_TRACK),
        (local(2026, 11, 30, 13), DeadlineState.AT_RISK),  # half the working day gone
        (local(2026, 11, 30, 15), DeadlineState.CRITICAL),
        (local(2026, 11, 30, 17), DeadlineState.BREACHED),
    ],
)
def test_business_deadlines_count_their_share_in_working_minutes(
    now: datetime, state: DeadlineState
) -> None:
    escalated = local(2026, 11, 27, 17)  # Friday, as the office closes
    due = OFFICE.add_business_minutes(escalated, 480)
    assert due == local(2026, 11, 30, 17)
    assert deadline_state(escalated, due, now, calendar=OFFICE) is state
