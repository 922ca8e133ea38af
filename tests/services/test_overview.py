"""The Home summary, computed from the example as of the moment it was loaded."""

from __future__ import annotations

from datetime import timedelta

from escalation_desk.services.overview import summarize
from escalation_desk.store.db import Workspace
from tests.conftest import NOW


def test_summary_counts_the_example(example_workspace: Workspace) -> None:
    summary = summarize(example_workspace, NOW)
    assert summary.name == "Quillpay Customer Support"
    assert [(lv.code, lv.open_count) for lv in summary.levels] == [("P1", 3), ("P2", 9), ("P3", 11)]
    assert summary.open_total == 23
    assert summary.open_by_status["new"] == 4
    assert (summary.teams, summary.people, summary.roles, summary.routing_rules) == (8, 23, 13, 12)


def test_breaches_are_listed_longest_overdue_first_with_a_reason(
    example_workspace: Workspace,
) -> None:
    breached = summarize(example_workspace, NOW).breached
    refs = [item.ref for item in breached]
    assert "SUP-4236" in refs  # P1 in progress for 5 h against a 4 h resolution target
    assert "SUP-4249" in refs  # P2 escalated 3 h ago, nobody acknowledged it
    item = next(i for i in breached if i.ref == "SUP-4249")
    assert item.reason == "Response 1 h late"
    assert item.severity == "P2"


def test_time_passing_turns_critical_into_breached(example_workspace: Workspace) -> None:
    now = summarize(example_workspace, NOW)
    later = summarize(example_workspace, NOW + timedelta(hours=1))
    assert now.critical
    assert len(later.breached) > len(now.breached)
    assert {i.ref for i in now.critical} & {i.ref for i in later.breached}


def test_without_liaison_and_awaiting_closure(example_workspace: Workspace) -> None:
    summary = summarize(example_workspace, NOW)
    assert {i.ref for i in summary.without_liaison} == {"SUP-4221", "SUP-4229", "SUP-4255"}
    closure = {i.ref: i for i in summary.awaiting_closure}
    assert len(closure) == 6
    assert closure["SUP-4185"].reason.startswith("ready to close")
    assert closure["SUP-4163"].detail == "Missing: Team debriefed"


def test_an_empty_workspace_summarizes_to_zeros(empty_workspace: Workspace) -> None:
    summary = summarize(empty_workspace, NOW)
    assert summary.levels == ()
    assert summary.open_total == 0
    assert summary.breached == summary.critical == summary.awaiting_closure == ()
    # Named after its file, or after its database on a team server.
    assert summary.name == (
        "empty" if empty_workspace.path else empty_workspace.engine.url.database
    )
