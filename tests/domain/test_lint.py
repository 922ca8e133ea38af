"""The matrix linter: each rule fires on a broken matrix and stays quiet once it is fixed."""

from dataclasses import replace

import pytest

from escalation_desk.domain.directory import Role, Team
from escalation_desk.domain.durations import Duration
from escalation_desk.domain.lint import Finding, Location, Severity, lint
from escalation_desk.domain.matrix import EscalationStep, SeverityLevel, Trigger, TriggerKind
from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.domain.snapshot import MatrixSnapshot

TEAMS = (
    Team("Support on-call rota", 1),
    Team("Support Tier 1", 1, calendar="Business hours"),
    Team("Support Tier 2", 2, calendar="Business hours"),
    Team("Support management", 2),
    Team("Backend on-call", 3),
    Team("Infra / SRE", 3),
    Team("Frontend", 3, calendar="Business hours"),
)

ROLES = (
    Role("Support on-call", "Support on-call rota", "Amara Okafor", "Liam Brennan"),
    Role("Support liaison", "Support Tier 1", "Sofia Marques", "Kenji Watanabe"),
    Role("Tier 2 specialist", "Support Tier 2", "Priya Raman", "Tomasz Nowak"),
    Role("Incident commander", "Support management", "Marcus Adeyemi", "Hannah Lindqvist"),
    Role("Dev Lead", "Backend on-call", "Oliver Hughes", "Wei Chen"),
    Role("Infra on-call lead", "Infra / SRE", "Diego Fernandez", "Aisha Rahman"),
    Role("Frontend lead", "Frontend", "Camille Laurent", "Rahul Mehta"),
)

P1 = SeverityLevel(
    "P1",
    "Critical",
    1,
    "#D55E00",
    Duration(30),
    update_every=Duration(60),
    target_resolution=Duration(240),
    method="Jira + Teams with link",
    contacts=("Dev Lead", "Incident commander"),
    engineer_role="Dev Lead",
    liaison_role="Support liaison",
    hand_back="Support owns the issue again once service is restored.",
    triggers=(
        Trigger(TriggerKind.IMPACT, "System outage", system_wide=True),
        Trigger(TriggerKind.TIME, after=Duration(15)),
    ),
    steps=(
        EscalationStep(0, "Support on-call"),
        EscalationStep(15, "Dev Lead"),
        EscalationStep(30, "Incident commander"),
    ),
)
P2 = SeverityLevel(
    "P2",
    "High",
    2,
    "#E69F00",
    Duration(120),
    update_every=Duration(240),
    method="Jira + Teams channel post",
    contacts=("Dev Lead",),
    engineer_role="Dev Lead",
    liaison_role="Support liaison",
    triggers=(
        Trigger(TriggerKind.SCOPE, "Requires code-level investigation"),
        Trigger(TriggerKind.TIME, after=Duration(60)),
    ),
    steps=(EscalationStep(0, "Support on-call"), EscalationStep(60, "Dev Lead")),
)
P3 = SeverityLevel(
    "P3",
    "Normal",
    3,
    "#0072B2",
    Duration(480, business=True),
    update_every=Duration(480, business=True),
    method="Jira ticket",
    contacts=("Tier 2 specialist",),
    engineer_role="Tier 2 specialist",
    liaison_role="Support liaison",
    triggers=(Trigger(TriggerKind.TIME, after=Duration(480, business=True)),),
    # A business-hours level may call on teams that keep office hours.
    steps=(EscalationStep(0, "Tier 2 specialist"), EscalationStep(480, "Frontend lead")),
)

RULES = (
    RoutingRule(1, MatchOn.ISSUE_TYPE, "Security", "Infra / SRE", "Infra on-call lead"),
    RoutingRule(2, MatchOn.MODULE, "Database", "Infra / SRE", "Infra on-call lead"),
    RoutingRule(3, MatchOn.MODULE, "Pay*", "Backend on-call", "Dev Lead"),
    RoutingRule(4, MatchOn.ISSUE_TYPE, "UI bug", "Frontend", "Frontend lead"),
    RoutingRule(5, MatchOn.MODULE, "*", "Support Tier 2", "Tier 2 specialist"),
)

CLEAN = MatrixSnapshot(
    levels=(P1, P2, P3),
    routing=RULES,
    roles=ROLES,
    teams=TEAMS,
    used_modules=("Database", "Payments", "Reports"),
    used_issue_types=("UI bug", "Data export"),
)


def found(snapshot: MatrixSnapshot, code: str) -> list[Finding]:
    """The findings with this code."""
    return [finding for finding in lint(snapshot) if finding.code == code]


def where(snapshot: MatrixSnapshot, code: str) -> list[str]:
    """Where the findings with this code point, as text."""
    return [str(finding.where) for finding in found(snapshot, code)]


def test_a_clean_matrix_has_no_findings() -> None:
    assert lint(CLEAN) == []


def test_a_level_without_a_contact_is_an_error() -> None:
    broken = MatrixSnapshot(levels=(replace(P2, contacts=(" ",)),), roles=ROLES, teams=TEAMS)
    (finding,) = found(broken, "level-no-contact")
    assert finding.severity is Severity.ERROR
    assert finding.where == Location("matrix", "P2", "contacts")
    assert "P2" in finding.message
    assert found(replace(broken, levels=(P2,)), "level-no-contact") == []


def test_a_level_without_a_method_is_a_warning() -> None:
    broken = MatrixSnapshot(levels=(replace(P2, method="  "),), roles=ROLES, teams=TEAMS)
    (finding,) = found(broken, "level-no-method")
    assert finding.severity is Severity.WARNING
    assert str(finding.where) == "matrix P2 method"
    assert found(replace(broken, levels=(P2,)), "level-no-method") == []


def test_a_level_without_a_target_response_is_an_error() -> None:
    broken = MatrixSnapshot(levels=(replace(P2, target_response=None),), roles=ROLES, teams=TEAMS)
    (finding,) = found(broken, "level-no-target")
    assert finding.severity is Severity.ERROR
    assert str(finding.where) == "matrix P2 target_response"
    assert found(replace(broken, levels=(P2,)), "level-no-target") == []


def test_a_more_severe_level_must_be_answered_faster() -> None:
    slow_p1 = replace(P1, target_response=Duration(240))
    broken = MatrixSnapshot(levels=(slow_p1, P2), roles=ROLES, teams=TEAMS)
    (finding,) = found(broken, "targets-not-faster")
    assert finding.severity is Severity.ERROR
    assert finding.where == Location("matrix", "P1", "target_response")
    assert "P1" in finding.message
    assert "P2" in finding.message
    assert "(4 h)" in finding.message
    assert "(2 h)" in finding.message
    assert found(replace(broken, levels=(P1, P2)), "targets-not-faster") == []


def test_business_time_counts_three_times_when_comparing_targets() -> None:
    one_business_hour = replace(P2, target_response=Duration(60, business=True))  # about 3 h
    two_and_a_half_hours = replace(P1, target_response=Duration(150))
    four_hours = replace(P1, target_response=Duration(240))
    fine = MatrixSnapshot(levels=(two_and_a_half_hours, one_business_hour))
    assert where(fine, "targets-not-faster") == []
    broken = MatrixSnapshot(levels=(four_hours, one_business_hour))
    assert where(broken, "targets-not-faster") == ["matrix P1 target_response"]


def test_levels_without_a_target_are_left_out_of_the_comparison() -> None:
    untimed = replace(P1, target_response=None)
    assert found(MatrixSnapshot(levels=(untimed, P2, P3)), "targets-not-faster") == []


def test_a_time_trigger_or_step_later_than_the_target_is_a_warning() -> None:
    late = replace(
        P1,
        triggers=(Trigger(TriggerKind.TIME, after=Duration(120)),),
        steps=(EscalationStep(0, "Support on-call"), EscalationStep(45, "Incident commander")),
    )
    broken = MatrixSnapshot(levels=(late,), roles=ROLES, teams=TEAMS)
    findings = found(broken, "trigger-after-target")
    assert [f.severity for f in findings] == [Severity.WARNING, Severity.WARNING]
    assert [str(f.where) for f in findings] == ["matrix P1 triggers", "matrix P1 steps"]
    assert "No progress after 2 h" in findings[0].message
    assert "Incident commander" in findings[1].message
    fixed = replace(
        late,
        triggers=(Trigger(TriggerKind.TIME, after=Duration(30)),),
        steps=(EscalationStep(0, "Support on-call"), EscalationStep(30, "Incident commander")),
    )
    assert found(replace(broken, levels=(fixed,)), "trigger-after-target") == []


def test_a_business_step_is_read_on_the_levels_business_clock() -> None:
    # 480 business minutes is the P3 target exactly: on time, not late.
    assert found(MatrixSnapshot(levels=(P3,)), "trigger-after-target") == []
    late = replace(P3, steps=(EscalationStep(960, "Frontend lead"),))
    assert where(MatrixSnapshot(levels=(late,)), "trigger-after-target") == ["matrix P3 steps"]


def test_a_role_nobody_holds_is_an_error() -> None:
    broken = MatrixSnapshot(roles=(Role("Dev Lead", "Backend on-call", None, "Wei Chen"),))
    (finding,) = found(broken, "role-no-holder")
    assert finding.severity is Severity.ERROR
    assert str(finding.where) == "directory Dev Lead holder"
    fixed = MatrixSnapshot(roles=(Role("Dev Lead", "Backend on-call", "Oliver Hughes", "Wei"),))
    assert found(fixed, "role-no-holder") == []


def test_a_role_without_a_backup_is_a_warning() -> None:
    broken = MatrixSnapshot(roles=(Role("Dev Lead", "Backend on-call", "Oliver Hughes", " "),))
    (finding,) = found(broken, "role-no-backup")
    assert finding.severity is Severity.WARNING
    assert str(finding.where) == "directory Dev Lead backup"
    assert "Oliver Hughes" in finding.message
    fixed = MatrixSnapshot(roles=(Role("Dev Lead", "Backend on-call", "Oliver Hughes", "Wei"),))
    assert found(fixed, "role-no-backup") == []


def test_one_person_holding_every_top_level_contact_is_a_warning() -> None:
    one_person = tuple(
        replace(role, holder="Oliver Hughes") if role.name == "Incident commander" else role
        for role in ROLES
    )
    broken = MatrixSnapshot(levels=(P1, P2), roles=one_person, teams=TEAMS)
    (finding,) = found(broken, "single-point-of-failure")
    assert finding.severity is Severity.WARNING
    assert str(finding.where) == "matrix P1 contacts"
    assert "Oliver Hughes" in finding.message
    assert found(replace(broken, roles=ROLES), "single-point-of-failure") == []


def test_only_the_top_level_is_checked_for_a_single_point_of_failure() -> None:
    # P2 has one contact, so one person, but only the most severe level must never hang on one.
    assert found(MatrixSnapshot(levels=(P1, P2), roles=ROLES), "single-point-of-failure") == []
    # Contacts without a holder leave nobody to count.
    vacant = tuple(replace(role, holder=None) for role in ROLES)
    assert found(MatrixSnapshot(levels=(P1,), roles=vacant), "single-point-of-failure") == []


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        (
            RoutingRule(1, MatchOn.MODULE, "*", "Support Tier 2", "Tier 2 specialist"),
            RoutingRule(2, MatchOn.MODULE, "Billing", "Backend on-call", "Dev Lead"),
        ),
        # "*" matches every escalation, whatever it looks at.
        (
            RoutingRule(1, MatchOn.MODULE, " * ", "Support Tier 2", "Tier 2 specialist"),
            RoutingRule(2, MatchOn.ISSUE_TYPE, "UI bug", "Frontend", "Frontend lead"),
        ),
        (
            RoutingRule(1, MatchOn.MODULE, "billing ", "Backend on-call", "Dev Lead"),
            RoutingRule(2, MatchOn.MODULE, "Billing", "Support Tier 2", "Tier 2 specialist"),
        ),
        (
            RoutingRule(1, MatchOn.MODULE, "Pay*", "Backend on-call", "Dev Lead"),
            RoutingRule(2, MatchOn.MODULE, "PAYMENTS API", "Infra / SRE", "Infra on-call lead"),
        ),
    ],
)
def test_a_rule_an_earlier_rule_always_catches_first_is_shadowed(
    earlier: RoutingRule, later: RoutingRule
) -> None:
    broken = MatrixSnapshot(routing=(later, earlier))  # the order field decides, not the tuple
    (finding,) = found(broken, "rule-shadowed")
    assert finding.severity is Severity.WARNING
    assert finding.where == Location("routing", "2", "pattern")
    assert str(finding.where) == "routing rule 2 pattern"
    fixed = MatrixSnapshot(routing=(replace(earlier, pattern="Reports"), later))
    assert found(fixed, "rule-shadowed") == []


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        # Another field: a "Billing" module rule says nothing about a "Billing" issue type.
        (
            RoutingRule(1, MatchOn.MODULE, "Billing", "Backend on-call", "Dev Lead"),
            RoutingRule(2, MatchOn.ISSUE_TYPE, "Billing", "Support Tier 2", "Tier 2 specialist"),
        ),
        # A wildcard later pattern is not treated as one subject.
        (
            RoutingRule(1, MatchOn.MODULE, "Pay*", "Backend on-call", "Dev Lead"),
            RoutingRule(2, MatchOn.MODULE, "Pay*ments", "Infra / SRE", "Infra on-call lead"),
        ),
        # An empty pattern matches nothing.
        (
            RoutingRule(1, MatchOn.MODULE, " ", "Backend on-call", "Dev Lead"),
            RoutingRule(2, MatchOn.MODULE, "Billing", "Infra / SRE", "Infra on-call lead"),
        ),
    ],
)
def test_rules_that_can_both_fire_are_not_shadowed(
    earlier: RoutingRule, later: RoutingRule
) -> None:
    assert found(MatrixSnapshot(routing=(earlier, later)), "rule-shadowed") == []


def test_a_module_or_issue_type_no_rule_covers_is_a_warning() -> None:
    rules = (RoutingRule(1, MatchOn.MODULE, "Billing", "Backend on-call", "Dev Lead"),)
    broken = MatrixSnapshot(
        routing=rules,
        used_modules=("Billing", "Reports", "Reports"),
        used_issue_types=("UI bug",),
    )
    findings = found(broken, "unrouted-module")
    assert [f.where for f in findings] == [
        Location("routing", "Reports"),
        Location("routing", "UI bug"),
    ]
    assert all(f.severity is Severity.WARNING for f in findings)
    assert "Reports" in findings[0].message
    catch_all = RoutingRule(2, MatchOn.MODULE, "*", "Support Tier 2", "Tier 2 specialist")
    assert found(replace(broken, routing=(*rules, catch_all)), "unrouted-module") == []


def test_a_24_7_level_calling_an_office_hours_team_is_a_warning() -> None:
    teams = tuple(
        replace(team, calendar="Business hours") if team.name == "Backend on-call" else team
        for team in TEAMS
    )
    broken = MatrixSnapshot(levels=(P1,), roles=ROLES, teams=teams)
    (finding,) = found(broken, "calendar-mismatch")
    assert finding.severity is Severity.WARNING
    # Dev Lead is a contact, the engineer and a step: the finding points at the first mention.
    assert str(finding.where) == "matrix P1 contacts"
    assert "Dev Lead" in finding.message
    assert "Backend on-call" in finding.message
    assert found(replace(broken, teams=TEAMS), "calendar-mismatch") == []
    # The same roles are fine for a level that itself runs in business hours.
    office = replace(P1, target_response=Duration(30, business=True))
    assert found(replace(broken, levels=(office,)), "calendar-mismatch") == []


def test_the_engineer_and_step_roles_are_checked_against_calendars_too() -> None:
    level = replace(
        P2,
        contacts=("Dev Lead",),
        engineer_role="Frontend lead",
        steps=(EscalationStep(30, "Tier 2 specialist"),),
    )
    snapshot = MatrixSnapshot(levels=(level,), roles=ROLES, teams=TEAMS)
    assert where(snapshot, "calendar-mismatch") == ["matrix P2 owner", "matrix P2 steps"]


def test_errors_come_first_then_screen_and_row_order() -> None:
    snapshot = MatrixSnapshot(
        levels=(replace(P1, method=""), replace(P2, contacts=())),
        routing=(
            RoutingRule(1, MatchOn.MODULE, "*", "Support Tier 2", "Tier 2 specialist"),
            RoutingRule(2, MatchOn.MODULE, "Billing", "Backend on-call", "Dev Lead"),
        ),
        roles=(ROLES[0], replace(ROLES[3], holder=None), *ROLES[4:]),
        teams=TEAMS,
    )
    assert [(f.severity.value, f.code, str(f.where)) for f in lint(snapshot)] == [
        ("error", "level-no-contact", "matrix P2 contacts"),
        ("error", "role-no-holder", "directory Incident commander holder"),
        ("warning", "level-no-method", "matrix P1 method"),
        # With the incident commander vacant, Oliver Hughes alone answers a P1.
        ("warning", "single-point-of-failure", "matrix P1 contacts"),
        ("warning", "rule-shadowed", "routing rule 2 pattern"),
    ]


def test_locations_read_as_places_on_screen() -> None:
    assert str(Location("matrix", "P1", "contacts")) == "matrix P1 contacts"
    assert str(Location("routing", "3")) == "routing rule 3"
    assert str(Location("routing", "Reports")) == "routing Reports"
    assert str(Location("directory", "Dev Lead", "holder")) == "directory Dev Lead holder"


def test_a_finding_as_json_is_plain_strings() -> None:
    finding = Finding(
        Severity.ERROR,
        "role-no-holder",
        "Nobody holds it.",
        Location("directory", "Dev Lead", "holder"),
    )
    assert finding.as_json() == {
        "severity": "error",
        "code": "role-no-holder",
        "message": "Nobody holds it.",
        "where": "directory Dev Lead holder",
    }
