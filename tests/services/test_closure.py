"""The closure loop through its service: evidence, waivers, closing, review, reopening."""

from __future__ import annotations

import pytest

from escalation_desk.domain.closure import ClosureRefusedError, Gate
from escalation_desk.domain.lifecycle import Status
from escalation_desk.services.board import BoardService
from escalation_desk.services.closure import ClosureService
from escalation_desk.store.db import Workspace
from tests.conftest import NOW


def test_a_missing_blocking_item_refuses_and_a_waiver_lets_it_close(
    example_workspace: Workspace,
) -> None:
    closure = ClosureService(example_workspace)
    with pytest.raises(ClosureRefusedError) as refused:
        closure.close("SUP-4163", "lead", NOW)
    assert refused.value.missing == ["Team debriefed"]
    with pytest.raises(ValueError, match="needs its reason"):
        closure.close("SUP-4163", "lead", NOW, {"Team debriefed": " "})
    assert (
        closure.close("SUP-4163", "lead", NOW, {"Team debriefed": "Folded into Friday's review"})
        == []
    )
    board = BoardService(example_workspace)
    assert board.row("SUP-4163", NOW).status is Status.CLOSED  # type: ignore[union-attr]
    kinds = [k for _, k, _, _ in board.timeline("SUP-4163")][-2:]
    assert kinds == ["checklist_item_waived", "closed"]
    line = next(x for x in closure.checklist("SUP-4163") if x.name == "Team debriefed")
    assert (line.state, line.waived_reason) == ("waived", "Folded into Friday's review")


def test_skipped_warning_items_are_written_in_the_timeline(example_workspace: Workspace) -> None:
    closure = ClosureService(example_workspace)
    assert closure.close("SUP-4155", "lead", NOW) == ["Team debriefed"]
    detail = BoardService(example_workspace).timeline("SUP-4155")[-1][3]
    assert detail == "Closed without: Team debriefed (warning items)"


def test_an_item_is_ticked_with_its_evidence_only(example_workspace: Workspace) -> None:
    closure = ClosureService(example_workspace)
    with pytest.raises(ValueError, match="is not a link"):
        closure.complete("SUP-4212", "Procedure / KB updated", {"link": "the wiki"}, "lead", NOW)
    closure.complete(
        "SUP-4212",
        "Procedure / KB updated",
        {"link": "https://kb.quillpay.example/feeds"},
        "Priya Raman",
        NOW,
    )
    line = next(x for x in closure.checklist("SUP-4212") if x.name == "Procedure / KB updated")
    assert (line.state, line.done_by) == ("done", "Priya Raman")
    assert line.evidence == {"link": "https://kb.quillpay.example/feeds"}


def test_the_review_lists_awaiting_follow_ups_and_repeats(example_workspace: Workspace) -> None:
    review = ClosureService(example_workspace).review(NOW)
    awaiting = {a.ref: a for a in review.awaiting}
    assert len(awaiting) == 6
    assert awaiting["SUP-4163"].blocking == ("Team debriefed",)
    assert awaiting["SUP-4185"].missing == ()
    assert [(g.root_cause, g.module, g.refs) for g in review.repeat_groups] == [
        ("Capacity", "Database", ("SUP-4102", "SUP-4147"))
    ]
    assert sum(f.overdue for f in review.follow_ups) == 2
    assert 0 < review.completion_rate < 1


def test_a_reopened_escalation_keeps_its_history_and_checklist(
    example_workspace: Workspace,
) -> None:
    board, closure = BoardService(example_workspace), ClosureService(example_workspace)
    closure.close("SUP-4185", "lead", NOW)
    board.move("SUP-4185", Status.IN_PROGRESS, "lead", NOW)
    row = board.row("SUP-4185", NOW)
    assert row is not None
    assert (row.status, row.reopen_count, row.closed_at) == (Status.IN_PROGRESS, 1, None)
    assert [k for _, k, _, _ in board.timeline("SUP-4185")][-1] == "reopened"
    assert {x.state for x in closure.checklist("SUP-4185")} == {"done"}


def test_the_worklist_is_the_review_without_the_closed_history(
    example_workspace: Workspace,
) -> None:
    closure = ClosureService(example_workspace)
    closure.waive("SUP-4163", "Team debriefed", "Folded into Friday's review", "lead", NOW)
    ticked = next(
        a.ref
        for a in closure.worklist(NOW).awaiting
        if a.ref != "SUP-4163" and "Team debriefed" in a.missing
    )
    debrief = {"date": "2026-11-20", "people": ["Priya Raman"]}
    closure.complete(ticked, "Team debriefed", debrief, "lead", NOW)
    worklist, review = closure.worklist(NOW), closure.review(NOW)
    assert (worklist.awaiting, worklist.follow_ups) == (review.awaiting, review.follow_ups)
    for awaiting in worklist.awaiting:
        # What each loop still needs is what its checklist shows missing.
        lines = [line for line in closure.checklist(awaiting.ref) if line.state == "missing"]
        assert awaiting.missing == tuple(line.name for line in lines)
        assert awaiting.blocking == tuple(line.name for line in lines if line.gate is Gate.BLOCKING)
