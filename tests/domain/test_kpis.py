"""Every KPI on hand-made escalations whose answers are worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from escalation_desk.domain.kpis import (
    ClosureKpis,
    Facts,
    LevelTargets,
    compute,
    epoch_minutes,
    from_epoch_minutes,
    item_rates,
    period_bounds,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
T0 = epoch_minutes(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
LEVELS = (
    LevelTargets("P1", "P1 Critical", "#D55E00", 30, 60),
    LevelTargets("P2", "P2 High", "#E69F00", 120, None),
)


def fact(
    severity: str = "P1",
    team: str = "Backend",
    *,
    imported: bool = False,
    escalated: float | None = 10,
    acknowledged: float | None = None,
    started: float | None = None,
    handed_back: float | None = None,
    resolved: float | None = None,
    closed: float | None = None,
    reopens: int = 0,
    reassignments: int = 0,
    made_sla: bool | None = None,
    updates: tuple[float, ...] = (),
) -> Facts:
    """An escalation opened at T0; the other times are minutes after T0."""

    def at(offset: float | None) -> float | None:
        return None if offset is None else T0 + offset

    return Facts(
        severity,
        team,
        imported,
        T0,
        at(escalated),
        at(acknowledged),
        at(started),
        at(handed_back),
        at(resolved),
        at(closed),
        reopens,
        reassignments,
        made_sla,
        tuple(T0 + u for u in updates),
    )


def level(report, code):  # type: ignore[no-untyped-def]
    return next(lv for lv in report.by_severity if lv.code == code)


def test_counts_by_severity_and_the_escalation_rate_when_tickets_are_known() -> None:
    facts = [fact("P1"), fact("P1"), fact("P2")]
    report = compute(facts, LEVELS, NOW, tickets=30)
    assert report.escalations == 3
    assert [(lv.code, lv.escalations) for lv in report.by_severity] == [("P1", 2), ("P2", 1)]
    assert report.escalation_rate == pytest.approx(0.1)
    assert compute(facts, LEVELS, NOW).escalation_rate is None  # tickets unknown


def test_sla_met_breached_and_pending() -> None:
    facts = [
        fact("P1", acknowledged=10 + 30),  # answered exactly on target: met
        fact("P1", acknowledged=10 + 31),  # a minute late: breached
        fact("P1"),  # never answered, target long past: breached
        fact("P1", escalated=None),  # not escalated: not judged
        fact("P1", made_sla=True, imported=True, escalated=0),  # the export's own verdict
        fact("P1", made_sla=False, imported=True, escalated=0, acknowledged=1),
    ]
    p1 = level(compute(facts, LEVELS, NOW), "P1")
    assert (p1.sla_known, p1.sla_met, p1.breaches) == (5, 2, 3)
    assert p1.sla_met_rate == pytest.approx(0.4)


def test_an_unanswered_escalation_still_within_its_target_is_pending() -> None:
    just_now = epoch_minutes(NOW) - T0 - 5  # escalated five minutes ago
    p1 = level(compute([fact("P1", escalated=just_now)], LEVELS, NOW), "P1")
    assert (p1.sla_known, p1.sla_met_rate) == (0, None)


def test_response_time_follows_the_level_clock() -> None:
    # A business clock that counts only half of every span: 40 wall minutes are 20 counted.
    def half(_severity: str, start: float, end: float) -> float:
        return (end - start) / 2

    report = compute([fact("P1", acknowledged=50)], LEVELS, NOW, elapsed=half)
    p1 = level(report, "P1")
    assert p1.acknowledge_median_minutes == 20
    assert p1.sla_met == 1  # 20 counted minutes is within 30


def test_medians_of_acknowledging_and_escalating() -> None:
    facts = [
        fact("P2", escalated=5, acknowledged=5 + 10),
        fact("P2", escalated=15, acknowledged=15 + 40),
        fact("P2", escalated=60, acknowledged=60 + 100),
        fact("P2", imported=True, escalated=0, acknowledged=1000),  # counts for acknowledging
    ]
    p2 = level(compute(facts, LEVELS, NOW), "P2")
    assert p2.acknowledge_median_minutes == pytest.approx((40 + 100) / 2)
    assert p2.escalate_median_minutes == 15  # of 5, 15, 60; the import is not timed


def test_reopen_rate_reassignments_and_right_team_first_time() -> None:
    facts = [
        fact(reopens=2, reassignments=0),
        fact(reopens=0, reassignments=3),
        fact(reopens=1, reassignments=1),
        fact(reopens=0, reassignments=0),
    ]
    report = compute(facts, LEVELS, NOW)
    assert report.reopen_rate == pytest.approx(0.5)
    assert report.reassignments_mean == pytest.approx(1.0)
    assert report.right_team_first_time == pytest.approx(0.5)
    assert report.as_json()["reopen_rate"] == pytest.approx(0.5)


def test_hand_backs_without_engineering_work_count_as_over_escalation() -> None:
    facts = [
        fact(handed_back=30),  # never started: over-escalated
        fact(started=20, handed_back=90),  # worked on, then handed back: fine
        fact(started=120, handed_back=60),  # handed back, re-escalated, then worked on
        fact(),
    ]
    report = compute(facts, LEVELS, NOW)
    assert report.handed_back_without_work == 2
    assert report.over_escalation_rate == pytest.approx(0.5)


def test_time_in_each_lane_of_finished_stays() -> None:
    facts = [
        fact(escalated=0, acknowledged=10, started=30, resolved=130, closed=200),
        fact(escalated=0, acknowledged=20, started=60),  # still in progress: no stay ends
        fact(imported=True, escalated=0, acknowledged=999, resolved=2000),  # not timed
    ]
    lanes = {
        lane.lane: (lane.stays, lane.median_minutes) for lane in compute(facts, LEVELS, NOW).lanes
    }
    assert lanes == {
        "Escalated": (2, 15.0),
        "Acknowledged": (2, 30.0),
        "In progress": (1, 100.0),
        "Handed back": (0, None),
        "Resolved": (1, 70.0),
    }


def test_update_cadence_kept_and_missed() -> None:
    end = epoch_minutes(NOW) - T0
    facts = [
        # P1 asks for an update every hour: acknowledged at 10, updates at 60 and 110, resolved
        # at 150. Gaps 50, 50, 40: kept.
        fact(acknowledged=10, updates=(60, 110), resolved=150),
        # One gap of 70 minutes: missed.
        fact(acknowledged=10, updates=(80,), resolved=120),
        # Still open with no update since long ago: missed.
        fact(acknowledged=10),
        # Open, acknowledged 30 minutes ago: no update due yet, kept.
        fact(escalated=end - 40, acknowledged=end - 30),
        fact("P2", acknowledged=20),  # P2 asks no cadence: not measured
        fact(imported=True, escalated=0),  # imported: not measured
    ]
    report = compute(facts, LEVELS, NOW)
    assert (report.cadence_measured, report.cadence_kept) == (4, 2)
    assert report.cadence_kept_rate == pytest.approx(0.5)


def test_by_team() -> None:
    facts = [
        fact(team="Backend", reassignments=2),
        fact(team="Backend", reassignments=0, handed_back=5),
        fact(team="Payments", reassignments=0),
    ]
    teams = {t.team: t for t in compute(facts, LEVELS, NOW).by_team}
    assert teams["Backend"].escalations == 2
    assert teams["Backend"].reassignments_mean == 1.0
    assert teams["Backend"].right_team_first_time == 0.5
    assert teams["Backend"].handed_back_without_work == 1
    assert teams["Payments"].right_team_first_time == 1.0


def test_closure_figures_pass_through_with_their_rates() -> None:
    closure = ClosureKpis(
        closed=4,
        complete=3,
        items=item_rates({"Root cause": 4, "KB": 3}, {"Root cause": 4, "KB": 4, "Debrief": 0}),
        overdue_follow_ups=2,
        repeat_incident_groups=1,
    )
    report = compute([fact()], LEVELS, NOW, closure=closure)
    assert report.closure.completion_rate == 0.75
    assert report.closure.items == (("Root cause", 1.0), ("KB", 0.75))
    as_json = report.as_json()
    assert as_json["closure_completion_rate"] == 0.75
    assert as_json["repeat_incident_groups"] == 1
    assert as_json["overdue_follow_ups"] == 2


def test_nothing_to_measure_gives_none_not_zero() -> None:
    report = compute([], LEVELS, NOW)
    assert report.escalations == 0
    assert report.reopen_rate is None
    assert report.reassignments_mean is None
    assert report.cadence_kept_rate is None
    assert report.closure.completion_rate is None
    assert [lv.sla_met_rate for lv in report.by_severity] == [None, None]


def test_the_json_holds_the_documented_keys() -> None:
    as_json = compute([fact(acknowledged=20)], LEVELS, NOW).as_json()
    assert {
        "escalations",
        "by_severity",
        "reopen_rate",
        "reassignments_mean",
        "sla_met_rate",
        "time_to_acknowledge_median_minutes",
        "closure_completion_rate",
        "repeat_incident_groups",
    } <= set(as_json)
    assert as_json["by_severity"] == {"P1": 1, "P2": 0}
    assert as_json["sla_met_rate"] == {"P1": 1.0, "P2": None}
    assert as_json["time_to_acknowledge_median_minutes"] == {"P1": 10.0, "P2": None}


def test_a_period_of_whole_days_on_the_local_clock() -> None:
    zone = timezone(timedelta(hours=2))
    start, end = period_bounds(date(2026, 11, 1), date(2026, 11, 30), zone)
    assert start == datetime(2026, 11, 1, tzinfo=zone)
    assert end == datetime(2026, 12, 1, tzinfo=zone)
    assert period_bounds(None, None) == (None, None)
    with pytest.raises(ValueError, match="ends"):
        period_bounds(date(2026, 11, 2), date(2026, 11, 1))


def test_epoch_minutes_round_trip() -> None:
    moment = datetime(2016, 2, 29, 1, 16, tzinfo=UTC)
    assert from_epoch_minutes(epoch_minutes(moment)) == moment
