"""Reading matrices as leads keep them, and refusing broken files with one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import EscalationStep, TriggerKind
from escalation_desk.spreadsheets.matrix_import import (
    find_header,
    parse_matrix,
    propose_sheet,
    read_step,
    read_trigger,
    split_people,
)
from escalation_desk.spreadsheets.reading import Sheet, read_sheets
from escalation_desk.spreadsheets.safety import SpreadsheetError

DATA = Path(__file__).parents[1] / "data"


def test_the_matrix_sheet_is_found_below_its_merged_title() -> None:
    sheets = read_sheets(DATA / "matrix_title_rows.xlsx")
    assert [s.name for s in sheets] == ["Read me", "Escalation matrix"]
    index = propose_sheet(sheets)
    assert index == 1
    header = find_header(sheets[1])
    assert header is not None
    row, mapping = header
    assert row == 2  # 0-based: the title and a blank row come first
    assert set(mapping) == {
        "severity",
        "triggers",
        "contacts",
        "method",
        "target_response",
        "owner",
        "update_every",
    }


def test_cells_are_read_as_leads_write_them() -> None:
    sheet = read_sheets(DATA / "matrix_title_rows.xlsx")[1]
    parsed = parse_matrix(sheet, ["Dev Lead", "Support liaison", "Tier 2 specialist"])
    assert parsed.ok
    p1, p2, p3 = parsed.levels
    assert (p1.code, p1.name, p2.name, p3.name) == ("P1", "Critical", "High", "Normal")
    assert p1.target_response == Duration(30)
    assert p2.target_response == Duration(120)
    assert p3.target_response == Duration(480, business=True)
    assert p2.update_every == Duration(240)
    assert p2.method == "Jira + Teams with link"  # the merged cell reaches both levels
    assert p2.contacts == ("Dev Lead", "Support manager")
    assert p3.contacts == ("Tier 2 specialist", "Team lead")
    assert (p1.engineer_role, p1.liaison_role) == ("Dev Lead", "Support liaison")
    kinds = [(t.kind, t.after, t.customers_at_least, t.system_wide) for t in p1.triggers]
    assert kinds == [
        (TriggerKind.IMPACT, None, None, True),
        (TriggerKind.TIME, Duration(120), None, False),
        (TriggerKind.IMPACT, None, 10, False),
    ]
    assert parsed.roles == ["Product Manager", "Support manager", "Team lead"]


def test_problems_are_pinned_to_their_cells() -> None:
    parsed = parse_matrix(read_sheets(DATA / "matrix_bad_cells.xlsx")[0])
    assert not parsed.ok
    errors = [(p.row, p.column) for p in parsed.problems if p.severity == "error"]
    assert (2, "Target response time") in errors
    assert (3, "Priority") in errors  # P1 twice
    message = next(p.message for p in parsed.problems if p.row == 2 and p.severity == "error")
    assert '"when someone is free"' in message


def test_a_csv_with_a_byte_order_mark_and_semicolons() -> None:
    sheets = read_sheets(DATA / "matrix_semicolons.csv")
    parsed = parse_matrix(sheets[0], ["Dev Lead"])
    assert [lv.code for lv in parsed.levels] == ["P1", "P2"]
    assert parsed.levels[0].contacts == ("Dev Lead", "Product Manager")
    assert parsed.levels[1].triggers[0].after == Duration(240)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("not_a_workbook.xlsx", "neither an .xlsx workbook nor a CSV file"),
        ("legacy.xls", "old .xls file"),
        ("renamed.xlsb.xlsx", "binary workbook (.xlsb)"),
        ("zip_bomb.xlsx", "zip bomb"),
        ("truncated.xlsx", "not a spreadsheet Escalation Desk can read"),
    ],
)
def test_broken_files_are_refused_in_one_sentence(name: str, words: str) -> None:
    with pytest.raises(SpreadsheetError) as refused:
        read_sheets(DATA / name)
    assert words in str(refused.value)
    assert "\n" not in str(refused.value)


def test_people_in_one_cell() -> None:
    assert split_people("Dev Lead, PM / Ops and Infra + QA\nCTO") == [
        "Dev Lead",
        "PM",
        "Ops",
        "Infra",
        "QA",
        "CTO",
    ]


def test_escalation_steps_are_read_line_by_line() -> None:
    assert read_step("Support on-call at once") == EscalationStep(0, role="Support on-call")
    assert read_step("Dev Lead after 2 hrs") == EscalationStep(120, role="Dev Lead")
    assert read_step("Tier 3 after 30 min") == EscalationStep(30, tier=3)
    with pytest.raises(ValueError, match='write who and when, like "Dev Lead after 30 min"'):
        read_step("Dev Lead")
    with pytest.raises(ValueError, match="tiers run from 1 to 9"):
        read_step("Tier 99999999999999999999 at once")


def test_customer_counts_in_words_are_impact_triggers() -> None:
    trigger = read_trigger("One customer affected, workaround available")
    assert (trigger.kind, trigger.customers_at_least) == (TriggerKind.IMPACT, 1)
    assert read_trigger("Two or more accounts down").customers_at_least == 2


def test_steps_colour_and_updates_columns_with_their_problems() -> None:
    sheet = Sheet(
        "Matrix",
        (
            ("Severity", "Escalation steps", "Colour", "Updates by", "Response time"),
            ("P0", "", "", "engineers", "5 min"),
            ("P1", "Support on-call at once\nDev Lead after 20 min", "#123ABC", "engineer", "15m"),
            ("P2", "Dev Lead whenever", "red", "", "1 h"),
        ),
    )
    parsed = parse_matrix(sheet, known_roles=["Dev Lead", "Support on-call"])
    _, first, second = parsed.levels
    assert [s.after_minutes for s in first.steps] == [0, 20]
    assert (first.colour, first.updates_by.value) == ("#123ABC", "engineer")
    assert (second.colour, second.updates_by.value) == ("#0072B2", "liaison")  # third default
    assert [(p.row, p.column, p.severity) for p in parsed.problems] == [
        (2, "Updates by", "warning"),
        (4, "Escalation steps", "error"),
        (4, "Colour", "warning"),
    ]


def test_a_huge_csv_cell_is_refused_in_a_sentence(tmp_path: Path) -> None:
    export = tmp_path / "huge.csv"
    export.write_text("Severity,Contact\nP1," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match=r"huge\.csv could not be read as CSV at line 2"):
        read_sheets(export)
