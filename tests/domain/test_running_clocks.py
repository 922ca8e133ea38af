"""The running clocks answer "which deadline comes next" and "is any past due" as the full
deadlines do, for any stages, targets, pauses and calendar."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_desk.domain.clock import WEEKDAYS, BusinessCalendar, DeadlineState
from escalation_desk.domain.deadlines import (
    DeadlineKind,
    Stages,
    Targets,
    clocks,
    deadlines,
    next_deadline,
    past_due,
    running_clocks,
    soonest,
)
from escalation_desk.domain.durations import Duration
from escalation_desk.domain.lifecycle import Status

T0 = datetime(2026, 10, 23, 15, tzinfo=UTC)  # a Friday afternoon before London's clocks go back
LONDON = BusinessCalendar(
    "Office", "Europe/London", dict.fromkeys(WEEKDAYS[:5], (time(9), time(17, 30)))
)

# Working hours that hold no working time: every business target is refused.
NIGHTS = BusinessCalendar("Nights", "UTC", dict.fromkeys(WEEKDAYS, (time(22), time(6))))

_MOMENT = st.integers(0, 60 * 24 * 12).map(lambda minutes: T0 + timedelta(minutes=minutes))
_LATER = st.none() | _MOMENT
_TARGET = st.none() | st.builds(Duration, st.integers(0, 60 * 24 * 3), st.booleans())


@st.composite
def _stages(draw: st.DrawFn) -> Stages:
    pauses = draw(
        st.lists(st.tuples(_MOMENT, st.none() | st.integers(1, 600)), max_size=3).map(
            lambda drawn: tuple(
                (start, None if length is None else start + timedelta(minutes=length))
                for start, length in sorted(drawn, key=lambda pause: pause[0])
            )
        )
    )
    # Stored times are UTC; a caller may hand them in any zone.
    zone = draw(st.sampled_from((UTC, ZoneInfo("Europe/London"))))
    escalated = draw(st.none() | _MOMENT)
    return Stages(
        draw(st.sampled_from(Status)),
        escalated.astimezone(zone) if escalated else None,
        draw(_LATER),
        draw(_LATER),
        draw(_LATER),
        draw(_LATER),
        paused=pauses,
    )


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    stages=_stages(),
    targets=st.builds(Targets, _TARGET, _TARGET, _TARGET),
    now=_MOMENT,
    calendar=st.none() | st.just(LONDON),
)
def test_the_next_deadline_and_breaches_are_those_of_the_full_deadlines(
    stages: Stages, targets: Targets, now: datetime, calendar: BusinessCalendar | None
) -> None:
    full = deadlines(stages, targets, now, calendar=calendar)
    running = running_clocks(stages, targets, now, calendar=calendar)
    still = [d for d in full if d.running]
    assert [(clock[0], due) for clock, due, _ in running] == [(d.kind, d.due) for d in still]
    expected = min(still, key=lambda d: d.due) if still else None
    assert soonest(running, now, paused=stages.paused, calendar=calendar) == expected
    breached = any(d.state is DeadlineState.BREACHED for d in still)
    assert any(past_due(clock, now) for clock in running) == breached


@settings(max_examples=500, deadline=None, derandomize=True)
@given(
    stages=_stages(),
    targets=st.builds(Targets, _TARGET, _TARGET, _TARGET),
    now=_MOMENT,
    calendar=st.sampled_from((None, LONDON, NIGHTS)),
)
def test_the_next_deadline_is_the_soonest_of_the_running_clocks(
    stages: Stages, targets: Targets, now: datetime, calendar: BusinessCalendar | None
) -> None:
    _assert_next_is_soonest(stages, targets, now, calendar)


# (status, response, update, resolution): clocks that come later or at the same time as
# the first are passed over, and the first of those due together is still the one given.
_PASSED_OVER = [
    (Status.ESCALATED, Duration(30), Duration(60), Duration(240)),
    (Status.ESCALATED, Duration(120), Duration(240), Duration(480, business=True)),
    (Status.ESCALATED, Duration(480, True), Duration(480, True), Duration(2400, True)),
    (Status.ESCALATED, Duration(240), None, Duration(240)),
    (Status.ESCALATED, Duration(480, True), None, Duration(480)),
    (Status.IN_PROGRESS, Duration(30), Duration(60), Duration(60)),
    (Status.IN_PROGRESS, Duration(30), Duration(600, True), Duration(90, True)),
    (Status.IN_PROGRESS, Duration(30), Duration(0), Duration(0, True)),
]


@pytest.mark.parametrize(("status", "response", "update", "resolution"), _PASSED_OVER)
@pytest.mark.parametrize("calendar", [None, LONDON, NIGHTS])
@pytest.mark.parametrize("escalated", [T0, T0 + timedelta(days=1, hours=20)])
def test_passing_clocks_over_keeps_the_soonest(
    status: Status,
    response: Duration,
    update: Duration | None,
    resolution: Duration,
    calendar: BusinessCalendar | None,
    escalated: datetime,
) -> None:
    acknowledged = escalated + timedelta(minutes=20) if status is Status.IN_PROGRESS else None
    stages = Stages(status, escalated, acknowledged)
    targets = Targets(response, update, resolution)
    _assert_next_is_soonest(stages, targets, escalated + timedelta(hours=3), calendar)


def test_of_two_clocks_due_together_the_first_is_given() -> None:
    monday = datetime(2026, 10, 26, 8, 30, tzinfo=UTC)  # London opens at 09:00 GMT
    stages = Stages(Status.ESCALATED, monday)
    targets = Targets(Duration(60), None, Duration(30, business=True))
    found = next_deadline(stages, targets, monday, calendar=LONDON)
    assert found is not None
    assert (found.kind, found.due) == (DeadlineKind.RESPONSE, monday + timedelta(hours=1))
    _assert_next_is_soonest(stages, targets, monday, LONDON)


def test_times_in_a_zone_are_compared_as_soonest_compares_them() -> None:
    # 01:50 BST and 01:10 GMT, 20 minutes later: within one zone Python compares the wall
    # clocks, and so does soonest(); only UTC times are passed over.
    london = ZoneInfo("Europe/London")
    escalated = datetime(2026, 10, 24, 23, 40, tzinfo=UTC).astimezone(london)
    stages = Stages(Status.ESCALATED, escalated)
    targets = Targets(Duration(70), None, Duration(90))
    _assert_next_is_soonest(stages, targets, escalated, None)


def _assert_next_is_soonest(
    stages: Stages, targets: Targets, now: datetime, calendar: BusinessCalendar | None
) -> None:
    """next_deadline gives what soonest gives of every running clock, or refuses as it does."""
    try:
        running = running_clocks(stages, targets, now, calendar=calendar)
    except ValueError as refused:
        with pytest.raises(ValueError, match=str(refused)):
            next_deadline(stages, targets, now, calendar=calendar)
        return
    expected = soonest(running, now, paused=stages.paused, calendar=calendar)
    assert next_deadline(stages, targets, now, calendar=calendar) == expected


def test_a_handed_back_escalation_stops_its_resolution_clock_there() -> None:
    stages = Stages(
        Status.HANDED_BACK, T0, T0 + timedelta(minutes=5), handed_back_at=T0 + timedelta(hours=1)
    )
    targets = Targets(Duration(30), Duration(60), Duration(240))
    assert [(kind, done) for kind, _, _, done in clocks(stages, targets)] == [
        (DeadlineKind.RESPONSE, T0 + timedelta(minutes=5)),
        (DeadlineKind.RESOLUTION, T0 + timedelta(hours=1)),
    ]
    assert running_clocks(stages, targets, T0 + timedelta(hours=2)) == []
