"""Which deadlines an escalation has, when each falls (pauses included), and why."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from escalation_desk.domain.clock import BusinessCalendar, DeadlineState
from escalation_desk.domain.deadlines import (
    Deadline,
    DeadlineKind,
    Stages,
    Targets,
    deadlines,
    describe_due,
    describe_overdue,
    explain,
)
from escalation_desk.domain.durations import Duration
from escalation_desk.domain.lifecycle import Status

T0 = datetime(2026, 11, 26, 10, tzinfo=UTC)
P1 = Targets(Duration(30), Duration(60), Duration(240))


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def by_kind(found: list) -> dict:  # type: ignore[type-arg]
    return {d.kind: d for d in found}


def test_no_deadline_before_escalation() -> None:
    assert deadlines(Stages(Status.NEW, None), P1, at(500)) == []


def test_escalated_but_unacknowledged_has_response_and_resolution_clocks() -> None:
    found = by_kind(deadlines(Stages(Status.ESCALATED, T0), P1, at(20)))
    assert set(found) == {DeadlineKind.RESPONSE, DeadlineKind.RESOLUTION}
    assert found[DeadlineKind.RESPONSE].due == at(30)
    assert found[DeadlineKind.RESPONSE].state is DeadlineState.AT_RISK
    assert found[DeadlineKind.RESOLUTION].due == at(240)


def test_acknowledgement_stops_the_response_clock_and_starts_updates() -> None:
    stages = Stages(Status.IN_PROGRESS, T0, acknowledged_at=at(25), last_update_at=at(70))
    found = by_kind(deadlines(stages, P1, at(200)))
    assert found[DeadlineKind.RESPONSE].state is DeadlineState.MET
    assert not found[DeadlineKind.RESPONSE].running
    # The next update is due one cadence after the latest update.
    assert found[DeadlineKind.UPDATE].due == at(130)
    assert found[DeadlineKind.UPDATE].state is DeadlineState.BREACHED


def test_resolved_escalations_owe_no_more_updates() -> None:
    stages = Stages(Status.RESOLVED, T0, acknowledged_at=at(10), resolved_at=at(300))
    found = by_kind(deadlines(stages, P1, at(400)))
    assert DeadlineKind.UPDATE not in found
    assert found[DeadlineKind.RESOLUTION].state is DeadlineState.BREACHED
    assert found[DeadlineKind.RESOLUTION].overdue_by(at(999)) == 60


def test_overdue_phrase_rounds_long_delays_to_hours() -> None:
    found = by_kind(deadlines(Stages(Status.ESCALATED, T0), P1, at(30 + 80)))
    assert describe_overdue(found[DeadlineKind.RESPONSE], at(30 + 80)) == "Response 1 h 20 min late"
    later = at(30 + 26 * 60 + 40)
    assert describe_overdue(found[DeadlineKind.RESPONSE], later) == "Response 1 day 3 h late"


def test_handing_back_stops_the_clocks_of_the_escalation() -> None:
    stages = Stages(
        Status.HANDED_BACK,
        T0,
        acknowledged_at=at(20),
        last_update_at=at(50),
        handed_back_at=at(200),
    )
    found = by_kind(deadlines(stages, P1, at(900)))
    assert DeadlineKind.UPDATE not in found  # support owns it again: no engineering updates
    assert found[DeadlineKind.RESOLUTION].state is DeadlineState.MET
    assert not found[DeadlineKind.RESOLUTION].running


def test_no_updates_are_owed_before_acknowledgement() -> None:
    found = by_kind(deadlines(Stages(Status.ESCALATED, T0), P1, at(100)))
    assert DeadlineKind.UPDATE not in found


def test_business_targets_fall_in_working_hours() -> None:
    office = BusinessCalendar(
        "Office", "UTC", {d: (time(9), time(17)) for d in ("mon", "tue", "wed", "thu", "fri")}
    )
    friday_evening = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)
    targets = Targets(Duration(60, business=True))
    found = by_kind(
        deadlines(
            Stages(Status.ESCALATED, friday_evening),
            targets,
            datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
            calendar=office,
        )
    )
    response = found[DeadlineKind.RESPONSE]
    assert response.due == datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    assert response.state is DeadlineState.AT_RISK  # 30 of 60 working minutes used


def test_phrases_never_say_immediately() -> None:
    found = by_kind(deadlines(Stages(Status.ESCALATED, T0), P1, at(29)))
    response = found[DeadlineKind.RESPONSE]
    assert (
        describe_due(response, at(29) + timedelta(seconds=30)) == "Response due in under a minute"
    )
    assert describe_overdue(response, at(30) + timedelta(seconds=20)) == (
        "Response under a minute late"
    )


# --- pauses: waiting on the customer stops the clock ----------------------------------------

LONDON = ZoneInfo("Europe/London")
OFFICE = BusinessCalendar(
    "Office",
    "Europe/London",
    {d: (time(9), time(17)) for d in ("mon", "tue", "wed", "thu", "fri")},
    frozenset({date(2026, 12, 25)}),
)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def test_a_pause_inside_a_24_7_response_window_moves_it_back() -> None:
    stages = Stages(Status.ESCALATED, T0, paused=((at(10), at(35)),))
    found = by_kind(deadlines(stages, P1, at(50)))
    response = found[DeadlineKind.RESPONSE]
    assert response.due == at(55)
    assert response.paused_minutes == 25
    assert response.state is DeadlineState.CRITICAL  # 25 of 30 running minutes used
    assert found[DeadlineKind.RESOLUTION].due == at(240 + 25)


def test_a_pause_over_a_weekend_moves_a_business_target_by_working_minutes_only() -> None:
    targets = Targets(Duration(120, business=True))
    friday = local(2026, 11, 27, 16)

    def response(paused: tuple[tuple[datetime, datetime | None], ...]) -> Deadline:
        stages = Stages(Status.ESCALATED, friday, paused=paused)
        return deadlines(stages, targets, local(2026, 11, 30, 10), calendar=OFFICE)[0]

    plain = response(())
    assert plain.due == local(2026, 11, 30, 10)
    # Paused from Friday evening to Monday morning, all outside working hours: no change.
    assert response(((local(2026, 11, 27, 18), local(2026, 11, 30, 8)),)) == plain
    # Paused Fri 16:30 to Mon 09:30: 30 working minutes on each side of the weekend.
    shifted = response(((local(2026, 11, 27, 16, 30), local(2026, 11, 30, 9, 30)),))
    assert shifted.due == local(2026, 11, 30, 11)
    assert shifted.paused_minutes == 60
    assert shifted.state is DeadlineState.AT_RISK  # 60 of 120 working minutes used


def test_while_still_paused_a_running_deadline_does_not_advance() -> None:
    stages = Stages(Status.ESCALATED, T0, paused=((at(20), None),))
    for now in (at(25), at(300), at(3000)):
        response = by_kind(deadlines(stages, P1, now))[DeadlineKind.RESPONSE]
        assert response.state is DeadlineState.AT_RISK  # 20 of 30 minutes, as at the pause
        assert response.due == now + timedelta(minutes=10)  # the 10 minutes left wait
        assert describe_due(response, now) == "Response due in 10 min"


def test_a_deadline_already_breached_stays_breached_when_paused_later() -> None:
    stages = Stages(Status.ESCALATED, T0, paused=((at(40), None),))
    response = by_kind(deadlines(stages, P1, at(90)))[DeadlineKind.RESPONSE]
    assert response.due == at(30)
    assert response.state is DeadlineState.BREACHED
    assert response.paused_minutes == 0


def test_several_pauses_add_up_and_overlaps_count_once() -> None:
    pauses = ((at(10), at(20)), (at(30), at(45)), (at(40), at(50)), (at(100), at(130)))
    stages = Stages(Status.ESCALATED, T0, paused=pauses)
    found = by_kind(deadlines(stages, P1, at(200)))
    # 10 + 20 minutes before the response was due; the pause at 100 came after it.
    assert found[DeadlineKind.RESPONSE].due == at(60)
    assert found[DeadlineKind.RESPONSE].paused_minutes == 30
    assert found[DeadlineKind.RESPONSE].state is DeadlineState.BREACHED
    assert found[DeadlineKind.RESOLUTION].due == at(240 + 60)
    assert found[DeadlineKind.RESOLUTION].paused_minutes == 60


def test_done_deadlines_count_pauses_up_to_when_they_were_done() -> None:
    # Acknowledged 35 minutes in, with 10 minutes paused before: met.
    stages = Stages(
        Status.ACKNOWLEDGED, T0, acknowledged_at=at(35), paused=((at(5), at(15)), (at(36), None))
    )
    response = by_kind(deadlines(stages, P1, at(400)))[DeadlineKind.RESPONSE]
    assert response.due == at(40)
    assert response.paused_minutes == 10  # the pause after the acknowledgement is not counted
    assert response.state is DeadlineState.MET


def test_the_update_clock_counts_pauses_from_the_last_update_only() -> None:
    stages = Stages(
        Status.IN_PROGRESS,
        T0,
        acknowledged_at=at(10),
        last_update_at=at(60),
        paused=((at(20), at(50)), (at(70), at(80))),
    )
    update = by_kind(deadlines(stages, P1, at(100)))[DeadlineKind.UPDATE]
    assert update.due == at(130)
    assert update.paused_minutes == 10


# --- explanations ---------------------------------------------------------------------------


def explained(
    start: datetime,
    target: Duration,
    *,
    kind: DeadlineKind = DeadlineKind.RESPONSE,
    calendar: BusinessCalendar | None = OFFICE,
    level: str = "P1",
    paused: tuple[tuple[datetime, datetime | None], ...] = (),
    tz: str = "UTC",
    now: datetime | None = None,
) -> str:
    if kind is DeadlineKind.UPDATE:
        stages = Stages(Status.IN_PROGRESS, start, acknowledged_at=start, paused=paused)
        targets = Targets(None, update_every=target)
    else:
        stages = Stages(Status.ESCALATED, start, paused=paused)
        targets = Targets(target)
    (deadline,) = deadlines(stages, targets, now or start, calendar=calendar)
    return explain(deadline, level, calendar, paused_minutes=deadline.paused_minutes, tz=tz)


def test_explains_a_24_7_target() -> None:
    start = datetime(2026, 11, 26, 14, tzinfo=UTC)
    assert explained(start, Duration(30)) == "due 14:30 = escalated 14:00 + 30 min P1 target, 24/7"


def test_explains_a_business_target_over_a_weekend() -> None:
    assert explained(local(2026, 11, 27, 16, 45), Duration(60, business=True)) == (
        "due Mon 09:45 = escalated Fri 16:45 + 1 h P1 target, business hours Mon-Fri 09:00-17:00"
    )


def test_the_update_clock_counts_from_the_last_update() -> None:
    start = datetime(2026, 11, 26, 14, tzinfo=UTC)
    text = explained(start, Duration(60), kind=DeadlineKind.UPDATE, level="P2")
    assert text == "due 15:00 = last update 14:00 + 1 h P2 target, 24/7"


def test_explains_a_holiday_on_the_way() -> None:
    # Thu 24 Dec 16:00 + 2 h: one hour on Thursday, Christmas Day closed, the rest on Monday.
    assert explained(local(2026, 12, 24, 16), Duration(120, business=True), level="P2") == (
        "due Mon 10:00 = escalated Thu 16:00 + 2 h P2 target, "
        "business hours Mon-Fri 09:00-17:00 (closed Fri 25 Dec)"
    )


def test_dates_are_shown_when_more_than_six_days_apart() -> None:
    assert explained(local(2026, 3, 2, 9), Duration(4800, business=True), level="P3") == (
        "due Fri 13 Mar 17:00 = escalated Mon 2 Mar 09:00 + 10 business days P3 target, "
        "business hours Mon-Fri 09:00-17:00"
    )


def test_a_24_7_target_across_midnight_names_the_days() -> None:
    start = datetime(2026, 11, 26, 22, tzinfo=UTC)
    assert explained(start, Duration(240)) == (
        "due Fri 02:00 = escalated Thu 22:00 + 4 h P1 target, 24/7"
    )


def test_explains_paused_time() -> None:
    start = datetime(2026, 11, 26, 14, tzinfo=UTC)
    paused = ((start + timedelta(minutes=5), start + timedelta(minutes=30)),)
    assert explained(start, Duration(30), paused=paused, now=start + timedelta(hours=1)) == (
        "due 14:55 = escalated 14:00 + 30 min P1 target, 24/7 + 25 min paused"
    )


def test_24_7_times_follow_the_zone_asked_for() -> None:
    start = datetime(2026, 7, 1, 13, tzinfo=UTC)
    assert explained(start, Duration(30), tz="Europe/London") == (
        "due 14:30 = escalated 14:00 + 30 min P1 target, 24/7"
    )


def test_business_times_are_in_the_calendar_zone() -> None:
    new_york = BusinessCalendar(
        "NY", "America/New_York", {d: (time(9), time(17)) for d in ("mon", "tue", "wed")}
    )
    start = datetime(2026, 11, 25, 21, 30, tzinfo=UTC)  # Wed 16:30 in New York
    assert explained(start, Duration(60, business=True), calendar=new_york, tz="UTC") == (
        "due Mon 09:30 = escalated Wed 16:30 + 1 h P1 target, business hours Mon-Wed 09:00-17:00"
    )


def test_a_business_target_without_a_calendar_is_explained_as_24_7() -> None:
    start = datetime(2026, 11, 26, 14, tzinfo=UTC)
    assert explained(start, Duration(60, business=True), calendar=None, level="") == (
        "due 15:00 = escalated 14:00 + 1 h target, 24/7"
    )


@pytest.mark.parametrize(
    ("start", "text"),
    [
        # The clocks go back at 02:00 BST on Sun 25 Oct 2026: 2 h later reads 01:30 again.
        (local(2026, 10, 25, 0, 30), "due 01:30 GMT = escalated 00:30 BST + 2 h P1 target, 24/7"),
        # They go forward at 01:00 GMT on Sun 29 Mar 2026.
        (local(2026, 3, 29, 0, 30), "due 03:30 BST = escalated 00:30 GMT + 2 h P1 target, 24/7"),
    ],
)
def test_24_7_explanations_name_the_zone_when_the_clocks_change(start: datetime, text: str) -> None:
    assert explained(start, Duration(120), tz="Europe/London") == text


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (local(2026, 10, 23, 16, 30), "Mon 09:30"),  # the clocks go back that weekend
        (local(2026, 3, 27, 16, 30), "Mon 09:30"),  # the clocks go forward that weekend
    ],
)
def test_business_hours_keep_their_wall_clock_times_across_dst(start: datetime, due: str) -> None:
    assert explained(start, Duration(60, business=True)) == (
        f"due {due} = escalated Fri 16:30 + 1 h P1 target, business hours Mon-Fri 09:00-17:00"
    )
