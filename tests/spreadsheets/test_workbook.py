"""The workbook writer: literal text, fitted columns, finished sheets, atomic writes."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from escalation_desk.spreadsheets import workbook
from escalation_desk.spreadsheets.reading import read_sheets
from escalation_desk.spreadsheets.safety import SpreadsheetError
from escalation_desk.spreadsheets.workbook import BarChart, SheetSpec, write_workbook

PAYLOADS = (
    "=1+1",
    '=HYPERLINK("http://example.invalid","click")',
    "+SUM(A1:A2)",
    "-2+3",
    "@SUM(A1)",
    "\t=cmd",
    "\r=cmd",
    "=cmd|' /C calc'!A0",
)


def test_formula_payloads_are_written_as_literal_text(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    rows = [(p, "plain") for p in PAYLOADS]
    write_workbook(target, [SheetSpec("Open escalations", ("Title", "Customer"), rows)])
    sheet = openpyxl.load_workbook(target)["Open escalations"]
    cells = [sheet.cell(row=n, column=1) for n in range(2, len(PAYLOADS) + 2)]
    # XML reads a carriage return back as a line feed; the text stays text either way.
    expected = [p.replace("\r", "\n") for p in PAYLOADS]
    assert [c.value for c in cells] == expected
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells)
    # Reading trims the spaces around a cell's text, as an import does.
    assert [r[0] for r in read_sheets(target)[0].rows[1:]] == [e.strip() for e in expected]


def test_control_characters_are_dropped_and_the_rest_kept(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    write_workbook(target, [SheetSpec("S", ("Title",), [("bell\x07 and\x00 nul\nnext line",)])])
    assert read_sheets(target)[0].rows[1][0] == "bell and nul\nnext line"


def test_a_sheet_looks_finished(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    spec = SheetSpec(
        "Matrix",
        ("Severity level", "Trigger conditions"),
        [("P1", "System outage affecting every customer on the platform " * 3)],
        wrap=True,
        row_colours=["#D55E00"],
        one_landscape_page=True,
    )
    write_workbook(target, [spec])
    sheet = openpyxl.load_workbook(target)["Matrix"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B2"
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 1)
    assert sheet["A1"].font.b
    assert sheet["B2"].alignment.wrap_text
    assert sheet["A2"].fill.fgColor.rgb == "00D55E00"
    assert sheet.column_dimensions["A"].width == pytest.approx(len("Severity level") + 2)
    assert sheet.column_dimensions["B"].width == workbook.WRAPPED_WIDTH


def test_deadline_states_are_coloured_and_charts_are_native(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    states = SheetSpec("Open", ("Ref", "Deadline state"), [("A", "breached")], state_column=1)
    kpis = SheetSpec(
        "KPI",
        ("Level", "Open", "Breached"),
        [("P1", 3, 1), ("P2", 5, 0)],
        charts=(BarChart("Open by level", 0, (1, 2)),),
    )
    write_workbook(target, [states, kpis])
    loaded = openpyxl.load_workbook(target)
    rules = {
        rule.formula[0] for ranges in loaded["Open"].conditional_formatting for rule in ranges.rules
    }
    assert rules == {f'"{state}"' for state in workbook.STATE_FILLS}
    assert str(next(iter(loaded["Open"].conditional_formatting)).sqref) == "B2"
    with zipfile.ZipFile(target) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())


def test_a_failed_write_leaves_the_earlier_file_and_no_scraps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"the earlier report")

    def fail(source: str, destination: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workbook.os, "replace", fail)
    with pytest.raises(SpreadsheetError, match=r"report\.xlsx could not be written: No space"):
        write_workbook(target, [SheetSpec("S", ("A",), [("x",)])])
    assert target.read_bytes() == b"the earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


def test_the_workbook_is_readable_like_any_saved_file(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    umask = os.umask(0o022)
    try:
        write_workbook(target, [SheetSpec("S", ("A",), [("x",)])])
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o644
