"""The workspace defaults: read, validated, saved in one go, and followed by the clocks."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from escalation_desk.domain.clock import DeadlineState
from escalation_desk.domain.closure import Gate
from escalation_desk.domain.watch import WatchKind
from escalation_desk.services.board import BoardService
from escalation_desk.services.closure import ClosureService
from escalation_desk.services.matrix import MatrixService
from escalation_desk.services.overview import summarize
from escalation_desk.services.preferences import Preferences, PreferencesService
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace
from tests.conftest import NOW

SYDNEY_HOURS = {day: ["09:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}


def add_calendar(workspace: Workspace, name: str) -> None:
    """A second calendar, so that there is a default to choose."""
    with workspace.write() as s:
        s.add(
            t.Calendar(
                name=name,
                timezone="Australia/Sydney",
                weekly_hours=json.dumps(SYDNEY_HOURS),
                holidays="[]",
            )
        )


def running_states(workspace: Workspace) -> list[DeadlineState]:
    return [
        d.state for row in BoardService(workspace).rows(NOW) for d in row.deadlines if d.running
    ]


def at_risk_items(workspace: Workspace) -> int:
    return sum(item.kind is WatchKind.AT_RISK for item in BoardService(workspace).watch(NOW))


def test_a_new_workspace_reads_the_built_in_defaults(example_workspace: Workspace) -> None:
    found = PreferencesService(example_workspace).read()
    assert found == Preferences("Business hours", 50, 75, Gate.BLOCKING, Gate.WARNING)


def test_saved_defaults_are_kept(example_workspace: Workspace) -> None:
    add_calendar(example_workspace, "Sydney office")
    service = PreferencesService(example_workspace)
    assert service.calendars() == ["Business hours", "Sydney office"]
    chosen = Preferences("Sydney office", 30, 60, Gate.WARNING, Gate.BLOCKING)
    service.save(chosen)
    assert PreferencesService(example_workspace).read() == chosen


@pytest.mark.parametrize(
    ("change", "sentence"),
    [
        ({"at_risk_percent": 80}, "must be below the critical one"),
        ({"at_risk_percent": 75}, "must be below the critical one"),
        ({"critical_percent": 100}, "from 1 % to 99 %"),
        ({"at_risk_percent": 0}, "from 1 % to 99 %"),
        ({"default_calendar": "Mars base"}, "no calendar called Mars base"),
        ({"default_calendar": None}, "Choose the calendar"),
    ],
)
def test_bad_input_is_refused_in_a_sentence_and_changes_nothing(
    example_workspace: Workspace, change: dict[str, object], sentence: str
) -> None:
    service = PreferencesService(example_workspace)
    before = service.read()
    bad = replace(before, top_level_gate=Gate.WARNING, **change)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=sentence):
        service.save(bad)
    assert service.read() == before


def test_lower_thresholds_put_more_deadlines_at_risk_on_the_board_and_home(
    example_workspace: Workspace,
) -> None:
    before = running_states(example_workspace)
    home_before = summarize(example_workspace, NOW)
    watch_before = at_risk_items(example_workspace)
    service = PreferencesService(example_workspace)
    service.save(replace(service.read(), at_risk_percent=1, critical_percent=2))
    after = running_states(example_workspace)
    # Nothing is on track any more once 1 % of the time turns a deadline at risk.
    assert DeadlineState.ON_TRACK in before
    assert DeadlineState.ON_TRACK not in after
    assert after.count(DeadlineState.BREACHED) == before.count(DeadlineState.BREACHED)
    assert len(summarize(example_workspace, NOW).critical) > len(home_before.critical)
    assert at_risk_items(example_workspace) > watch_before


def test_the_default_calendar_is_the_one_clocks_fall_back_on(
    example_workspace: Workspace,
) -> None:
    add_calendar(example_workspace, "Sydney office")
    board = BoardService(example_workspace)
    # Levels name no calendar, so an escalation held by a team without one follows the default.
    fallback = next(r for r in board.rows(NOW) if r.team and r.team.startswith("Support Tier"))
    assert fallback.clock.calendar.name == "Business hours"
    service = PreferencesService(example_workspace)
    service.save(replace(service.read(), default_calendar="Sydney office"))
    again = board.row(fallback.ref, NOW)
    assert again is not None
    assert again.clock.calendar.name == "Sydney office"


def test_new_levels_and_items_get_the_default_gates(example_workspace: Workspace) -> None:
    service = PreferencesService(example_workspace)
    service.save(replace(service.read(), other_levels_gate=Gate.BLOCKING))
    matrix = MatrixService(example_workspace)
    p3 = matrix.levels()[2].level
    matrix.add_level(replace(p3, code="P4", name="Question"))
    closure = ClosureService(example_workspace)
    assert {item.gate for item in closure.templates()["P4"]} == {Gate.BLOCKING}
    assert closure.default_gates().for_level(top_severity=False) is Gate.BLOCKING


def test_thresholds_edited_by_hand_into_nonsense_read_as_the_built_in_ones(
    example_workspace: Workspace,
) -> None:
    with example_workspace.write() as s:
        s.add(t.Setting(key="deadline_at_risk_percent", value="90"))
        s.add(t.Setting(key="deadline_critical_percent", value="many"))
    found = PreferencesService(example_workspace).read()
    assert (found.at_risk_percent, found.critical_percent) == (50, 75)
