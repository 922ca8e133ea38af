"""The board service: rows with deadlines, legal moves, reassignment, updates and pauses."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from escalation_desk.domain.clock import DeadlineState
from escalation_desk.domain.closure import ClosureRefusedError
from escalation_desk.domain.deadlines import DeadlineKind
from escalation_desk.domain.lifecycle import IllegalMoveError, Status
from escalation_desk.domain.watch import WatchKind
from escalation_desk.services.board import BoardService, LaneKind
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace
from tests.conftest import NOW


def test_rows_carry_owners_lanes_and_deadlines(example_workspace: Workspace) -> None:
    board = BoardService(example_workspace)
    rows = {r.ref: r for r in board.rows(NOW)}
    assert all(r.status is not Status.CLOSED for r in rows.values())
    late = rows["SUP-4236"]
    assert (late.severity, late.status, late.team) == (
        "P1",
        Status.IN_PROGRESS,
        "Payments engineering",
    )
    assert late.lane(LaneKind.PERSON) == late.owner
    assert late.breached
    nearest = late.next_deadline()
    assert nearest is not None
    # The card counts down to the most pressing deadline: here the already late resolution.
    assert (nearest.kind, nearest.state) == (DeadlineKind.RESOLUTION, DeadlineState.BREACHED)
    assert len(board.rows(NOW, include_closed=True)) == 36


def test_an_illegal_move_is_refused_with_the_reason_and_changes_nothing(
    example_workspace: Workspace,
) -> None:
    board = BoardService(example_workspace)
    with pytest.raises(IllegalMoveError, match="cannot go from New to Resolved"):
        board.move("SUP-4277", Status.RESOLVED, "lead", NOW)
    assert board.row("SUP-4277", NOW).status is Status.NEW  # type: ignore[union-attr]
    assert [k for _, k, _, _ in board.timeline("SUP-4277")] == ["created"]


def test_moves_stamp_their_stage_and_write_the_timeline(example_workspace: Workspace) -> None:
    board = BoardService(example_workspace)
    board.move("SUP-4277", Status.ESCALATED, "lead", NOW)
    board.move("SUP-4277", Status.ACKNOWLEDGED, "engineer", NOW + timedelta(minutes=20))
    row = board.row("SUP-4277", NOW + timedelta(minutes=30))
    assert row is not None
    assert row.status is Status.ACKNOWLEDGED
    response = next(d for d in row.deadlines if d.kind is DeadlineKind.RESPONSE)
    assert response.state is DeadlineState.MET
    kinds = [k for _, k, _, _ in board.timeline("SUP-4277")]
    assert kinds == ["created", "escalated", "acknowledged"]


def test_closing_waits_for_the_blocking_checklist(example_workspace: Workspace) -> None:
    board = BoardService(example_workspace)
    with pytest.raises(ClosureRefusedError, match="closure loop still needs Team debriefed"):
        board.move("SUP-4163", Status.CLOSED, "lead", NOW)
    board.move("SUP-4185", Status.CLOSED, "lead", NOW)  # everything done: it closes
    assert board.row("SUP-4185", NOW).status is Status.CLOSED  # type: ignore[union-attr]
    assert "SUP-4185" not in {r.ref for r in board.rows(NOW)}  # and leaves the board


def test_reassignment_is_recorded_and_counts_team_changes(example_workspace: Workspace) -> None:
    board = BoardService(example_workspace)
    before = board.row("SUP-4236", NOW)
    assert before is not None
    board.reassign("SUP-4236", "lead", NOW, role="Backend lead")
    after = board.row("SUP-4236", NOW)
    assert after is not None
    assert (after.team, after.role) == ("Backend", "Backend lead")
    assert after.owner is not None
    assert after.reassignment_count == before.reassignment_count + 1
    _, kind, actor, detail = board.timeline("SUP-4236")[-1]
    assert (kind, actor) == ("reassigned", "lead")
    assert "Payments engineering" in detail
    assert "Backend" in detail
    with pytest.raises(ValueError, match="There is no person called Nobody"):
        board.reassign("SUP-4236", "lead", NOW, owner="Nobody")


def test_an_update_restarts_the_cadence_and_an_empty_one_is_refused(
    example_workspace: Workspace,
) -> None:
    board = BoardService(example_workspace)
    with pytest.raises(ValueError, match="empty update"):
        board.log_update("SUP-4175", "   ", "lead", NOW)
    board.log_update("SUP-4175", "Fix deployed to staging", "Wei Chen", NOW)
    row = board.row("SUP-4175", NOW + timedelta(minutes=5))
    assert row is not None
    update = next(d for d in row.deadlines if d.kind is DeadlineKind.UPDATE)
    assert update.state is DeadlineState.ON_TRACK
    assert board.timeline("SUP-4175")[-1][3] == "Fix deployed to staging"


def test_waiting_on_the_customer_pauses_the_clocks(example_workspace: Workspace) -> None:
    board = BoardService(example_workspace)
    board.set_waiting("SUP-4274", True, "lead", NOW)
    paused = board.row("SUP-4274", NOW + timedelta(hours=3))
    assert paused is not None
    assert paused.paused_since == NOW
    response = next(d for d in paused.deadlines if d.kind is DeadlineKind.RESPONSE)
    assert response.state is not DeadlineState.BREACHED  # frozen while waiting
    with pytest.raises(ValueError, match="already waiting"):
        board.set_waiting("SUP-4274", True, "lead", NOW)
    board.set_waiting("SUP-4274", False, "lead", NOW + timedelta(hours=3))
    resumed = board.row("SUP-4274", NOW + timedelta(hours=3))
    assert resumed is not None
    assert resumed.paused_since is None
    moved = next(d for d in resumed.deadlines if d.kind is DeadlineKind.RESPONSE)
    assert moved.due > response.started + timedelta(hours=3)


def test_the_watch_lists_what_needs_the_lead(example_workspace: Workspace) -> None:
    items = BoardService(example_workspace).watch(NOW)
    kinds = {(i.ref, i.kind) for i in items}
    assert ("SUP-4236", WatchKind.BREACHED) in kinds
    assert ("SUP-4249", WatchKind.BREACHED) in kinds
    assert any(kind is WatchKind.TRIGGER_FIRED for _, kind in kinds)
    assert len({i.key for i in items}) == len(items)


def test_a_business_target_follows_the_holding_teams_calendar(
    example_workspace: Workspace,
) -> None:
    with example_workspace.write() as s:
        us = t.Calendar(
            name="New York office",
            timezone="America/New_York",
            weekly_hours=json.dumps({d: ["09:00", "17:00"] for d in ("mon", "tue", "wed")}),
        )
        s.add(us)
        s.flush()
        frontend = s.scalar(select(t.Team).where(t.Team.name == "Frontend"))
        assert frontend is not None
        frontend.calendar = us
    board = BoardService(example_workspace)
    row = next(r for r in board.rows(NOW) if r.team == "Frontend" and r.severity == "P3")
    assert board.calendar_of(row).name == "New York office"
    other = next(r for r in board.rows(NOW) if r.team == "Backend" and r.severity == "P3")
    assert board.calendar_of(other).name == "Business hours"  # the workspace default


def test_a_new_team_brings_a_role_of_that_team(example_workspace: Workspace) -> None:
    board = BoardService(example_workspace)
    board.reassign("SUP-4236", "lead", NOW, team="Frontend", owner="Camille Laurent")
    row = board.row("SUP-4236", NOW)
    assert row is not None
    assert (row.team, row.role, row.owner) == ("Frontend", "Frontend lead", "Camille Laurent")


def test_resolving_ends_a_wait_on_the_customer(example_workspace: Workspace) -> None:
    board = BoardService(example_workspace)
    board.set_waiting("SUP-4236", True, "lead", NOW)
    board.move("SUP-4236", Status.RESOLVED, "lead", NOW + timedelta(hours=1))
    board.move("SUP-4236", Status.IN_PROGRESS, "lead", NOW + timedelta(hours=2))
    row = board.row("SUP-4236", NOW + timedelta(hours=2))
    assert row is not None
    assert row.paused_since is None


def test_the_longest_wait_for_an_update_is_kept_as_updates_come(
    example_workspace: Workspace,
) -> None:
    board = BoardService(example_workspace)

    def stored() -> tuple[float | None, object]:
        with example_workspace.read() as s:
            esc = s.scalars(select(t.Escalation).where(t.Escalation.ref == "SUP-4175")).one()
            return esc.longest_update_gap_minutes, esc.last_update_at

    before, last = stored()
    assert isinstance(last, type(NOW))
    waited = (NOW - last) / timedelta(minutes=1)
    board.log_update("SUP-4175", "Root cause found", "Wei Chen", NOW)
    board.log_update("SUP-4175", "Fix in review", "Wei Chen", NOW + timedelta(minutes=30))
    assert stored()[0] == pytest.approx(max(before or 0, waited, 30))
    board.move("SUP-4175", Status.RESOLVED, "Wei Chen", NOW + timedelta(minutes=30 + 700))
    assert stored()[0] == pytest.approx(max(before or 0, waited, 700))
