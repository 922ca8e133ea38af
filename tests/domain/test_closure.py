"""Closure gates: what is missing, and which missing items refuse closing."""

from datetime import UTC, datetime, timedelta

import pytest

from escalation_desk.domain.closure import (
    ClosedLoop,
    ClosureRefusedError,
    EntryState,
    Evidence,
    Gate,
    blocking_missing,
    check_closure,
    check_evidence,
    completion_rate,
    default_checklist,
    follow_up_overdue,
    missing,
    repeat_groups,
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


def test_a_blocking_gap_refuses_closing_and_names_what_is_missing() -> None:
    entries = [
        EntryState("Root cause documented", Gate.BLOCKING, done=True),
        EntryState("Team debriefed", Gate.BLOCKING),
        EntryState("Customer told", Gate.WARNING),
    ]
    with pytest.raises(ClosureRefusedError) as refused:
        check_closure("SUP-1", entries)
    assert refused.value.missing == ["Team debriefed"]
    assert "SUP-1 cannot be closed yet" in str(refused.value)


def test_warning_gaps_let_it_close_and_are_reported_as_skipped() -> None:
    entries = [
        EntryState("Root cause documented", Gate.BLOCKING, waived=True),
        EntryState("Customer told", Gate.WARNING),
    ]
    assert check_closure("SUP-1", entries) == ["Customer told"]


@pytest.mark.parametrize(
    ("kinds", "evidence", "message"),
    [
        (
            (Evidence.CATEGORY, Evidence.TEXT),
            {"category": "Capacity", "text": " "},
            "Write what happened",
        ),
        ((Evidence.CATEGORY,), {"category": "Gremlins"}, "Choose a root-cause category"),
        ((Evidence.LINK,), {"link": "kb article 12"}, "is not a link"),
        ((Evidence.DATE,), {"date": "yesterday"}, "is not a date"),
        ((Evidence.PEOPLE,), {"people": [" ", ""]}, "at least one name"),
    ],
)
def test_evidence_that_is_missing_or_wrong_is_refused_with_a_sentence(
    kinds: tuple[Evidence, ...], evidence: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        check_evidence(kinds, evidence)


def test_complete_evidence_is_cleaned() -> None:
    cleaned = check_evidence(
        (Evidence.LINK, Evidence.PEOPLE),
        {"link": " https://kb.example.com/a ", "people": ["Ana ", " ", "Ben"]},
    )
    assert cleaned == {"link": "https://kb.example.com/a", "people": ["Ana", "Ben"]}


T0 = datetime(2026, 11, 1, tzinfo=UTC)


def loop(
    ref: str,
    days: int,
    cause: str | None = "Capacity",
    module: str = "Database",
    complete: bool = True,
) -> ClosedLoop:
    return ClosedLoop(ref, module, cause, T0 + timedelta(days=days), complete)


def test_repeats_group_by_cause_and_module_within_the_window() -> None:
    loops = [
        loop("A", 0),
        loop("B", 12),
        loop("C", 50),
        loop("D", 55),
        loop("E", 1, module="Billing"),
        loop("F", 2, cause=None),
    ]
    groups = repeat_groups(loops, window_days=30)
    assert [(g.root_cause, g.module, g.refs) for g in groups] == [
        ("Capacity", "Database", ("A", "B")),
        ("Capacity", "Database", ("C", "D")),
    ]


def test_completion_rate_and_overdue_follow_ups() -> None:
    assert completion_rate([loop("A", 0), loop("B", 1, complete=False)]) == 0.5
    assert completion_rate([]) == 1.0
    assert follow_up_overdue(T0, None, T0 + timedelta(hours=1))
    assert not follow_up_overdue(T0, T0, T0 + timedelta(hours=1))
    assert not follow_up_overdue(None, None, T0)
