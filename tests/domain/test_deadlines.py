"""Which deadlines an escalation has, and when each falls."""

from datetime import UTC, datetime, time, timedelta

from escalation_desk.domain.clock import BusinessCalendar, DeadlineState
from escalation_desk.domain.deadlines import (
    DeadlineKind,
    Stages,
    Targets,
    deadlines,
    describe_due,
    describe_overdue,
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
