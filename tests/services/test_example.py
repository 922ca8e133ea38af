"""The example workspace is consistent: routing, stages and checklists agree with each other."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from escalation_desk.domain.lifecycle import Status
from escalation_desk.domain.routing import MatchOn, RoutingRule, route
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace


def test_example_has_the_domain_matrix(example_workspace: Workspace) -> None:
    with example_workspace.read() as s:
        levels = s.scalars(select(t.SeverityLevel).order_by(t.SeverityLevel.rank)).all()
        assert [lv.code for lv in levels] == ["P1", "P2", "P3"]
        assert levels[0].target_response_minutes == 30
        assert {c.role.name for c in levels[0].contacts} >= {"Dev Lead", "Product Manager"}
        assert {tr.kind for tr in levels[0].triggers} == {"time", "scope", "impact"}
        assert {i.gate for i in levels[0].checklist} == {"blocking"}
        assert {i.gate for i in levels[2].checklist} == {"warning"}


def test_every_example_escalation_went_where_routing_sends_it(
    example_workspace: Workspace,
) -> None:
    with example_workspace.read() as s:
        rules = [
            RoutingRule(r.position, MatchOn(r.match_on), r.pattern, r.team.name, r.role.name)
            for r in s.scalars(select(t.RoutingRule))
        ]
        escalations = s.scalars(select(t.Escalation)).all()
        assert len(escalations) == 36
        for esc in escalations:
            rule = route(rules, esc.module, esc.issue_type)
            assert rule is not None
            assert (esc.team.name, esc.role.name) == (rule.team, rule.role), esc.ref  # type: ignore[union-attr]


def test_example_escalations_span_every_status_with_consistent_stages(
    example_workspace: Workspace,
) -> None:
    with example_workspace.read() as s:
        escalations = s.scalars(select(t.Escalation)).all()
        assert set(Counter(e.status for e in escalations)) == {st.value for st in Status}
        for esc in escalations:
            stages = [
                esc.created_at,
                esc.escalated_at,
                esc.acknowledged_at,
                esc.resolved_at,
                esc.closed_at,
            ]
            reached = [moment for moment in stages if moment is not None]
            assert reached == sorted(reached), esc.ref
            assert len(esc.events) >= len(reached), esc.ref
            assert len(esc.checklist) == len(esc.severity.checklist), esc.ref
