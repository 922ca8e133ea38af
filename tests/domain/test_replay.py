"""Replaying past tickets against a matrix: escalations, their teams and times, breaches."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from escalation_desk.domain.clock import BusinessCalendar
from escalation_desk.domain.directory import Team
from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import SeverityLevel, Trigger, TriggerKind
from escalation_desk.domain.replay import (
    UNROUTED,
    BreachCount,
    Calendars,
    Landing,
    ReplayMatrix,
    Side,
    WorkingClock,
    replay,
)
from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.domain.snapshot import MatrixSnapshot

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
OFFICE = BusinessCalendar(
    "Office", "UTC", {day: (time(9), time(17)) for day in ("mon", "tue", "wed", "thu", "fri")}
)
LONDON = BusinessCalendar(
    "London",
    "Europe/London",
    {day: (time(9), time(17, 30)) for day in ("mon", "tue", "wed", "thu", "fri")},
    frozenset({date(2026, 4, 3), date(2026, 4, 6), date(2026, 12, 25)}),
)


@dataclass(frozen=True)
class Ticket:
    """A past ticket as an export states it."""

    ref: str
    created_at: datetime | None
    resolved_at: datetime | None = None
    first_response_minutes: int | None = None
    priority: str = "Urgent"
    module: str = "Billing"
    issue_type: str = ""
    closed_at: datetime | None = None


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


P1 = SeverityLevel(
    code="P1",
    name="Critical",
    rank=1,
    colour="#D55E00",
    target_response=Duration(30),
    target_resolution=Duration(240),
    triggers=(
        Trigger(TriggerKind.SCOPE, "Customers cannot pay"),
        Trigger(TriggerKind.IMPACT, "System outage", system_wide=True),
        Trigger(TriggerKind.IMPACT, "10 or more customers", customers_at_least=10),
        Trigger(TriggerKind.TIME, "No resolution in 2 hrs", Duration(120)),
        Trigger(TriggerKind.TIME, "No resolution in 3 hrs", Duration(180)),
    ),
)
P3 = SeverityLevel(
    code="P3",
    name="Normal",
    rank=2,
    colour="#0072B2",
    target_response=Duration(480, business=True),
    target_resolution=Duration(960, business=True),
    triggers=(
        Trigger(TriggerKind.TIME, "No progress after 2 business hours", Duration(120, True)),
    ),
)
RULES = (
    RoutingRule(1, MatchOn.ISSUE_TYPE, "Security", "Infra", "Security lead"),
    RoutingRule(2, MatchOn.MODULE, "Billing", "Backend", "Backend lead"),
    RoutingRule(3, MatchOn.MODULE, "Pay*", "Payments", "Payments engineer"),
)
MATRIX = MatrixSnapshot(
    levels=(P1, P3),
    routing=RULES,
    teams=(Team("Infra", 3), Team("Backend", 3), Team("Payments", 3)),
)
PRIORITIES = {"Urgent": "P1", "Low": "P3"}


def current(snapshot: MatrixSnapshot = MATRIX, label: str = "draft") -> ReplayMatrix:
    return ReplayMatrix(label, snapshot, PRIORITIES)


def test_a_ticket_escalates_when_its_earliest_time_trigger_fires_before_resolution() -> None:
    tickets = [
        Ticket("QUICK", at(0), resolved_at=at(60)),
        Ticket("ON-THE-DOT", at(0), resolved_at=at(120)),  # resolved as the trigger fires
        Ticket("SLOW", at(30), resolved_at=at(180)),
        Ticket("CLOSED-ONLY", at(0), closed_at=at(200)),  # no resolved date: closed counts
    ]
    result = replay(tickets, current())
    assert (result.b.replayed, result.b.escalations) == (4, 2)
    assert result.b.by_team == {"Backend": 2}
    assert result.b.by_role == {"Backend lead": 2}
    assert [landing is not None for landing in result.b.landings] == [False, False, True, True]
    # SLOW fires at 08:30 + 2 h, CLOSED-ONLY at 08:00 + 2 h, both on Monday 2 March.
    assert result.b.by_day == {"2026-03-02": 2}
    assert result.b.by_week == {"2026-W10": 2}
    assert result.b.by_hour[10] == 2
    assert sum(result.b.by_hour) == 2


def test_breaches_are_counted_against_the_levels_targets_from_creation() -> None:
    tickets = [
        Ticket("MET", at(0), resolved_at=at(200), first_response_minutes=30),
        Ticket("LATE-REPLY", at(0), resolved_at=at(100), first_response_minutes=31),
        Ticket("LATE-FIX", at(0), resolved_at=at(241), first_response_minutes=5),
        Ticket("NO-REPLY-TIME", at(0), resolved_at=at(10)),
        Ticket("STILL-OPEN", at(0)),  # open and past its 4 h when the export ends
        Ticket("NEWEST", at(300)),  # open, not yet due: the export ends at its creation
    ]
    result = replay(tickets, current())
    assert result.b.response == BreachCount(checked=3, breached=1)
    assert result.b.resolution == BreachCount(checked=5, breached=2)
    assert result.b.by_level["P1"].response_breaches == 1
    assert result.b.by_level["P1"].resolution_breaches == 2
    assert result.as_of == at(300)
    # STILL-OPEN passed both time triggers before the export ended; NEWEST none.
    assert {t.ref for t, landing in zip(tickets, result.b.landings, strict=True) if landing} == {
        "MET",
        "LATE-FIX",
        "STILL-OPEN",
    }


def test_business_triggers_and_targets_run_on_working_hours() -> None:
    friday_4pm = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)
    tickets = [
        # One working hour is left on Friday: two business hours fire Monday 10:00.
        Ticket(
            "WEEKEND",
            friday_4pm,
            resolved_at=friday_4pm + timedelta(days=3, hours=1),
            priority="Low",
        ),
        # Resolved Monday 09:30, before the trigger: no escalation.
        Ticket(
            "MONDAY",
            friday_4pm,
            resolved_at=friday_4pm + timedelta(days=2, hours=17.5),
            priority="Low",
            first_response_minutes=60 * 24 * 3,
        ),
    ]
    result = replay(tickets, current(), calendars=Calendars(default=OFFICE))
    assert result.b.escalations == 1
    assert result.b.by_day == {"2026-03-09": 1}
    assert result.b.by_hour[10] == 1
    # Its one business day to respond ends Monday 16:00; the reply came Monday 16:00.
    assert result.b.response == BreachCount(checked=1, breached=0)
    assert result.b.resolution == BreachCount(checked=2, breached=0)


def test_the_levels_calendar_comes_before_the_teams_and_the_teams_before_the_default() -> None:
    night = BusinessCalendar("Night", "UTC", {"mon": (time(0), time(1))})
    calendars = Calendars(
        {"Office": OFFICE, "Night": night}, level_calendar={"P3": "Night"}, default=OFFICE
    )
    assert calendars.for_ticket("P3", Team("Backend", 3, "Office")) is night
    assert calendars.for_ticket("P1", Team("Backend", 3, "Night")) is night
    assert calendars.for_ticket("P1", Team("Backend", 3)) is OFFICE
    assert calendars.for_ticket("P1", None) is OFFICE


def test_an_impact_trigger_fires_at_creation_when_the_customers_affected_are_known() -> None:
    tickets = [
        Ticket("MANY", at(0), resolved_at=at(20)),
        Ticket("FEW", at(0), resolved_at=at(20)),
        Ticket("UNKNOWN", at(0), resolved_at=at(20)),
    ]
    result = replay(tickets, current(), customers_affected={"MANY": 12, "FEW": 3})
    assert [landing is not None for landing in result.b.landings] == [True, False, False]
    assert result.b.by_hour[8] == 1


def test_an_unmapped_priority_is_reported_and_not_replayed() -> None:
    tickets = [
        Ticket("A", at(0), priority="Whenever"),
        Ticket("B", at(0), priority="Whenever"),
        Ticket("C", at(0), priority=""),
        Ticket("D", at(0), resolved_at=at(500)),
        Ticket("E", None),
    ]
    result = replay(tickets, ReplayMatrix("draft", MATRIX, {**PRIORITIES, "P9": "P9"}))
    assert result.b.unmapped_priorities == {"Whenever": 2, "": 1}
    assert (result.tickets, result.without_created, result.b.replayed) == (5, 1, 1)
    # A code the matrix does not have is unmapped too, not a crash.
    odd = replay([Ticket("F", at(0), priority="P9")], ReplayMatrix("x", MATRIX, {"P9": "P9"}))
    assert odd.b.unmapped_priorities == {"P9": 1}


def test_an_escalation_no_rule_catches_is_counted_as_unrouted() -> None:
    result = replay([Ticket("LOST", at(0), resolved_at=at(500), module="Reports")], current())
    assert result.b.by_team == {UNROUTED: 1}
    assert result.b.landings == (Landing(UNROUTED, UNROUTED),)


def test_moving_a_routing_rule_moves_exactly_those_escalations_to_the_new_team() -> None:
    billing_to_payments = replace(
        MATRIX,
        routing=(RULES[0], replace(RULES[1], team="Payments", role="Payments engineer"), RULES[2]),
    )
    tickets = [
        Ticket("BILL-1", at(0), resolved_at=at(500)),
        Ticket("BILL-2", at(0), resolved_at=at(500)),
        Ticket("BILL-QUICK", at(0), resolved_at=at(10)),  # never escalates
        Ticket("SEC-1", at(0), resolved_at=at(500), issue_type="Security"),
        Ticket("PAY-1", at(0), resolved_at=at(500), module="Payouts"),
    ]
    result = replay(tickets, current(billing_to_payments), against=current(label="version 1"))
    assert result.a is not None
    assert result.difference is not None
    assert result.a.by_team == {"Backend": 2, "Infra": 1, "Payments": 1}
    assert result.b.by_team == {"Payments": 3, "Infra": 1}
    diff = result.difference
    assert diff.by_team == {
        "Backend": Side(2, 0),
        "Payments": Side(1, 3),
        "Infra": Side(1, 1),
    }
    assert diff.by_role["Payments engineer"].change == 2
    assert diff.escalations == Side(4, 4)
    assert [m.ref for m in diff.moved] == ["BILL-1", "BILL-2"]
    assert diff.moves() == [("Backend", "Payments", 2)]
    assert diff.moved[0].as_json() == {
        "ref": "BILL-1",
        "from_team": "Backend",
        "from_role": "Backend lead",
        "to_team": "Payments",
        "to_role": "Payments engineer",
    }


def test_a_ticket_that_stops_escalating_moves_to_no_team() -> None:
    slower = replace(P1, triggers=(Trigger(TriggerKind.TIME, "After 6 hrs", Duration(360)),))
    relaxed = replace(MATRIX, levels=(slower, P3))
    tickets = [Ticket("BILL-1", at(0), resolved_at=at(300))]
    result = replay(tickets, current(relaxed), against=current())
    assert result.difference is not None
    assert result.difference.moves() == [("Backend", None, 1)]
    assert result.difference.escalations == Side(1, 0)


def test_the_json_form_holds_both_matrices_and_their_difference() -> None:
    tickets = [Ticket("BILL-1", at(0), resolved_at=at(500), first_response_minutes=45)]
    body = replay(tickets, current(), against=current(label="version 2")).as_json()
    json.dumps(body)  # plain JSON values only
    assert set(body) == {"tickets", "without_created", "as_of", "a", "b", "difference"}
    assert body["a"]["label"] == "version 2"
    assert body["b"]["label"] == "draft"
    assert body["b"]["by_level"]["P1"] == {
        "tickets": 1,
        "escalations": 1,
        "response_breaches": 1,
        "resolution_breaches": 1,
    }
    assert body["b"]["breaches"] == {
        "response": {"checked": 1, "breached": 1},
        "resolution": {"checked": 1, "breached": 1},
    }
    assert len(body["b"]["by_hour"]) == 24
    assert body["difference"]["by_team"] == {"Backend": {"a": 1, "b": 1, "change": 0}}
    assert body["difference"]["moves"] == []
    single = replay(tickets, current()).as_json()
    assert (single["a"], single["difference"]) == (None, None)


@pytest.mark.parametrize("minutes", [0, 1, 30, 510, 511, 1020, 2400, 4 * 510 + 7])
def test_the_working_clock_agrees_with_the_calendar(minutes: int) -> None:
    clock = WorkingClock(LONDON, date(2026, 3, 1))
    zone = ZoneInfo("Europe/London")
    starts = [
        datetime(2026, 3, 2, 8, 0, tzinfo=zone),  # before opening
        datetime(2026, 3, 2, 17, 30, tzinfo=zone),  # at closing
        datetime(2026, 3, 27, 16, 45, tzinfo=zone),  # Friday before the clocks go forward
        datetime(2026, 4, 2, 12, 0, tzinfo=zone),  # before Good Friday and Easter Monday
        datetime(2026, 4, 4, 11, 0, tzinfo=zone),  # on a Saturday
        datetime(2026, 10, 23, 17, 0, tzinfo=zone),  # before the clocks go back
        datetime(2026, 12, 24, 9, 0, tzinfo=zone),
    ]
    for start in starts:
        expected = LONDON.add_working_time(start, timedelta(minutes=minutes))
        assert clock.add(start.timestamp(), minutes * 60.0) == expected.timestamp(), start


def test_a_calendar_without_working_hours_is_refused_when_business_time_is_needed() -> None:
    never = BusinessCalendar("Never", "UTC", {})
    with pytest.raises(ValueError, match="No working time within ten years on calendar 'Never'"):
        replay([Ticket("T", at(0), priority="Low")], current(), calendars=Calendars(default=never))
    # A wall-clock level does not need it.
    assert replay([Ticket("T", at(0))], current(), calendars=Calendars(default=never)).b.replayed


def test_dates_a_century_apart_are_refused_rather_than_laid_out_day_by_day() -> None:
    typo = T0.replace(year=2216)
    tickets = [Ticket("T-1", T0, priority="Low"), Ticket("T-2", typo, priority="Low")]
    with pytest.raises(ValueError, match=r"^The tickets' dates span more than a century"):
        replay(tickets, current(), calendars=Calendars(default=OFFICE))
