"""Board rows answer the card's questions (next deadline, breached) as their full deadlines do."""

from __future__ import annotations

from datetime import timedelta

import pytest

from escalation_desk.domain.clock import DeadlineState
from escalation_desk.domain.deadlines import running_clocks
from escalation_desk.services.board import BoardRow, BoardService
from escalation_desk.store.db import Workspace
from tests.conftest import NOW


@pytest.mark.parametrize("hours_later", [0, 3, 30, 24 * 9])
def test_every_row_agrees_with_its_full_deadlines(
    example_workspace: Workspace, hours_later: int
) -> None:
    board = BoardService(example_workspace)
    board.set_waiting("SUP-4274", True, "lead", NOW)  # a pause still open
    now = NOW + timedelta(hours=hours_later)
    rows = board.rows(now, include_closed=True)
    for row in rows:
        # The row itself is read as its stages are.
        assert running_clocks(row, row.clock.targets, now, calendar=row.clock.calendar) == (
            running_clocks(row.stages, row.clock.targets, now, calendar=row.clock.calendar)
        )
        running = [d for d in row.deadlines if d.running]
        assert row.next_deadline() == (min(running, key=lambda d: d.due) if running else None)
        assert row.breached == any(d.state is DeadlineState.BREACHED for d in running)
    assert any(row.breached for row in rows)
    assert any(row.next_deadline() is None for row in rows)  # closed ones have none running


def test_a_reader_gives_the_columns_the_row_gives(example_workspace: Workspace) -> None:
    names = ("ref", "severity", "team", "owner", "reopen_count")
    read = BoardRow.reader(*names)
    for row in BoardService(example_workspace).rows(NOW, include_closed=True):
        assert read(row) == tuple(getattr(row, name) for name in names)
    with pytest.raises(ValueError, match="times one by one"):
        BoardRow.reader("ref", "escalated_at")
    with pytest.raises(ValueError, match="two or more"):
        BoardRow.reader("ref")
