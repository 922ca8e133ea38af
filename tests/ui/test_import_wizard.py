"""The matrix import wizard: proposed sheet, corrected columns, marked cells, all or nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from escalation_desk.services.importing import ImportService
from escalation_desk.services.matrix import MatrixService
from escalation_desk.store.db import Workspace
from escalation_desk.ui.import_parts import PROBLEM_FILLS
from escalation_desk.ui.matrix.import_wizard import NOT_IN_SHEET, MatrixImportWizard

DATA = Path(__file__).parents[1] / "data"


def wizard_on(qtbot: QtBot, workspace: Workspace, file: str) -> MatrixImportWizard:
    wizard = MatrixImportWizard(ImportService(workspace))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.load(DATA / file)
    return wizard


def test_the_matrix_sheet_is_proposed_and_its_columns_matched(
    qtbot: QtBot, empty_workspace: Workspace
) -> None:
    wizard = wizard_on(qtbot, empty_workspace, "matrix_title_rows.xlsx")
    page = wizard.file_page
    assert page.sheet_combo.currentText() == "Escalation matrix"
    assert page.status.text().startswith("Header on row 3; recognised columns: Severity level")
    assert page.isComplete()
    wizard.next()
    combos = wizard.columns_page.combos
    assert combos["severity"].currentText() == "Sev"
    assert combos["target_response"].currentText() == "Response SLA"
    assert combos["name"].currentText() == NOT_IN_SHEET
    wizard.next()
    preview = wizard.preview_page
    assert preview.table.rowCount() == 3
    assert [preview.table.item(r, 1).text() for r in range(3)] == ["P1", "P2", "P3"]
    assert not preview.mode_box.isVisible()  # nothing to replace in an empty workspace
    assert preview.isComplete()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.state.report is not None
    assert wizard.state.report.imported == 3
    assert [r.level.code for r in MatrixService(empty_workspace).levels()] == ["P1", "P2", "P3"]


def test_a_corrected_column_changes_the_preview(qtbot: QtBot, empty_workspace: Workspace) -> None:
    wizard = wizard_on(qtbot, empty_workspace, "matrix_title_rows.xlsx")
    wizard.next()
    wizard.columns_page.combos["target_response"].setCurrentText(NOT_IN_SHEET)
    wizard.columns_page.combos["method"].setCurrentText("Owner")
    wizard.next()
    table = wizard.preview_page.table
    assert table.item(0, 3).text() == ""  # no target response any more
    assert table.item(0, 6).text() == "Dev Lead + Support liaison"  # method read from Owner


def test_problems_are_marked_on_their_cells_and_block_the_import(
    qtbot: QtBot, example_workspace: Workspace
) -> None:
    before = example_workspace.path.read_bytes()
    wizard = wizard_on(qtbot, example_workspace, "matrix_bad_cells.xlsx")
    wizard.next()
    wizard.next()
    preview = wizard.preview_page
    cell = preview.table.item(0, 3)
    assert cell.background().color() == QColor(PROBLEM_FILLS["error"])
    assert cell.text() == "when someone is free"  # shown as written
    assert 'Could not read "when someone is free"' in cell.toolTip()
    lines = [preview.problems.item(i).text() for i in range(preview.problems.count())]
    assert any(line.startswith("Error: Row 3, Priority: P1 appears twice") for line in lines)
    assert preview.summary.text().endswith(
        "2 errors to fix in the sheet before it can be imported."
    )
    assert preview.mode_box.isVisible()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert example_workspace.path.read_bytes() == before


def test_replacing_an_existing_matrix_is_chosen_on_the_last_page(
    qtbot: QtBot, example_workspace: Workspace
) -> None:
    wizard = wizard_on(qtbot, example_workspace, "matrix_title_rows.xlsx")
    wizard.next()
    wizard.next()
    changes = wizard.preview_page.changes
    lines = [changes.item(i).text() for i in range(changes.count())]
    assert "-  Level P1: Contact removed: Incident commander" in lines
    # The sheet has no steps column: the example's escalation steps are kept, not removed.
    assert not any("Step removed" in line for line in lines)
    wizard.preview_page.replace_button.setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    levels = [r.level for r in MatrixService(example_workspace).levels()]
    assert [lv.code for lv in levels] == ["P1", "P2", "P3"]
    assert [s.who() for s in levels[0].steps][:2] == ["Support on-call", "Tier 2 specialist"]
    # The sheet's three P1 triggers replaced the example's five.
    assert [t.text for t in levels[0].triggers] == [
        "System outage",
        "No resolution in 2 hrs",
        "10+ customers affected",
    ]


def test_an_unreadable_file_is_said_and_the_wizard_waits(
    qtbot: QtBot, empty_workspace: Workspace
) -> None:
    wizard = wizard_on(qtbot, empty_workspace, "truncated.xlsx")
    assert wizard.file_page.status.text().startswith("truncated.xlsx")
    assert not wizard.file_page.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
