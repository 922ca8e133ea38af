"""Every KPI rule and figure on hand-made escalations whose answers are worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_desk.domain.clock import BusinessCalendar
from escalation_desk.domain.kpis import (
    LANES,
    ClosureKpis,
    KpiReport,
    LaneTotal,
    LevelTargets,
    Measured,
    Response,
    SeverityKpis,
    Tally,
    WorkingTimeline,
    cadence_kept,
    compute,
    epoch_minutes,
    from_epoch_minutes,
    handed_back_without_work,
    item_rates,
    lane_stays,
    period_bounds,
    sla_verdict,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
T0 = epoch_minutes(NOW) - 10_000  # a week before NOW, more or less
LEVELS = (
    LevelTargets("P1", "P1 Critical", "#D55E00", 30, 60),
    LevelTargets("P2", "P2 High", "#E69F00", 120, None),
)


def tally(
    severity: str = "P1",
    team: str = "Backend",
    escalations: int = 1,
    *,
    in_app: int | None = None,
    reopened: int = 0,
    reassignments: int = 0,
    first_time: int | None = None,
    without_work: int = 0,
    escalate_minutes: float = 0.0,
    cadence_measured: int = 0,
    cadence_kept: int = 0,
) -> Tally:
    return Tally(
        severity,
        team,
        escalations,
        escalations if in_app is None else in_app,
        reopened,
        reassignments,
        escalations if first_time is None else first_time,
        without_work,
        escalate_minutes,
        cadence_measured,
        cadence_kept,
    )


def answered(severity: str, after: float, *, made_sla: bool | None = None) -> Response:
    """Escalated at T0, acknowledged ``after`` minutes later."""
    return Response(severity, made_sla, T0, T0 + after)


def waiting(severity: str, since: float, *, made_sla: bool | None = None) -> Response:
    """Escalated ``since`` minutes before NOW, not acknowledged."""
    return Response(severity, made_sla, epoch_minutes(NOW) - since, None)


def report_of(*responses: Response, tallies: tuple[Tally, ...] = (), **kwargs: object) -> KpiReport:
    return compute(Measured(tallies, responses), LEVELS, NOW, **kwargs)  # type: ignore[arg-type]


def level(report: KpiReport, code: str) -> SeverityKpis:
    return next(lv for lv in report.by_severity if lv.code == code)


# -- the rules ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("made_sla", "response", "waited", "target", "verdict"),
    [
        (None, 30, 0, 30, True),  # answered exactly on target
        (None, 31, 0, 30, False),  # a minute late
        (None, None, 31, 30, False),  # not answered, target past: already breached
        (None, None, 29, 30, None),  # not answered, still within: not judged yet
        (True, 500, 0, 30, True),  # the export's own verdict wins
        (False, 5, 0, 30, False),
        (None, 5, 0, None, None),  # a level without a target judges nothing
    ],
)
def test_sla_verdict(
    made_sla: bool | None,
    response: float | None,
    waited: float,
    target: int | None,
    verdict: bool | None,
) -> None:
    assert sla_verdict(made_sla, response, waited, target) is verdict


def test_handed_back_without_engineering_work() -> None:
    assert handed_back_without_work(started=None, handed_back=30)
    assert not handed_back_without_work(started=20, handed_back=90)
    assert handed_back_without_work(started=120, handed_back=60)  # worked on only later
    assert not handed_back_without_work(started=None, handed_back=None)


def test_lane_stays_run_from_stamp_to_the_next_present() -> None:
    assert lane_stays(0, 10, 30, None, 130, 200) == [
        ("Escalated", 10),
        ("Acknowledged", 20),
        ("In progress", 100),
        ("Resolved", 70),
    ]
    assert lane_stays(0, 20, 60, None, None, None) == [("Escalated", 20), ("Acknowledged", 40)]
    # Handed back at 60, escalated again at 90 (the board restamps escalated_at): the stay
    # that would run backwards is no stay.
    assert lane_stays(90, None, None, 60, None, None) == []
    assert LANES == ("Escalated", "Acknowledged", "In progress", "Handed back", "Resolved")


def test_cadence_kept() -> None:
    assert cadence_kept(longest_gap=50, trailing_gap=40, every_minutes=60)
    assert not cadence_kept(longest_gap=70, trailing_gap=10, every_minutes=60)
    assert not cadence_kept(longest_gap=None, trailing_gap=61, every_minutes=60)
    assert cadence_kept(longest_gap=None, trailing_gap=60, every_minutes=60)


# -- the report --------------------------------------------------------------------------------
def test_sla_per_severity_met_breached_and_pending() -> None:
    report = report_of(
        answered("P1", 30),
        answered("P1", 31),
        waiting("P1", 45),  # breached: waiting past 30
        waiting("P1", 5),  # pending
        answered("P1", 500, made_sla=True),  # the export says met
        answered("P2", 100),
    )
    p1, p2 = level(report, "P1"), level(report, "P2")
    assert (p1.sla_known, p1.sla_met, p1.breaches) == (4, 2, 2)
    assert p1.sla_met_rate == pytest.approx(0.5)
    assert (p2.sla_known, p2.sla_met, p2.sla_met_rate) == (1, 1, 1.0)
    assert report.sla_met_rate == pytest.approx(3 / 5)
    assert report.as_json()["sla_breaches"] == {"P1": 2, "P2": 0}


def test_time_to_acknowledge_is_a_median_on_the_level_clock() -> None:
    def half(start: float, end: float) -> float:  # a calendar that counts half of every span
        return (end - start) / 2

    plain = report_of(answered("P1", 10), answered("P1", 40), answered("P1", 100))
    assert level(plain, "P1").acknowledge_median_minutes == 40
    business = report_of(answered("P1", 40), answered("P1", 80), business={"P1": half})
    p1 = level(business, "P1")
    assert p1.acknowledge_median_minutes == pytest.approx(30)  # of 20 and 40
    assert (p1.sla_known, p1.sla_met) == (2, 1)  # 20 within 30, 40 late


def test_counts_rates_and_the_escalation_rate_from_tallies() -> None:
    tallies = (
        tally("P1", "Backend", 4, reopened=1, reassignments=3, first_time=2, without_work=1),
        tally("P2", "Backend", 2, reassignments=1, first_time=1),
        tally("P2", "Payments", 4, reopened=1, first_time=4, in_app=2, escalate_minutes=50),
    )
    report = report_of(tallies=tallies, tickets=100)
    assert report.escalations == 10
    assert report.measured_in_app == 8
    assert report.as_json()["by_severity"] == {"P1": 4, "P2": 6}
    assert report.reopen_rate == pytest.approx(0.2)
    assert report.reassignments_mean == pytest.approx(0.4)
    assert report.right_team_first_time == pytest.approx(0.7)
    assert report.over_escalation_rate == pytest.approx(0.1)
    assert report.escalation_rate == pytest.approx(0.1)
    assert level(report, "P2").escalate_mean_minutes == pytest.approx(50 / 4)
    teams = {t.team: t for t in report.by_team}
    assert (teams["Backend"].escalations, teams["Backend"].reassignments_mean) == (6, 4 / 6)
    assert teams["Backend"].right_team_first_time == pytest.approx(0.5)
    assert teams["Backend"].handed_back_without_work == 1
    assert teams["Payments"].right_team_first_time == 1.0
    assert report_of(tallies=tallies).escalation_rate is None  # tickets not known


def test_update_cadence_kept_rate() -> None:
    report = report_of(tallies=(tally(cadence_measured=4, cadence_kept=3),))
    assert report.cadence_kept_rate == pytest.approx(0.75)


def test_lane_means_and_empty_lanes() -> None:
    measured = Measured((), (), (LaneTotal("Escalated", 4, 100.0), LaneTotal("Resolved", 1, 70.0)))
    lanes = {
        lane.lane: (lane.stays, lane.mean_minutes) for lane in compute(measured, LEVELS, NOW).lanes
    }
    assert lanes == {
        "Escalated": (4, 25.0),
        "Acknowledged": (0, None),
        "In progress": (0, None),
        "Handed back": (0, None),
        "Resolved": (1, 70.0),
    }


def test_closure_figures_and_item_rates() -> None:
    closure = ClosureKpis(
        closed=4,
        complete=3,
        items=item_rates({"Root cause": 4, "KB": 3}, {"Root cause": 4, "KB": 4, "Debrief": 0}),
        overdue_follow_ups=2,
        repeat_incident_groups=1,
    )
    report = compute(Measured((tally(),), (), (), closure), LEVELS, NOW)
    assert report.closure.completion_rate == 0.75
    assert report.closure.items == (("Root cause", 1.0), ("KB", 0.75))
    as_json = report.as_json()
    assert as_json["closure_completion_rate"] == 0.75
    assert as_json["closure_items_rate"] == {"Root cause": 1.0, "KB": 0.75}
    assert (as_json["repeat_incident_groups"], as_json["overdue_follow_ups"]) == (1, 2)


def test_nothing_to_measure_gives_none_not_zero() -> None:
    report = report_of()
    assert report.escalations == 0
    assert report.reopen_rate is None
    assert report.reassignments_mean is None
    assert report.cadence_kept_rate is None
    assert report.sla_met_rate is None
    assert report.closure.completion_rate is None
    assert [lv.sla_met_rate for lv in report.by_severity] == [None, None]


def test_a_level_not_in_the_matrix_any_more_is_still_counted() -> None:
    report = report_of(answered("P0", 5), tallies=(tally("P0", escalations=2),))
    old = level(report, "P0")
    assert (old.escalations, old.label, old.target_minutes, old.sla_known) == (2, "P0", None, 0)


def test_the_json_holds_the_documented_keys() -> None:
    as_json = report_of(answered("P1", 10), tallies=(tally(),)).as_json()
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


OFFICE = BusinessCalendar(
    "Office",
    "Europe/London",
    {day: (time(9), time(17, 30)) for day in ("mon", "tue", "wed", "thu", "fri")},
    frozenset({date(2026, 12, 25), date(2026, 3, 30)}),
)
# The windows reach past the last end drawn (31 Dec 2026 plus 40 days).
TIMELINE = WorkingTimeline(OFFICE.working_windows(date(2026, 1, 1), date(2027, 3, 1)))
YEAR = (datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(*(m.replace(tzinfo=None) for m in YEAR), timezones=st.just(UTC)),
    span=st.integers(min_value=-600, max_value=60 * 24 * 40),
)
def test_the_working_timeline_counts_as_the_calendar_does(start: datetime, span: int) -> None:
    """Across weekends, holidays and both clock changes of 2026 in London."""
    start = start.replace(microsecond=0)
    end = start + timedelta(minutes=span, seconds=start.second % 7)
    expected = OFFICE.business_minutes_between(start, end)
    assert TIMELINE.between(epoch_minutes(start), epoch_minutes(end)) == expected
