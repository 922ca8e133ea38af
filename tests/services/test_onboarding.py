"""Onboarding in a workspace: advice, walkthroughs shared as files, practice records, roster."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from escalation_desk.domain.advisor import Decision, Situation
from escalation_desk.domain.scenarios import Answer, expected_answer
from escalation_desk.domain.walkthrough import (
    MATRIX_EXPLAINED,
    TOUR,
    Question,
    Step,
    Walkthrough,
)
from escalation_desk.services.onboarding import OnboardingService
from escalation_desk.store.db import Workspace
from tests.conftest import NOW


@pytest.fixture
def service(example_workspace: Workspace) -> OnboardingService:
    return OnboardingService(example_workspace)


def test_the_advisor_counts_business_days_on_the_workspace_calendar(
    service: OnboardingService,
) -> None:
    advice = service.advise(Situation("P3", 60, module="Reports"), NOW)
    assert advice.decision is Decision.ESCALATE_AT
    assert advice.escalate_at is not None
    # The example's business calendar: the trigger lands in working hours, days away.
    assert advice.escalate_at - NOW > timedelta(days=1)
    assert 8 <= advice.escalate_at.hour <= 18


def test_built_in_walkthroughs_come_first_and_the_matrix_one_follows_the_matrix(
    service: OnboardingService,
) -> None:
    tour, explained = service.walkthroughs()[:2]
    assert tour.title == TOUR
    assert len(tour.steps) == 9
    assert explained.title == MATRIX_EXPLAINED
    assert [s.title for s in explained.steps[1:4]] == ["P1 Critical", "P2 High", "P3 Normal"]
    assert explained.steps[2].widget == "matrixGrid:1:0"
    assert "Jira + Teams channel post with link" in explained.steps[2].text


def team_walkthrough(title: str = "Billing escalations") -> Walkthrough:
    return Walkthrough(
        title,
        (
            Step("Start on the board", "Open escalations live here.", "board", "boardView"),
            Step(
                "Who owns it?",
                "",
                "matrix",
                "matrixGrid:0:0",
                Question("Who owns a P1 after hand-off?", ("Nobody", "Dev Lead + liaison"), 1),
            ),
        ),
    )


def test_a_walkthrough_is_stored_exported_and_imported_by_another_team(
    service: OnboardingService, empty_workspace: Workspace, tmp_path: Path
) -> None:
    service.save_walkthrough(team_walkthrough())
    assert service.walkthrough("Billing escalations") == team_walkthrough()
    shared = tmp_path / "billing.json"
    service.export_walkthrough("Billing escalations", shared)
    assert json.loads(shared.read_text())["format"] == "escalation-desk-walkthrough"
    other = OnboardingService(empty_workspace)
    assert other.import_walkthrough(shared) == team_walkthrough()
    assert other.walkthrough("Billing escalations").steps[1].question == Question(
        "Who owns a P1 after hand-off?", ("Nobody", "Dev Lead + liaison"), 1
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "could not be read as a walkthrough"),
        ('{"format": "something-else"}', "not an Escalation Desk walkthrough file"),
        ('{"format": "escalation-desk-walkthrough", "title": "X", "steps": []}', "has no steps"),
        (
            '{"format": "escalation-desk-walkthrough", "title": "X", "steps": [{"text": "t"}]}',
            "Step 1 of 'X': Every step needs a title",
        ),
    ],
)
def test_a_bad_walkthrough_file_is_refused_and_changes_nothing(
    service: OnboardingService, tmp_path: Path, content: str, message: str
) -> None:
    before = [w.title for w in service.walkthroughs()]
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(ValueError, match=message):
        service.import_walkthrough(bad)
    assert [w.title for w in service.walkthroughs()] == before


def test_built_in_titles_and_duplicates_are_refused(service: OnboardingService) -> None:
    with pytest.raises(ValueError, match="is built in"):
        service.save_walkthrough(replace(team_walkthrough(), title=TOUR))
    service.save_walkthrough(team_walkthrough())
    service.save_walkthrough(team_walkthrough("Second"))
    with pytest.raises(ValueError, match="already a walkthrough called 'Second'"):
        service.save_walkthrough(team_walkthrough("Second"), replacing="Billing escalations")
    service.save_walkthrough(team_walkthrough("Renamed"), replacing="Billing escalations")
    assert [w.title for w in service.walkthroughs()[2:]] == ["Renamed", "Second"]
    service.delete_walkthrough("Second")
    assert [w.title for w in service.walkthroughs()[2:]] == ["Renamed"]


def practise_everything(service: OnboardingService, agent: str, right: bool) -> None:
    for scenario in service.scenarios():
        answer = expected_answer(service.advise(scenario.situation, NOW))
        if not right:
            answer = Answer(Decision.HOLD, answer.level, "Nobody", answer.method)
        service.answer(agent, scenario, answer, NOW)


def test_the_roster_says_who_is_ready_and_what_the_others_still_need(
    service: OnboardingService, tmp_path: Path
) -> None:
    practise_everything(service, "Ana", right=True)
    service.complete_walkthrough("Ana", TOUR, NOW)
    service.complete_walkthrough("Ana", MATRIX_EXPLAINED, NOW + timedelta(hours=1))
    practise_everything(service, "Ben", right=False)
    ana, ben = service.roster()
    assert (ana.name, ana.ready, ana.scores) == ("Ana", True, {"P1": 1.0, "P2": 1.0, "P3": 1.0})
    assert set(ana.walkthroughs) == {TOUR, MATRIX_EXPLAINED}
    assert ana.first_activity == NOW
    assert ana.last_activity == NOW + timedelta(hours=1)
    assert not ben.ready
    assert ben.scores["P1"] == 0.5
    assert "P1 at 50% (needs 80%)" in ben.missing
    assert f"the walkthrough {TOUR!r}" in ben.missing
    service.set_ready_threshold(0.5)
    assert service.ready_threshold() == 0.5
    assert "P1 at 50% (needs 80%)" not in service.roster()[1].missing
    headers, rows = service.roster_sheet()
    assert headers[:3] == ("Agent", "Ready", "P1 score")
    assert rows[0][:3] == ("Ana", "Ready", 1.0)


def test_a_threshold_outside_the_range_is_refused(service: OnboardingService) -> None:
    with pytest.raises(ValueError, match="between 1 % and 100 %"):
        service.set_ready_threshold(1.5)


def test_a_lead_writes_a_scenario_and_the_matrix_answers_it(service: OnboardingService) -> None:
    situation = Situation(None, 45, module="Payments", scope=("customers cannot send payments",))
    scenario = service.add_scenario("Payments fail at checkout for a shop.", situation, "Lead")
    assert service.scenarios()[-1] == scenario
    assert scenario.key == "lead-1"
    assert service.advise(scenario.situation, NOW).level.code == "P1"
    with pytest.raises(ValueError, match="which module or issue type"):
        service.add_scenario("Something", Situation("P2", 10), "Lead")
    service.remove_scenario("lead-1")
    assert all(s.author == "" for s in service.scenarios())


def test_practising_needs_a_name(service: OnboardingService) -> None:
    scenario = service.scenarios()[0]
    with pytest.raises(ValueError, match="type your name first"):
        service.answer(" ", scenario, Answer(Decision.HOLD, "P1", "", ""), NOW)
