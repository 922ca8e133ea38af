"""Replaying a helpdesk export against the draft and a published version, without writing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pytest

from escalation_desk.services.replay import ReplayService
from escalation_desk.services.routing import RoutingService
from escalation_desk.services.versions import VersionService
from escalation_desk.spreadsheets.safety import SpreadsheetError
from escalation_desk.store.db import Workspace
from tests.workspaces import fingerprint

DATA = Path(__file__).parents[1] / "data"

# Every ticket opens on Monday 2 March 2026 at 08:00; P1 escalates after 2 h without a
# resolution, P2 after 4 h.
BILLING_EXPORT = """Ref,Title,Module,Priority,Status,Opened,Resolved
BILL-1,Invoice run failed,Billing,P1,Resolved,2026-03-02 08:00,2026-03-02 11:00
BILL-2,VAT wrong on invoices,Billing,P2,Resolved,2026-03-02 08:00,2026-03-02 14:00
BILL-3,Invoice PDF blank,Billing,P1,Resolved,2026-03-02 08:00,2026-03-02 09:00
DB-1,Replica lag,Database,P1,Resolved,2026-03-02 08:00,2026-03-02 12:00
PAY-1,Card payments declined,Payments,P1,Resolved,2026-03-02 08:00,2026-03-02 12:00
API-1,Webhooks time out,API,P1,Resolved,2026-03-02 08:00,2026-03-02 12:00
"""


def digest(workspace: Workspace) -> str:
    return fingerprint(workspace)


@pytest.fixture
def billing_export(tmp_path: Path) -> Path:
    path = tmp_path / "billing.csv"
    path.write_text(BILLING_EXPORT, encoding="utf-8")
    return path


def route_billing_to_payments(workspace: Workspace) -> None:
    """Publish the example as version 1, then send Billing to Payments in the draft."""
    VersionService(workspace).publish("The example as it came")
    routing = RoutingService(workspace)
    billing = next(r for r in routing.rules() if r.rule.pattern == "Billing")
    routing.update_rule(
        billing,
        replace(billing.rule, team="Payments engineering", role="Payments on-call engineer"),
    )


def test_routing_billing_to_payments_moves_exactly_the_billing_escalations(
    example_workspace: Workspace, billing_export: Path
) -> None:
    route_billing_to_payments(example_workspace)
    before = digest(example_workspace)

    report = ReplayService(example_workspace).replay(billing_export, against=1, zone=UTC)

    result = report.replay
    assert result.a is not None
    assert result.difference is not None
    assert (result.a.label, result.b.label) == ("version 1", "draft")
    assert result.a.by_team == {"Backend": 3, "Infra / SRE": 1, "Payments engineering": 1}
    assert result.b.by_team == {"Payments engineering": 3, "Backend": 1, "Infra / SRE": 1}
    difference = result.difference
    assert difference.by_team["Backend"].change == -2
    assert difference.by_team["Payments engineering"].change == 2
    assert difference.by_team["Infra / SRE"].change == 0
    assert difference.by_role["Backend lead"].as_json() == {"a": 2, "b": 0, "change": -2}
    assert difference.by_role["Integrations engineer"].change == 0
    assert [m.ref for m in difference.moved] == ["BILL-1", "BILL-2"]
    assert difference.moves() == [("Backend", "Payments engineering", 2)]
    # Moving a route changes who gets the escalations, not how many or when.
    assert result.a.escalations == result.b.escalations == 5
    assert result.b.by_hour[10] == 4
    assert result.b.by_hour[12] == 1
    assert digest(example_workspace) == before


def test_deadlines_and_business_time_follow_the_workspaces_levels_and_calendar(
    example_workspace: Workspace,
) -> None:
    report = ReplayService(example_workspace).replay(
        DATA / "tickets" / "zendesk_export.csv", zone=UTC
    )
    assert report.format == "zendesk"
    b = report.replay.b
    assert b.priorities == {"Urgent": "P1", "Normal": "P3", "High": "P2"}
    # 4501 (P1) replied in 19 min and was solved in 79: nothing fires, nothing is late.
    # 4503 (P2) replied after 4 h against 2 h, passed its 4 h trigger at 12:00, and was
    # solved Friday 17:45, after its one business day (Thursday 09:00-17:00 in London).
    assert b.response.as_json() == {"checked": 2, "breached": 1}
    assert b.resolution.as_json() == {"checked": 2, "breached": 1}
    assert b.by_level["P2"].resolution_breaches == 1
    # 4502 (P3, still open) escalates after two business days on the example's London
    # calendar (09:00-17:30): Wednesday 14:05 + 16 working hours = Friday 13:05.
    assert b.by_day == {"2024-03-14": 1, "2024-03-15": 1}
    assert (b.by_hour[12], b.by_hour[13]) == (1, 1)
    assert b.by_team == {"Support Tier 2": 2}


def test_priorities_the_matrix_cannot_place_are_reported_until_mapped(
    example_workspace: Workspace,
) -> None:
    service = ReplayService(example_workspace)
    jira = DATA / "tickets" / "jira_export.csv"
    unmapped = service.replay(jira, zone=UTC).replay.b
    assert unmapped.unmapped_priorities == {"Low": 1}
    assert unmapped.priorities["Low"] is None
    assert unmapped.replayed == 2

    mapped = service.replay(jira, priorities={"low": "P3"}, zone=UTC).replay.b
    assert (mapped.unmapped_priorities, mapped.replayed) == ({}, 3)


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        ("truncated.xlsx", SpreadsheetError, "truncated.xlsx"),
        ("missing.csv", SpreadsheetError, "missing.csv does not exist or is not a file."),
        (
            "tickets/unrecognised_headers.csv",
            ValueError,
            "unrecognised_headers.csv cannot be replayed: row 1: No ticket reference column",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_a_sentence_and_changes_nothing(
    example_workspace: Workspace, name: str, error: type[Exception], message: str
) -> None:
    before = digest(example_workspace)
    with pytest.raises(error) as refused:
        ReplayService(example_workspace).replay(DATA / name)
    assert str(refused.value).startswith(message)
    assert str(refused.value).count("\n") == 0
    assert digest(example_workspace) == before


def test_a_version_that_does_not_exist_is_refused(
    example_workspace: Workspace, billing_export: Path
) -> None:
    with pytest.raises(ValueError, match=r"^There is no version 4\.$"):
        ReplayService(example_workspace).replay(billing_export, against=4)


def test_an_export_without_tickets_is_refused(example_workspace: Workspace, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("Ref,Title,Priority,Opened\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^empty\.csv holds no tickets to replay\.$"):
        ReplayService(example_workspace).replay(empty)
