"""Matrix, routing and version services: each change saved whole, refused changes explained."""

from __future__ import annotations

from dataclasses import replace

import pytest

from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import Trigger, TriggerKind
from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.domain.versions import ChangeKind
from escalation_desk.services.matrix import MatrixService
from escalation_desk.services.routing import RoutingService
from escalation_desk.services.versions import VersionService
from escalation_desk.store.db import Workspace


def test_a_level_edit_saves_contacts_triggers_and_targets(example_workspace: Workspace) -> None:
    service = MatrixService(example_workspace)
    p2 = service.levels()[1]
    edited = replace(
        p2.level,
        contacts=("Support manager", "Dev Lead"),
        triggers=(Trigger(TriggerKind.TIME, "", Duration(90)),),
        target_response=Duration(60),
    )
    service.update_level(p2, edited)
    again = service.levels()[1].level
    assert again.contacts == ("Support manager", "Dev Lead")
    assert [t.sentence() for t in again.triggers] == ["No progress after 1 h 30 min"]
    assert again.target_response == Duration(60)


def test_an_unknown_role_is_refused_and_nothing_changes(example_workspace: Workspace) -> None:
    service = MatrixService(example_workspace)
    p1 = service.levels()[0]
    with pytest.raises(ValueError, match="No role is called Night owl"):
        service.update_level(p1, replace(p1.level, contacts=("Night owl",), method="Pager"))
    assert service.levels()[0].level == p1.level


def test_levels_are_added_moved_and_removed_with_ranks_kept_dense(
    example_workspace: Workspace,
) -> None:
    service = MatrixService(example_workspace)
    p3 = service.levels()[2].level
    service.add_level(replace(p3, code="P0", name="Outage"), rank=1)
    assert [(r.level.code, r.level.rank) for r in service.levels()] == [
        ("P0", 1),
        ("P1", 2),
        ("P2", 3),
        ("P3", 4),
    ]
    service.move_level("P0", 4)
    assert [r.level.code for r in service.levels()] == ["P1", "P2", "P3", "P0"]
    removed = service.remove_level(service.levels()[3])
    assert removed.name == "Outage"
    assert [(r.level.code, r.level.rank) for r in service.levels()] == [
        ("P1", 1),
        ("P2", 2),
        ("P3", 3),
    ]
    with pytest.raises(ValueError, match="already exists"):
        service.add_level(replace(p3, code="P1"))


def test_routing_rules_edit_move_and_try(example_workspace: Workspace) -> None:
    service = RoutingService(example_workspace)
    answer = service.try_route("database")
    assert answer is not None
    assert (answer.rule.order, answer.rule.team, answer.rule.role) == (
        2,
        "Infra / SRE",
        "Infra on-call lead",
    )
    assert answer.person is not None
    service.add_rule(RoutingRule(1, MatchOn.MODULE, "Database", "Backend", "Backend lead"), 1)
    moved = service.try_route("Database")
    assert moved is not None
    assert (moved.rule.order, moved.rule.role) == (1, "Backend lead")
    service.move_rule(1, 13)
    back = service.try_route("Database")
    assert back is not None
    assert back.rule.role == "Infra on-call lead"
    with pytest.raises(ValueError, match="No team is called Night shift"):
        service.update_rule(
            service.rules()[0], replace(service.rules()[0].rule, team="Night shift")
        )


def test_publishing_versions_and_reading_what_changed(example_workspace: Workspace) -> None:
    versions = VersionService(example_workspace)
    assert versions.in_force() is None
    with pytest.raises(ValueError, match="what changed"):
        versions.publish("   ")
    first = versions.publish("First matrix agreed with engineering")
    assert first.number == 1
    matrix = MatrixService(example_workspace)
    p1 = matrix.levels()[0]
    matrix.update_level(p1, replace(p1.level, target_response=Duration(15)))
    draft_changes = versions.compare(1, None)
    assert [(c.kind, c.subject) for c in draft_changes] == [(ChangeKind.CHANGED, "level P1")]
    assert "30 min" in draft_changes[0].text
    assert "15 min" in draft_changes[0].text
    second = versions.publish("P1 answered in 15 minutes")
    assert [v.number for v in versions.versions()] == [2, 1]
    assert versions.compare(1, 2) == draft_changes
    assert versions.compare(2, None) == []
    assert versions.snapshot(1).level("P1").target_response == Duration(30)  # type: ignore[union-attr]
    assert second.note == "P1 answered in 15 minutes"
