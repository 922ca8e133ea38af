"""The advisor's decisions on every level of the example matrix, and its practice scenarios."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time

import pytest

from escalation_desk.domain.advisor import Decision, Situation, advise, clock_time, scope_matches
from escalation_desk.domain.clock import BusinessCalendar
from escalation_desk.domain.matrix import TriggerKind
from escalation_desk.domain.scenarios import (
    DECISION_WORDS,
    Answer,
    expected_answer,
    generate,
    mark,
    scenario_from_json,
    scenario_to_json,
)
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.services.matrix import MatrixService
from escalation_desk.store.db import Workspace
from tests.conftest import NOW

WEEK = BusinessCalendar(
    "Office", "UTC", {d: (time(9), time(17)) for d in ("mon", "tue", "wed", "thu", "fri")}
)


@pytest.fixture
def snapshot(example_workspace: Workspace) -> MatrixSnapshot:
    """The example's levels P1 (24/7), P2 and P3 (business days) and its twelve routing rules."""
    return MatrixService(example_workspace).snapshot()


def test_a_p1_past_its_time_trigger_escalates_now_to_the_routed_role(
    snapshot: MatrixSnapshot,
) -> None:
    advice = advise(snapshot, Situation("P1", 150, module="Payments"), NOW, calendar=WEEK)
    assert advice.decision is Decision.ESCALATE_NOW
    assert (advice.level.code, advice.team, advice.role) == (
        "P1",
        "Payments engineering",
        "Payments on-call engineer",
    )
    assert advice.person == "Yusuf Kaya"
    assert advice.backup == "Grace Mwangi"
    assert advice.target_response_minutes == 30
    assert advice.respond_by == datetime(2026, 11, 26, 14, 30, tzinfo=UTC)
    assert [(f.kind, f.text) for f in advice.fired] == [(TriggerKind.TIME, "No progress after 2 h")]
    assert advice.owner_roles == ("Dev Lead", "Support liaison")


def test_a_p1_before_its_time_trigger_says_when_to_escalate(snapshot: MatrixSnapshot) -> None:
    advice = advise(snapshot, Situation("P1", 30, module="Payments"), NOW, calendar=WEEK)
    assert advice.decision is Decision.ESCALATE_AT
    assert advice.escalate_at == datetime(2026, 11, 26, 15, 30, tzinfo=UTC)
    assert "escalate at 15:30 (in 1 h 30 min)" in advice.explanation


def test_time_without_progress_counts_rather_than_time_since_opening(
    snapshot: MatrixSnapshot,
) -> None:
    advice = advise(snapshot, Situation("P2", 600, 60, "Billing"), NOW, calendar=WEEK)
    assert advice.decision is Decision.ESCALATE_AT
    assert advice.escalate_at == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)  # 4 h - 1 h


def test_a_p3_time_trigger_counts_business_days_on_the_calendar(snapshot: MatrixSnapshot) -> None:
    # Two business days of 8 h, one hour used: 15 working hours from Thursday 14:00 is
    # Thursday 17:00 (3 h), Friday (8 h) and Monday 09:00-13:00 (4 h).
    advice = advise(snapshot, Situation("P3", 60, module="Reports"), NOW, calendar=WEEK)
    assert advice.decision is Decision.ESCALATE_AT
    assert advice.escalate_at == datetime(2026, 11, 30, 13, 0, tzinfo=UTC)
    assert advice.team == "Support Tier 2"
    assert "escalate at Mon 30 Nov 13:00" in advice.explanation


@pytest.mark.parametrize(
    ("customers", "level"), [(40, "P1"), (10, "P1"), (9, "P2"), (3, "P2"), (1, "P3")]
)
def test_without_a_severity_the_level_follows_the_customers_affected(
    snapshot: MatrixSnapshot, customers: int, level: str
) -> None:
    advice = advise(snapshot, Situation(None, 20, module="Billing", customers=customers), NOW)
    assert advice.level.code == level
    assert advice.decision is Decision.ESCALATE_NOW
    assert advice.derived


def test_impact_raises_the_severity_the_agent_gave_and_says_so(snapshot: MatrixSnapshot) -> None:
    advice = advise(snapshot, Situation("P3", 20, module="Database", system_wide=True), NOW)
    assert advice.level.code == "P1"
    assert advice.raised_from == "P3"
    assert advice.explanation.startswith('This is P1 Critical, not P3: "System outage"')
    assert advice.team == "Infra / SRE"


def test_impact_never_lowers_the_severity_the_agent_gave(snapshot: MatrixSnapshot) -> None:
    advice = advise(snapshot, Situation("P1", 20, module="API", customers=1), NOW)
    assert advice.level.code == "P1"
    assert advice.raised_from is None


def test_a_scope_condition_in_the_agents_own_words_fires_the_trigger(
    snapshot: MatrixSnapshot,
) -> None:
    situation = Situation("P3", 10, module="API", scope=("code-level investigation",))
    advice = advise(snapshot, situation, NOW)
    assert advice.level.code == "P2"
    assert [f.text for f in advice.fired] == ["Requires code-level investigation"]


def test_nothing_fired_on_the_least_severe_level_holds_until_its_time_trigger(
    snapshot: MatrixSnapshot,
) -> None:
    advice = advise(snapshot, Situation(None, 10, module="Reports"), NOW, calendar=WEEK)
    assert advice.level.code == "P3"
    assert advice.decision is Decision.ESCALATE_AT
    assert "Nothing points above P3 Normal" in advice.explanation


def test_a_level_without_time_triggers_holds_the_line(snapshot: MatrixSnapshot) -> None:
    levels = tuple(
        lv if lv.code != "P3" else dataclasses.replace(lv, triggers=()) for lv in snapshot.levels
    )
    bare = MatrixSnapshot(levels, snapshot.routing, snapshot.roles, snapshot.teams)
    advice = advise(bare, Situation("P3", 600, module="Reports"), NOW)
    assert advice.decision is Decision.HOLD
    assert advice.escalate_at is None
    assert "Hold the line: no trigger of P3 applies" in advice.explanation


def test_an_unknown_severity_or_an_empty_matrix_is_refused_in_a_sentence(
    snapshot: MatrixSnapshot,
) -> None:
    with pytest.raises(ValueError, match=r"There is no severity level P9; use P1, P2, P3\."):
        advise(snapshot, Situation("P9", 10), NOW)
    with pytest.raises(ValueError, match="no severity levels yet"):
        advise(MatrixSnapshot(), Situation(None, 10), NOW)


def test_a_module_no_rule_routes_says_to_ask_the_lead(snapshot: MatrixSnapshot) -> None:
    rules = tuple(r for r in snapshot.routing if r.pattern != "*")
    narrow = MatrixSnapshot(snapshot.levels, rules, snapshot.roles, snapshot.teams)
    advice = advise(narrow, Situation("P2", 10, module="Reports"), NOW)
    assert advice.rule is None
    assert advice.as_json()["team"] is None
    assert "No routing rule matches" in advice.explanation


def test_the_json_form_has_the_documented_keys(snapshot: MatrixSnapshot) -> None:
    body = advise(snapshot, Situation("P1", 150, module="Database"), NOW).as_json()
    assert {
        "decision",
        "escalate_at",
        "level",
        "team",
        "role",
        "person",
        "backup",
        "method",
        "target_response_minutes",
        "owner_roles",
        "fired_triggers",
        "explanation",
    } <= body.keys()
    assert body["decision"] == "escalate_now"
    assert body["fired_triggers"] == [{"kind": "time", "text": "No progress after 2 h"}]


@pytest.mark.parametrize(
    ("trigger", "words", "matches"),
    [
        ("Requires code-level investigation", "code-level investigation", True),
        ("Customers cannot take or send payments", "customers cannot send payments", True),
        ("Suspected security breach or customer data exposed", "security breach", True),
        ("Requires code-level investigation", "customer asked for a refund", False),
        ("Requires code-level investigation", "", False),
    ],
)
def test_scope_words_match_a_trigger_when_they_name_it(
    trigger: str, words: str, matches: bool
) -> None:
    assert scope_matches(trigger, words) is matches


def test_times_on_another_day_carry_the_day() -> None:
    assert clock_time(datetime(2026, 11, 26, 16, 5, tzinfo=UTC), NOW) == "16:05"
    assert clock_time(datetime(2026, 11, 30, 9, 0, tzinfo=UTC), NOW) == "Mon 30 Nov 09:00"


# -- practice scenarios -------------------------------------------------------------------------
def test_scenarios_cover_every_trigger_of_every_level(snapshot: MatrixSnapshot) -> None:
    scenarios = generate(snapshot)
    for level in snapshot.levels:
        keys = [s.key for s in scenarios if s.key.startswith(f"{level.code}-")]
        impact_and_scope = [t for t in level.triggers if t.kind is not TriggerKind.TIME]
        timed = [t for t in level.triggers if t.kind is TriggerKind.TIME and t.after]
        assert len(keys) == len(impact_and_scope) + 2 * len(timed)
    assert generate(snapshot, seed=4) == generate(snapshot, seed=4)


def test_each_generated_scenario_lands_on_the_level_it_was_made_for(
    snapshot: MatrixSnapshot,
) -> None:
    for scenario in generate(snapshot):
        advice = advise(snapshot, scenario.situation, NOW, calendar=WEEK)
        assert advice.level.code == scenario.key.split("-")[0], scenario.prompt
        decision = (
            Decision.ESCALATE_AT if scenario.key.endswith("-early") else Decision.ESCALATE_NOW
        )
        assert advice.decision is decision, scenario.prompt
        assert scenario.prompt.endswith("Escalate? Which level? To whom? How?")


def test_a_scenario_reads_as_a_ticket(snapshot: MatrixSnapshot) -> None:
    scenario = next(s for s in generate(snapshot) if s.key == "P1-impact-2")
    customers = scenario.situation.customers
    assert customers is not None
    assert customers >= 10
    assert f"and {customers} customers are affected" in scenario.prompt
    assert "since the ticket opened" in scenario.prompt


def test_a_right_answer_scores_full_marks_and_points_at_the_row_and_rule(
    snapshot: MatrixSnapshot,
) -> None:
    scenario = next(s for s in generate(snapshot) if s.key == "P2-scope-2")
    right = expected_answer(advise(snapshot, scenario.situation, NOW))
    marking = mark(snapshot, scenario, right, NOW)
    assert marking.score == 1.0
    assert marking.level_row == 1
    assert marking.rule_order == marking.advice.rule.order  # type: ignore[union-attr]
    assert marking.explanation().startswith("Matrix row 2 (P2 High) decides. This is P2 High")
    assert f"routing rule {marking.rule_order}:" in marking.explanation()


def test_a_wrong_answer_is_marked_part_by_part(snapshot: MatrixSnapshot) -> None:
    scenario = next(s for s in generate(snapshot) if s.key == "P2-scope-2")
    right = expected_answer(advise(snapshot, scenario.situation, NOW))
    wrong = Answer(Decision.HOLD, "P3", right.role, "E-mail")
    marking = mark(snapshot, scenario, wrong, NOW)
    assert [p.right for p in marking.parts] == [False, False, True, False]
    assert marking.score == 0.25
    assert marking.parts[0].expected == DECISION_WORDS[Decision.ESCALATE_NOW]


def test_a_scenario_survives_its_stored_form(snapshot: MatrixSnapshot) -> None:
    for scenario in generate(snapshot):
        assert scenario_from_json(scenario_to_json(scenario)) == scenario
    with pytest.raises(ValueError, match="not a practice scenario"):
        scenario_from_json({"prompt": "no key"})
