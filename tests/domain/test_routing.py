"""Routing: the first matching rule wins, matching ignores case, "*" catches the rest."""

from escalation_desk.domain.routing import MatchOn, RoutingRule, route

RULES = [
    RoutingRule(1, MatchOn.MODULE, "Database", "Infra", "Infra on-call lead"),
    RoutingRule(2, MatchOn.ISSUE_TYPE, "UI bug", "Frontend", "Frontend lead"),
    RoutingRule(3, MatchOn.MODULE, "Pay*", "Payments", "Payments on-call"),
    RoutingRule(4, MatchOn.MODULE, "*", "Tier 2", "Tier 2 specialist"),
]


def test_module_rule_matches_ignoring_case_and_spaces() -> None:
    rule = route(RULES, "  database ")
    assert rule is not None
    assert (rule.team, rule.role) == ("Infra", "Infra on-call lead")


def test_issue_type_rule_looks_at_the_issue_type_only() -> None:
    rule = route(RULES, module="Reports", issue_type="ui BUG")
    assert rule is not None
    assert rule.team == "Frontend"


def test_wildcards_and_first_match_wins() -> None:
    assert route(RULES, "Payments API").team == "Payments"  # type: ignore[union-attr]
    # Order decides, not the position in the list given.
    assert route(reversed(RULES), "Database").team == "Infra"  # type: ignore[union-attr]


def test_catch_all_takes_what_nothing_else_matches() -> None:
    assert route(RULES, "Email").role == "Tier 2 specialist"  # type: ignore[union-attr]


def test_no_rule_matches_without_a_catch_all() -> None:
    assert route(RULES[:3], "Email") is None


def test_describe_reads_as_a_path() -> None:
    assert RULES[0].describe() == "module Database -> Infra -> Infra on-call lead"
