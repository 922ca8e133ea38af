"""The running clocks answer "which deadline comes next" and "is any past due" as the full
deadlines do, for any stages, targets, pauses and calendar."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_desk.domain.clock import WEEKDAYS, BusinessCalendar, DeadlineState
from escalation_desk.domain.deadlines import (
    DeadlineKind,
    Stages,
    Targets,
    clocks,
    deadlines,
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
