"""Comparing two versions of a matrix reads as a list of plain changes, in a stable order."""

from dataclasses import replace

from escalation_desk.domain.directory import Role, Team
from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import (
    EscalationStep,
    SeverityLevel,
    Trigger,
    TriggerKind,
    UpdatesBy,
)
from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.domain.versions import Change, ChangeKind, diff

P1 = SeverityLevel(
    "P1",
    "Critical",
    1,
    "#D55E00",
    Duration(30),
    update_every=Duration(60),
    target_resolution=Duration(240),
    method="Jira + Teams with link",
    contacts=("Dev Lead", "Product Manager"),
    engineer_role="Dev Lead",
    liaison_role="Support liaison",
    hand_back="Support owns the issue again once service is restored.",
    triggers=(
        Trigger(TriggerKind.IMPACT, "System outage", system_wide=True),
        Trigger(TriggerKind.TIME, after=Duration(120)),
    ),
    steps=(EscalationStep(0, "Support on-call"), EscalationStep(60, "Dev Lead")),
)
P2 = SeverityLevel("P2", "High", 2, "#E69F00", Duration(120), method="Jira")
P3 = SeverityLevel("P3", "Normal", 3, "#0072B2", Duration(480, business=True), method="Jira")

RULES = (
    RoutingRule(1, MatchOn.ISSUE_TYPE, "Security", "Infra / SRE", "Security lead"),
    RoutingRule(2, MatchOn.MODULE, "Database", "Infra / SRE", "Infra on-call lead"),
    RoutingRule(3, MatchOn.MODULE, "Billing", "Backend", "Backend lead"),
    RoutingRule(4, MatchOn.MODULE, "*", "Support Tier 2", "Tier 2 specialist"),
)

OLD = MatrixSnapshot(
    levels=(P1, P2, P3),
    routing=RULES,
    roles=(
        Role("Dev Lead", "Backend", "Oliver Hughes", "Wei Chen"),
        Role("Support liaison", "Support Tier 1", "Sofia Marques", None),
    ),
    teams=(Team("Backend", 3, "Business hours"), Team("Support Tier 1", 1)),
)


def changes(new: MatrixSnapshot) -> list[tuple[str, str, str]]:
    """The diff from OLD as plain tuples, easy to compare."""
    return [(c.kind.value, c.subject, c.text) for c in diff(OLD, new)]


def test_identical_snapshots_have_no_changes() -> None:
    assert diff(OLD, OLD) == []
    assert diff(MatrixSnapshot(), MatrixSnapshot()) == []


def test_an_added_and_a_removed_level() -> None:
    p4 = SeverityLevel("P4", "Low", 4, "#999999", Duration(960, business=True))
    assert changes(replace(OLD, levels=(P1, P2, p4))) == [
        ("added", "level P4", "New level P4 Low, target response 2 business days"),
        ("removed", "level P3", "Level P3 Normal removed"),
    ]


def test_changed_level_fields_read_before_and_after() -> None:
    new_p1 = replace(
        P1,
        name="Urgent",
        colour="#FF0000",
        target_response=Duration(15),
        update_every=Duration(30),
        target_resolution=None,
        method="Jira + phone call",
        engineer_role="Backend lead",
        liaison_role=None,
        updates_by=UpdatesBy.ENGINEER,
    )
    assert changes(replace(OLD, levels=(new_p1, P2, P3))) == [
        ("changed", "level P1", 'Name "Critical" → "Urgent"'),
        ("changed", "level P1", "Colour #D55E00 → #FF0000"),
        ("changed", "level P1", "Target response 30 min → 15 min"),
        ("changed", "level P1", "Update every 1 h → 30 min"),
        ("changed", "level P1", "Target resolution 4 h → none"),
        ("changed", "level P1", 'Method "Jira + Teams with link" → "Jira + phone call"'),
        ("changed", "level P1", "Engineer role Dev Lead → Backend lead"),
        ("changed", "level P1", "Liaison role Support liaison → none"),
        ("changed", "level P1", "Updates logged by liaison → engineer"),
    ]


def test_a_switch_to_business_hours_shows_in_the_target() -> None:
    new_p2 = replace(P2, target_response=Duration(120, business=True))
    assert changes(replace(OLD, levels=(P1, new_p2, P3))) == [
        ("changed", "level P2", "Target response 2 h → 2 business h"),
    ]


def test_contacts_and_triggers_added_and_removed() -> None:
    new_p1 = replace(
        P1,
        contacts=("Dev Lead", "Incident commander"),
        triggers=(
            Trigger(TriggerKind.IMPACT, "System outage", system_wide=True),
            Trigger(TriggerKind.TIME, after=Duration(60)),
            Trigger(TriggerKind.IMPACT, customers_at_least=10),
        ),
    )
    assert changes(replace(OLD, levels=(new_p1, P2, P3))) == [
        ("added", "level P1", "New contact: Incident commander"),
        ("removed", "level P1", "Contact removed: Product Manager"),
        ("added", "level P1", 'New trigger: "No progress after 1 h"'),
        ("added", "level P1", 'New trigger: "10 or more customers affected"'),
        ("removed", "level P1", 'Trigger removed: "No progress after 2 h"'),
    ]


def test_steps_added_removed_and_retimed() -> None:
    new_p1 = replace(
        P1,
        steps=(
            EscalationStep(0, "Support on-call"),
            EscalationStep(30, "Dev Lead"),
            EscalationStep(120, tier=3),
        ),
    )
    assert changes(replace(OLD, levels=(new_p1, P2, P3))) == [
        ("changed", "level P1", "Step Dev Lead: after 1 h → after 30 min"),
        ("added", "level P1", "New step: bring in Tier 3 after 2 h"),
    ]
    fewer = replace(P1, steps=(EscalationStep(60, "Dev Lead"),))
    assert changes(replace(OLD, levels=(fewer, P2, P3))) == [
        ("removed", "level P1", "Step removed: Support on-call immediately"),
    ]


def test_hand_back_rule_changes() -> None:
    reworded = replace(P1, hand_back="Support takes it back once the fix is live.")
    cleared = replace(P1, hand_back="")
    assert changes(replace(OLD, levels=(reworded, P2, P3))) == [
        (
            "changed",
            "level P1",
            'Hand-back rule now reads: "Support takes it back once the fix is live."',
        ),
    ]
    assert changes(replace(OLD, levels=(cleared, P2, P3))) == [
        ("changed", "level P1", "Hand-back rule cleared"),
    ]


def test_a_level_moved_in_rank_is_reported_once() -> None:
    swapped = (replace(P2, rank=1), replace(P1, rank=2), P3)
    assert changes(replace(OLD, levels=swapped)) == [
        ("changed", "level P2", "Moved from rank 2 to rank 1"),
    ]


def test_renumbering_after_an_insert_is_not_a_move() -> None:
    p0 = SeverityLevel("P0", "Emergency", 1, "#000000", Duration(15))
    shifted = (p0, replace(P1, rank=2), replace(P2, rank=3), replace(P3, rank=4))
    assert changes(replace(OLD, levels=shifted)) == [
        ("added", "level P0", "New level P0 Emergency, target response 15 min"),
    ]


def test_routing_rules_added_removed_changed_and_moved() -> None:
    new_rules = (
        RoutingRule(1, MatchOn.MODULE, "Billing", "Payments", "Payments on-call"),
        RoutingRule(2, MatchOn.ISSUE_TYPE, "Security", "Infra / SRE", "Security lead"),
        RoutingRule(3, MatchOn.ISSUE_TYPE, "UI bug", "Frontend", "Frontend lead"),
        RoutingRule(4, MatchOn.MODULE, "*", "Support Tier 2", "Tier 2 specialist"),
    )
    assert changes(replace(OLD, routing=new_rules)) == [
        ("changed", "routing rule 1", "Rule for module Billing moved from position 3 to 1"),
        ("changed", "routing rule 1", "Rule for module Billing: team Backend → Payments"),
        (
            "changed",
            "routing rule 1",
            "Rule for module Billing: role Backend lead → Payments on-call",
        ),
        ("added", "routing rule 3", "New rule: issue type UI bug -> Frontend -> Frontend lead"),
        (
            "removed",
            "routing rule 2",
            "Rule removed: module Database -> Infra / SRE -> Infra on-call lead",
        ),
    ]


def test_roles_added_removed_and_reassigned() -> None:
    roles = (
        Role("Dev Lead", "Backend", "Wei Chen", "Oliver Hughes"),
        Role("Incident commander", "Support management", "Marcus Adeyemi", "Hannah Lindqvist"),
    )
    assert changes(replace(OLD, roles=roles)) == [
        ("changed", "role Dev Lead", "Holder Oliver Hughes → Wei Chen"),
        ("changed", "role Dev Lead", "Backup Wei Chen → Oliver Hughes"),
        ("added", "role Incident commander", "New role Incident commander, held by Marcus Adeyemi"),
        ("removed", "role Support liaison", "Role Support liaison removed"),
    ]


def test_a_backup_appointed_where_there_was_none() -> None:
    roles = (OLD.roles[0], replace(OLD.roles[1], backup="Kenji Watanabe"))
    assert changes(replace(OLD, roles=roles)) == [
        ("changed", "role Support liaison", "Backup nobody → Kenji Watanabe"),
    ]


def test_teams_added_removed_and_retiered() -> None:
    teams = (Team("Backend", 2, None), Team("Frontend", 3, "Business hours"))
    assert changes(replace(OLD, teams=teams)) == [
        ("changed", "team Backend", "Tier 3 → Tier 2"),
        ("changed", "team Backend", "Working hours Business hours → around the clock"),
        ("added", "team Frontend", "New team Frontend (Tier 3)"),
        ("removed", "team Support Tier 1", "Team Support Tier 1 removed"),
    ]


def test_changes_come_levels_then_routing_then_roles_then_teams() -> None:
    new = MatrixSnapshot(
        levels=(P1, P2),
        routing=RULES[1:],
        roles=OLD.roles[:1],
        teams=OLD.teams[:1],
    )
    result = diff(OLD, new)
    assert [c.subject for c in result] == [
        "level P3",
        "routing rule 1",
        "role Support liaison",
        "team Support Tier 1",
    ]
    assert {c.kind for c in result} == {ChangeKind.REMOVED}
    assert result[0] == Change(ChangeKind.REMOVED, "level P3", "Level P3 Normal removed")
