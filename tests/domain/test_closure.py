"""Closure gates: what is missing, and which missing items refuse closing."""

from escalation_desk.domain.closure import (
    EntryState,
    Evidence,
    Gate,
    blocking_missing,
    default_checklist,
    missing,
)


def test_default_checklist_blocks_for_the_top_level_and_warns_below() -> None:
    top = default_checklist(top_severity=True)
    assert [item.name for item in top] == [
        "Root cause documented",
        "Procedure / KB updated",
        "Team debriefed",
    ]
    assert {item.gate for item in top} == {Gate.BLOCKING}
    assert {item.gate for item in default_checklist(top_severity=False)} == {Gate.WARNING}
    assert top[0].evidence == (Evidence.CATEGORY, Evidence.TEXT)


def test_done_and_waived_items_are_not_missing() -> None:
    entries = [
        EntryState("Root cause documented", Gate.BLOCKING, done=True),
        EntryState("Procedure / KB updated", Gate.BLOCKING, waived=True),
        EntryState("Team debriefed", Gate.BLOCKING),
        EntryState("Customer told", Gate.WARNING),
    ]
    assert [e.name for e in missing(entries)] == ["Team debriefed", "Customer told"]
    assert [e.name for e in blocking_missing(entries)] == ["Team debriefed"]
