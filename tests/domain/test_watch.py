"""The "due to escalate" watch: each kind of item firing and not, and the order they come in."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from escalation_desk.domain.clock import BusinessCalendar, Thresholds
from escalation_desk.domain.deadlines import Stages
from escalation_desk.domain.durations import Duration
from escalation_desk.domain.lifecycle import Status
from escalation_desk.domain.matrix import SeverityLevel, Trigger, TriggerKind
from escalation_desk.domain.watch import WatchInput, WatchItem, WatchKind, watch

T0 = datetime(2026, 11, 26, 10, tzinfo=UTC)  # a Thursday

P1 = SeverityLevel(
    "P1",
    "Critical",
    1,
    "#d32f2f",
    Duration(30),
    update_every=Duration(60),
    target_resolution=Duration(240),
    triggers=(
        Trigger(TriggerKind.IMPACT, system_wide=True),
        Trigger(TriggerKind.TIME, after=Duration(120)),
        Trigger(TriggerKind.TIME, after=Duration(240)),
        Trigger(TriggerKind.SCOPE, "Needs code-level investigation"),
    ),
)
P3 = SeverityLevel("P3", "Minor", 3, "#1976d2", Duration(240), update_every=Duration(480))


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def entry(
    stages: Stages,
    *,
    ref: str = "SUP-1",
    level: SeverityLevel = P1,
    progress: datetime | None = None,
    reassigned: int = 0,
    calendar: BusinessCalendar | None = None,
) -> WatchInput:
    return WatchInput(ref, "Checkout fails", level, stages, progress, reassigned, calendar)


# In progress with every clock comfortable: acknowledged at 10, updated at 100.
CALM = Stages(Status.IN_PROGRESS, T0, acknowledged_at=at(10), last_update_at=at(100))


def of_kind(items: list[WatchItem], kind: WatchKind) -> list[WatchItem]:
    return [item for item in items if item.kind is kind]


def test_a_calm_escalation_is_not_watched() -> None:
    assert watch([entry(CALM, progress=at(100))], at(110)) == []


def test_a_time_trigger_fires_after_no_progress() -> None:
    items = watch([entry(CALM, progress=at(100))], at(100 + 130))
    (fired,) = of_kind(items, WatchKind.TRIGGER_FIRED)
    assert fired.text == "No progress for 2 h 10 min on a P1 (trigger: No progress after 2 h)"
    assert fired.ref == "SUP-1"


def test_a_time_trigger_holds_before_its_time() -> None:
    assert (
        of_kind(watch([entry(CALM, progress=at(100))], at(100 + 119)), WatchKind.TRIGGER_FIRED)
        == []
    )


def test_the_longest_trigger_passed_is_the_one_reported() -> None:
    (fired,) = of_kind(watch([entry(CALM, progress=at(0))], at(250)), WatchKind.TRIGGER_FIRED)
    assert fired.text == "No progress for 4 h 10 min on a P1 (trigger: No progress after 4 h)"


def test_without_progress_the_trigger_counts_from_escalation() -> None:
    (fired,) = of_kind(watch([entry(CALM)], at(125)), WatchKind.TRIGGER_FIRED)
    assert fired.text.startswith("No progress for 2 h 5 min")


def test_paused_time_is_not_a_lack_of_progress() -> None:
    stages = replace(CALM, paused=((at(110), at(170)),))
    assert of_kind(watch([entry(stages, progress=at(100))], at(230)), WatchKind.TRIGGER_FIRED) == []
    assert of_kind(watch([entry(stages, progress=at(100))], at(280)), WatchKind.TRIGGER_FIRED)


def test_business_triggers_count_working_time() -> None:
    office = BusinessCalendar(
        "Office", "UTC", {d: (time(9), time(17)) for d in ("mon", "tue", "wed", "thu", "fri")}
    )
    level = replace(P3, triggers=(Trigger(TriggerKind.TIME, after=Duration(120, business=True)),))
    friday_late = datetime(2026, 11, 27, 16, tzinfo=UTC)
    stages = Stages(Status.ESCALATED, friday_late)
    item = entry(stages, level=level, calendar=office)
    monday = datetime(2026, 11, 30, 9, 59, tzinfo=UTC)
    assert of_kind(watch([item], monday), WatchKind.TRIGGER_FIRED) == []
    fired = of_kind(watch([item], monday + timedelta(minutes=1)), WatchKind.TRIGGER_FIRED)
    assert fired[0].text.startswith("No progress for 2 h on a P3")


def test_an_immediate_trigger_fires_only_while_new() -> None:
    level = replace(P3, triggers=(Trigger(TriggerKind.TIME, after=Duration(0)),))
    new = entry(Stages(Status.NEW, None), level=level, progress=at(0))
    (fired,) = watch([new], at(5))
    assert fired.kind is WatchKind.TRIGGER_FIRED
    assert "(trigger: Escalate immediately)" in fired.text
    escalated = entry(Stages(Status.ESCALATED, at(0)), level=level)
    assert of_kind(watch([escalated], at(5)), WatchKind.TRIGGER_FIRED) == []


def test_new_escalations_have_no_deadline_items() -> None:
    stages = Stages(Status.NEW, at(0))  # not escalated yet, though a time was recorded
    assert watch([entry(stages, progress=at(0))], at(100)) == []


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED])
def test_only_open_escalations_are_watched(status: Status) -> None:
    stages = Stages(status, T0, acknowledged_at=at(60), resolved_at=at(900))
    assert watch([entry(stages, reassigned=5)], at(1000)) == []


def test_a_breached_deadline_is_reported() -> None:
    items = watch([entry(Stages(Status.ESCALATED, T0), progress=at(0))], at(50))
    assert [(i.kind, i.text) for i in items] == [(WatchKind.BREACHED, "Response 20 min late")]


def test_a_deadline_at_risk_is_reported() -> None:
    items = watch([entry(Stages(Status.ESCALATED, T0), progress=at(0))], at(15))
    assert [(i.kind, i.text) for i in items] == [(WatchKind.AT_RISK, "Response due in 15 min")]


def test_a_critical_deadline_counts_as_at_risk() -> None:
    stages = replace(CALM, last_update_at=at(200))
    items = watch([entry(stages, progress=at(200))], at(205))
    assert [(i.kind, i.text) for i in items] == [(WatchKind.AT_RISK, "Resolution due in 35 min")]


def test_a_deadline_on_track_is_not_reported() -> None:
    assert watch([entry(Stages(Status.ESCALATED, T0), progress=at(0))], at(14)) == []


def test_thresholds_can_be_raised() -> None:
    item = entry(Stages(Status.ESCALATED, T0), progress=at(0))
    assert watch([item], at(20), thresholds=Thresholds(at_risk=0.8, critical=0.9)) == []


def test_met_deadlines_are_not_reported() -> None:
    stages = Stages(Status.HANDED_BACK, T0, acknowledged_at=at(10), handed_back_at=at(100))
    assert watch([entry(stages, progress=at(290))], at(300)) == []


def test_an_overdue_update_is_reported_as_such() -> None:
    stages = replace(CALM, last_update_at=at(20))
    (item,) = watch([entry(stages, progress=at(20))], at(100))
    assert item.kind is WatchKind.UPDATE_OVERDUE
    assert item.text == "Update 20 min late (one is due every 1 h)"


def test_an_update_close_to_due_is_at_risk() -> None:
    stages = replace(CALM, last_update_at=at(100))
    items = watch([entry(stages, progress=at(100))], at(150))
    assert (WatchKind.AT_RISK, "Update due in 10 min") in [(i.kind, i.text) for i in items]


def test_an_escalation_reassigned_more_than_twice_is_bouncing() -> None:
    (item,) = watch([entry(CALM, progress=at(100), reassigned=3)], at(110))
    assert (item.kind, item.text) == (
        WatchKind.BOUNCING,
        "Reassigned 3 times: bouncing between teams",
    )


def test_two_reassignments_are_not_bouncing() -> None:
    assert watch([entry(CALM, progress=at(100), reassigned=2)], at(110)) == []


def test_keys_stay_the_same_while_the_news_does() -> None:
    stages = Stages(Status.ESCALATED, T0, paused=((at(20), None),))
    first = watch([entry(stages, progress=at(0))], at(25))
    later = watch([entry(stages, progress=at(0))], at(28))
    assert [i.key for i in first] == [i.key for i in later]
    breached = watch([entry(Stages(Status.ESCALATED, T0), progress=at(0))], at(50))
    assert breached[0].key != first[0].key
    assert breached[0].key.startswith("SUP-1:breached:")
    bounced = watch([entry(CALM, progress=at(100), reassigned=4)], at(110))
    assert bounced[0].key != watch([entry(CALM, progress=at(100), reassigned=3)], at(110))[0].key


def test_items_come_by_kind_then_most_severe_and_most_urgent_first() -> None:
    now = at(1000)

    def working(
        ref: str, escalated: int, updated: int, *, reassigned: int = 0, quiet: int | None = None
    ) -> WatchInput:
        # In progress, escalated and last updated the given minutes before now.
        stages = Stages(
            Status.IN_PROGRESS,
            now - timedelta(minutes=escalated),
            acknowledged_at=now - timedelta(minutes=escalated - 5),
            last_update_at=now - timedelta(minutes=updated),
        )
        progress = now - timedelta(minutes=updated if quiet is None else quiet)
        return entry(stages, ref=ref, progress=progress, reassigned=reassigned)

    def waiting(ref: str, escalated: int, level: SeverityLevel = P1) -> WatchInput:
        # Escalated the given minutes before now, not yet acknowledged.
        stages = Stages(Status.ESCALATED, now - timedelta(minutes=escalated))
        return entry(stages, ref=ref, level=level, progress=now)

    entries = [
        working("AR-25", 100, 35),  # update due in 25 min
        waiting("AR-P3", 200, P3),  # P3 response due in 40 min
        working("BO", 100, 10, reassigned=3),
        waiting("BR-P3", 360, P3),  # P3 response 2 h late
        working("AR-15", 100, 45),  # update due in 15 min
        working("UP", 100, 70),  # update 10 min late
        waiting("BR-10", 40),  # response 10 min late
        working("TR", 100, 10, quiet=125),  # no progress for 2 h 5 min
        waiting("BR-60", 90),  # response 1 h late
    ]
    assert [(i.ref, i.kind) for i in watch(entries, now)] == [
        ("BR-60", WatchKind.BREACHED),
        ("BR-10", WatchKind.BREACHED),
        ("BR-P3", WatchKind.BREACHED),
        ("TR", WatchKind.TRIGGER_FIRED),
        ("UP", WatchKind.UPDATE_OVERDUE),
        ("BO", WatchKind.BOUNCING),
        ("AR-15", WatchKind.AT_RISK),
        ("AR-25", WatchKind.AT_RISK),
        ("AR-P3", WatchKind.AT_RISK),
    ]
