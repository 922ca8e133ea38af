"""Clock arithmetic across evenings, weekends, holidays, DST and pauses, and deadline states."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from escalation_desk.domain.clock import (
    BusinessCalendar,
    DeadlineState,
    add_minutes,
    deadline_state,
    paused_due,
    paused_since,
    running_time,
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


def test_calendar_minutes_are_real_minutes_across_the_clocks_going_back() -> None:
    # 00:30 BST on Sun 25 Oct 2026 plus 2 h of real time is 01:30 GMT, not 02:30.
    due = add_minutes(local(2026, 10, 25, 0, 30), 120, business=False, calendar=None)
    assert due.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert due.utcoffset() == timedelta(0)


def test_calendar_minutes_are_real_minutes_across_the_clocks_going_forward() -> None:
    # 00:30 GMT on Sun 29 Mar 2026 plus 2 h is 03:30 BST.
    due = add_minutes(local(2026, 3, 29, 0, 30), 120, business=False, calendar=None)
    assert due.astimezone(UTC) == datetime(2026, 3, 29, 2, 30, tzinfo=UTC)
    assert (due.hour, due.minute) == (3, 30)


def test_deadline_state_counts_real_time_across_dst() -> None:
    # 2 h from 00:30 BST (23:30 UTC) on the night the clocks go back: 80 real minutes in,
    # two thirds are used, whatever the wall clock says.
    start = local(2026, 10, 25, 0, 30)
    due = add_minutes(start, 120, business=False, calendar=None)
    now = datetime(2026, 10, 25, 0, 50, tzinfo=UTC)
    assert deadline_state(start, due, now) is DeadlineState.AT_RISK


def test_working_time_is_counted_to_the_second() -> None:
    start = local(2026, 11, 24, 10, 0, 30)
    assert OFFICE.working_time_between(start, local(2026, 11, 24, 10, 2)) == timedelta(seconds=90)
    assert OFFICE.business_minutes_between(start, local(2026, 11, 24, 10, 2)) == 1
    assert OFFICE.add_working_time(local(2026, 11, 27, 16, 59), timedelta(minutes=2)) == local(
        2026, 11, 30, 9, 1
    )


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (WEEKDAYS, "Mon-Fri 09:00-17:00"),
        ({d: (time(9), time(13)) for d in ("mon", "wed", "fri")}, "Mon, Wed, Fri 09:00-13:00"),
        (
            {
                **{d: (time(9), time(17)) for d in ("mon", "tue", "wed", "thu")},
                "fri": (time(9), time(16)),
            },
            "Mon-Thu 09:00-17:00; Fri 09:00-16:00",
        ),
        ({d: (time(10), time(14)) for d in ("sat", "sun")}, "Sat, Sun 10:00-14:00"),
        (
            {d: (time(8), time(20)) for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            "every day 08:00-20:00",
        ),
        ({}, "no working hours"),
    ],
)
def test_working_hours_are_described_as_people_write_them(
    hours: dict[str, tuple[time, time]], text: str
) -> None:
    assert BusinessCalendar("C", "UTC", hours).hours_text() == text


def test_only_working_days_count_as_holidays() -> None:
    calendar = BusinessCalendar(
        "C", "UTC", WEEKDAYS, frozenset({date(2026, 12, 25), date(2026, 12, 26)})
    )
    assert calendar.is_holiday(date(2026, 12, 25))  # a Friday
    assert not calendar.is_holiday(date(2026, 12, 26))  # a Saturday: closed anyway
    assert not calendar.is_holiday(date(2026, 12, 24))


# --- pauses --------------------------------------------------------------------------------


def utc(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 26, hour, minute, tzinfo=UTC)


def test_without_pauses_the_due_time_is_the_plain_sum() -> None:
    assert paused_due(utc(10), 30, (), now=utc(10, 5)) == (utc(10, 30), 0)


def test_a_pause_after_the_start_moves_the_due_time() -> None:
    due, held = paused_due(utc(10), 30, ((utc(10, 10), utc(10, 35)),), now=utc(10, 50))
    assert (due, held) == (utc(10, 55), 25)


def test_pauses_before_the_start_or_after_the_time_ran_out_change_nothing() -> None:
    pauses = ((utc(9), utc(10, 5)), (utc(10, 40), utc(11)))
    # Only the five minutes after the start count.
    assert paused_due(utc(10), 30, pauses, now=utc(12)) == (utc(10, 35), 5)


def test_a_pause_not_yet_begun_is_ignored() -> None:
    assert paused_due(utc(10), 30, ((utc(10, 20), None),), now=utc(10, 10)) == (utc(10, 30), 0)


def test_an_open_pause_runs_until_now() -> None:
    due, held = paused_due(utc(10), 30, ((utc(10, 10), None),), now=utc(12))
    assert (due, held) == (utc(12, 20), 110)


def test_pauses_after_the_clock_stopped_are_ignored() -> None:
    pauses = ((utc(10, 5), utc(10, 15)), (utc(10, 25), utc(11)))
    due, held = paused_due(utc(10), 30, pauses, now=utc(12), until=utc(10, 25))
    assert (due, held) == (utc(10, 40), 10)


def test_overlapping_pauses_count_once() -> None:
    pauses = ((utc(10, 30), utc(10, 45)), (utc(10, 10), utc(10, 20)), (utc(10, 40), utc(10, 50)))
    due, held = paused_due(utc(10), 60, pauses, now=utc(13))
    assert (due, held) == (utc(11, 30), 30)


def test_a_pause_over_a_weekend_costs_only_its_working_minutes() -> None:
    # Fri 16:00 + 2 working hours would be Mon 10:00; paused Fri 16:30 to Mon 09:30 holds
    # 30 working minutes on each side of the weekend.
    pauses = ((local(2026, 11, 27, 16, 30), local(2026, 11, 30, 9, 30)),)
    due, held = paused_due(
        local(2026, 11, 27, 16), 120, pauses, now=local(2026, 11, 30, 10), calendar=OFFICE
    )
    assert (due, held) == (local(2026, 11, 30, 11), 60)


def test_running_time_leaves_out_pauses_and_closed_hours() -> None:
    pauses = ((local(2026, 11, 27, 16, 30), None),)
    ran = running_time(
        local(2026, 11, 27, 16),
        local(2026, 11, 30, 12),
        pauses,
        now=local(2026, 11, 30, 12),
        calendar=OFFICE,
    )
    assert ran == timedelta(minutes=30)
    assert running_time(utc(10), utc(11), ((utc(10, 15), utc(10, 30)),), now=utc(11)) == timedelta(
        minutes=45
    )


def test_paused_since_finds_the_open_pause() -> None:
    pauses = ((utc(9), utc(9, 30)), (utc(10), None))
    assert paused_since(pauses, utc(11)) == utc(10)
    assert paused_since(pauses, utc(9, 15)) == utc(9)
    assert paused_since(pauses, utc(9, 45)) is None


def test_while_paused_the_state_holds_at_what_it_was() -> None:
    pauses = ((utc(10, 20), None),)  # 20 of 30 minutes used when the pause began
    for now in (utc(10, 25), utc(13), utc(23)):
        due, _ = paused_due(utc(10), 30, pauses, now=now)
        assert deadline_state(utc(10), due, now, paused=pauses) is DeadlineState.AT_RISK


def test_after_a_pause_the_state_counts_only_running_time() -> None:
    pauses = ((utc(10, 10), utc(11, 10)),)
    due, _ = paused_due(utc(10), 30, pauses, now=utc(11, 14))
    assert due == utc(11, 30)
    assert deadline_state(utc(10), due, utc(11, 14), paused=pauses) is DeadlineState.ON_TRACK
    assert deadline_state(utc(10), due, utc(11, 15), paused=pauses) is DeadlineState.AT_RISK
    assert deadline_state(utc(10), due, utc(11, 30), paused=pauses) is DeadlineState.BREACHED
