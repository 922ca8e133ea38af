"""The facts KPIs read of each escalation follow it through the board, the closure loop and an
import: after each change they are what its stamps and checklist say, worked out by hand."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from escalation_desk.domain.kpis import LANES, epoch_minutes, lane_stays
from escalation_desk.domain.lifecycle import Status
from escalation_desk.services.board import BoardService
from escalation_desk.services.closure import ClosureService
from escalation_desk.services.escalations import EscalationService, NewEscalation
from escalation_desk.services.kpis import KpiService
from escalation_desk.services.ticket_import import TicketImportService
from escalation_desk.spreadsheets.tickets import TicketFormat
from escalation_desk.store import core
from escalation_desk.store.db import Workspace
from escalation_desk.store.facts import LANE_COLUMNS, escalation_facts, read_checklist_state
from tests.benchmarks.spreadsheet_data import write_ticket_export
from tests.conftest import NOW

LATER = NOW + timedelta(minutes=30)


def kept(workspace: Workspace, ref: str) -> dict[str, Any]:
    """The facts kept of ``ref``, as stored."""
    with workspace.query() as conn:
        row = conn.execute(
            select(escalation_facts)
            .join(core.escalations, core.escalations.c.id == escalation_facts.c.escalation_id)
            .where(core.escalations.c.ref == ref)
        ).one()
    return dict(row._mapping)


def expected(workspace: Workspace, ref: str) -> dict[str, Any]:
    """What the facts of ``ref`` should be, from its board row and checklist."""
    esc = core.escalations.c
    with workspace.query() as conn:
        moments = conn.execute(
            select(
                esc.escalated_at,
                esc.acknowledged_at,
                esc.started_at,
                esc.handed_back_at,
                esc.resolved_at,
                esc.closed_at,
            ).where(esc.ref == ref)
        ).one()
    stamps = [None if moment is None else epoch_minutes(moment) for moment in moments]
    stays = dict(lane_stays(*stamps))
    lines = ClosureService(workspace).checklist(ref)
    return {
        "lanes": {lane: stays.get(lane) for lane in LANES},
        "checklist": [(n, line.name, line.state != "missing") for n, line in enumerate(lines)],
    }


def as_kept(facts: dict[str, Any]) -> dict[str, Any]:
    return {
        "lanes": {lane: facts[column] for lane, column in zip(LANES, LANE_COLUMNS, strict=True)},
        "checklist": read_checklist_state(facts["checklist"]),
    }


def assert_kept(workspace: Workspace, ref: str) -> dict[str, Any]:
    facts = as_kept(kept(workspace, ref))
    want = expected(workspace, ref)
    assert facts["checklist"] == want["checklist"]
    assert facts["lanes"] == pytest.approx(want["lanes"], abs=1e-6)
    return facts


def test_a_new_escalation_has_its_time_to_escalate_and_its_checklist(
    example_workspace: Workspace,
) -> None:
    ref = EscalationService(example_workspace).create(
        NewEscalation(
            ref="SUP-9001",
            title="Card payments fail",
            customer="Acme",
            module="Payments",
            issue_type="Incident",
            severity="P1",
            customers_affected=1,
            customer_impact="No card payment goes through",
            tried="Retried, other cards",
            reproduce="Pay with any card",
        ),
        "Ana",
        NOW,
    )
    facts = kept(example_workspace, ref)
    assert facts["escalate_minutes"] == 0.0
    assert [name for _, name, _ in read_checklist_state(facts["checklist"])]
    assert_kept(example_workspace, ref)


def test_acknowledging_ends_the_escalated_stay(example_workspace: Workspace) -> None:
    board = BoardService(example_workspace)
    assert as_kept(kept(example_workspace, "SUP-4249"))["lanes"]["Escalated"] is None
    board.move("SUP-4249", Status.ACKNOWLEDGED, "Ana", LATER)
    facts = assert_kept(example_workspace, "SUP-4249")
    assert facts["lanes"]["Escalated"] is not None


def test_closing_and_reopening_follow_the_stamps(example_workspace: Workspace) -> None:
    board = BoardService(example_workspace)
    ClosureService(example_workspace).close("SUP-4155", "lead", LATER)
    closed = assert_kept(example_workspace, "SUP-4155")
    assert closed["lanes"]["Resolved"] is not None  # left for Closed
    board.move("SUP-4155", Status.IN_PROGRESS, "lead", LATER + timedelta(minutes=5))
    reopened = assert_kept(example_workspace, "SUP-4155")
    assert reopened["lanes"]["Resolved"] is None  # the reopening cleared its stamps


def test_ticking_and_waiving_items_are_kept(example_workspace: Workspace) -> None:
    closure = ClosureService(example_workspace)
    closure.complete(
        "SUP-4212",
        "Procedure / KB updated",
        {"link": "https://kb.quillpay.example/feeds"},
        "Priya Raman",
        NOW,
    )
    closure.waive("SUP-4212", "Team debriefed", "Covered in the weekly review", "lead", NOW)
    facts = assert_kept(example_workspace, "SUP-4212")
    items = {name: settled for _, name, settled in facts["checklist"]}
    assert (items["Procedure / KB updated"], items["Team debriefed"]) == (True, True)


def test_the_report_counts_loops_as_kept(example_workspace: Workspace) -> None:
    service = KpiService(example_workspace)
    before = service.report(NOW).closure
    ClosureService(example_workspace).close(
        "SUP-4163", "lead", NOW, {"Team debriefed": "Folded into Friday's review"}
    )
    after = service.report(NOW).closure
    assert (after.closed, after.complete) == (before.closed + 1, before.complete + 1)


def test_an_imported_escalation_closed_in_the_app_has_its_loop_kept(
    example_workspace: Workspace, tmp_path: Path
) -> None:
    export = tmp_path / "tickets.csv"
    write_ticket_export(export, 12)  # four in six still open, so with their checklists
    TicketImportService(example_workspace).import_tickets(
        export, fmt=TicketFormat.GENERIC, priorities={"Low": "P3"}, zone=UTC
    )
    esc = core.escalations.c
    with example_workspace.query() as conn:
        ref = conn.scalar(
            select(esc.ref).where(esc.source != "", esc.status == Status.IN_PROGRESS.value).limit(1)
        )
    assert ref is not None
    BoardService(example_workspace).move(ref, Status.RESOLVED, "lead", LATER)
    closure = ClosureService(example_workspace)
    waivers = {line.name: "Handled in the helpdesk" for line in closure.checklist(ref)}
    assert waivers  # imported still in play, it got its level's checklist
    closure.close(ref, "lead", LATER, waivers)
    facts = as_kept(kept(example_workspace, ref))
    assert facts["checklist"] == expected(example_workspace, ref)["checklist"]
    assert all(settled for _, _, settled in facts["checklist"])
    # Its steps were timed by the helpdesk, not the app: no lane stays of its own.
    assert set(facts["lanes"].values()) == {None}
