"""The Matrix screen driven as a lead would: keyboard edits, undo/redo, reordering, the linter."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QLineEdit,
    QListWidget,
    QPushButton,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from escalation_desk.domain.matrix import Trigger, TriggerKind
from escalation_desk.store import tables as t
from escalation_desk.ui.main_window import MainWindow
from escalation_desk.ui.matrix.delegate import DurationEditor
from escalation_desk.ui.matrix.model import MIME_LEVEL, Column
from escalation_desk.ui.matrix.page import MatrixPage
from escalation_desk.ui.matrix.triggers_dialog import TriggersDialog
from tests.ui.conftest import Messages


def matrix_page(window: MainWindow) -> MatrixPage:
    window.show_screen("matrix")
    return cast(MatrixPage, window.screen_widget("matrix"))


def cell(page: MatrixPage, code: str, column: Column) -> str:
    return str(page.model.index(page.model.row_of(code), column).data())


def type_into_cell(qtbot: QtBot, page: MatrixPage, code: str, column: Column, text: str) -> None:
    """Select the cell, open its editor with F2, type, press Enter: as a lead does."""
    index = page.model.index(page.model.row_of(code), column)
    page.grid.setCurrentIndex(index)
    page.grid.setFocus()
    qtbot.keyClick(page.grid, Qt.Key.Key_F2)
    editor = page.grid.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle(qtbot, page)


def settle(qtbot: QtBot, page: MatrixPage) -> None:
    """Let the queued commit and save run: the delegate commits on the next loop turn, and
    the page saves on the turn after."""
    qtbot.waitUntil(lambda: page.grid.state() != QAbstractItemView.State.EditingState)
    qtbot.wait(20)


def test_the_grid_shows_the_matrix(window: MainWindow) -> None:
    page = matrix_page(window)
    assert [page.model.record(r).level.code for r in range(3)] == ["P1", "P2", "P3"]
    assert cell(page, "P1", Column.TARGET) == "30 min"
    assert cell(page, "P1", Column.CONTACTS) == "Dev Lead, Product Manager, Incident commander"
    assert "No progress after 2 h" in cell(page, "P1", Column.TRIGGERS)
    assert cell(page, "P1", Column.OWNER) == "Dev Lead + Support liaison"
    assert cell(page, "P3", Column.TARGET) == "1 business day"


def test_a_duration_typed_as_leads_write_it_is_saved_normalised_and_undoable(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = matrix_page(window)
    type_into_cell(qtbot, page, "P2", Column.TARGET, "1.5 hrs")
    assert cell(page, "P2", Column.TARGET) == "1 h 30 min"
    assert window.undo_stack.undoText() == "Change P2 target"
    window.undo_action.trigger()
    assert cell(page, "P2", Column.TARGET) == "2 h"
    window.redo_action.trigger()
    assert cell(page, "P2", Column.TARGET) == "1 h 30 min"
    # Saved at once: a fresh read of the workspace agrees.
    page.reload()
    assert cell(page, "P2", Column.TARGET) == "1 h 30 min"


def test_the_duration_editor_previews_the_normalised_value(qtbot: QtBot) -> None:
    editor = DurationEditor()
    qtbot.addWidget(editor)
    editor.set_text("2 hrs")
    assert editor.preview.text() == "= 2 h"
    editor.set_text("1 business day")
    assert editor.preview.text() == "= 1 business day"
    editor.set_text("soon")
    assert editor.preview.text() == "not a duration"


def test_an_unreadable_duration_is_refused_and_changes_nothing(
    window: MainWindow, qtbot: QtBot, messages: Messages
) -> None:
    page = matrix_page(window)
    before = window.undo_stack.count()
    type_into_cell(qtbot, page, "P1", Column.TARGET, "soon")
    assert messages.shown[-1][1] == "Change not made"
    assert '"soon"' in messages.shown[-1][2]
    assert cell(page, "P1", Column.TARGET) == "30 min"
    assert window.undo_stack.count() == before


def test_a_method_typed_in_place_is_saved(window: MainWindow, qtbot: QtBot) -> None:
    page = matrix_page(window)
    index = page.model.index(page.model.row_of("P3"), Column.HAND_BACK)
    page.grid.setCurrentIndex(index)
    page.grid.setFocus()
    qtbot.keyClick(page.grid, Qt.Key.Key_F2)
    editor = page.grid.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Support owns it once a fix is scheduled")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle(qtbot, page)
    assert cell(page, "P3", Column.HAND_BACK) == "Support owns it once a fix is scheduled"


def test_dragging_a_level_reorders_and_undo_puts_it_back(window: MainWindow, qtbot: QtBot) -> None:
    page = matrix_page(window)
    data = QMimeData()
    data.setData(MIME_LEVEL, b"P3")
    # What the view does when the row is dropped above the first one.
    page.model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    qtbot.waitUntil(lambda: page.model.record(0).level.code == "P3")
    assert [page.model.record(r).level.code for r in range(3)] == ["P3", "P1", "P2"]
    window.undo_action.trigger()
    assert [page.model.record(r).level.code for r in range(3)] == ["P1", "P2", "P3"]


def test_adding_and_removing_levels_with_undo(window: MainWindow, messages: Messages) -> None:
    page = matrix_page(window)
    page.grid.setCurrentIndex(page.model.index(2, Column.LEVEL))
    page.add_button.click()
    assert page.model.rowCount() == 4
    assert page.model.record(3).level.code == "P4"
    window.undo_action.trigger()
    assert page.model.rowCount() == 3
    # A level escalations use cannot be removed; the refusal says why.
    page.grid.setCurrentIndex(page.model.index(0, Column.LEVEL))
    page.remove_button.click()
    assert "6 escalations use it" in messages.shown[-1][2]
    assert page.model.rowCount() == 3


def test_the_linter_updates_live_and_a_finding_jumps_to_its_cell(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = matrix_page(window)
    findings: QListWidget = page.findings
    assert page.findings_title.text() == "Linter: 0 errors, 4 warnings"
    type_into_cell(qtbot, page, "P2", Column.TARGET, "15 mins")  # now faster than P1
    assert page.findings_title.text().startswith("Linter: 1 error")
    first = findings.item(0)
    assert "P2" in first.text()
    page.grid.setCurrentIndex(page.model.index(2, Column.LEVEL))
    findings.itemClicked.emit(first)
    assert page.grid.currentIndex().row() == page.model.row_of("P1")


def test_the_ladder_follows_the_selected_level(window: MainWindow) -> None:
    page = matrix_page(window)
    page.grid.setCurrentIndex(page.model.index(page.model.row_of("P2"), Column.METHOD))
    data = page.ladder.data()
    assert data is not None
    assert data.level.code == "P2"


def test_models_pass_the_model_tester(window: MainWindow, qtmodeltester: ModelTester) -> None:
    page = matrix_page(window)
    qtmodeltester.check(page.model)


def test_a_double_click_opens_the_editor_and_the_contact_list_saves(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = matrix_page(window)
    index = page.model.index(page.model.row_of("P3"), Column.CONTACTS)
    page.grid.scrollTo(index)
    centre = page.grid.visualRect(index).center()
    qtbot.mouseClick(page.grid.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(page.grid.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    editor = page.grid.findChild(QListWidget, "contactsEditor")
    assert editor is not None
    for row in range(editor.count()):
        if editor.item(row).text() == "Support manager":
            editor.item(row).setCheckState(Qt.CheckState.Checked)
    page.grid.commitData(editor)
    page.grid.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    qtbot.waitUntil(lambda: "Support manager" in cell(page, "P3", Column.CONTACTS))
    assert cell(page, "P3", Column.CONTACTS) == "Support manager, Tier 2 specialist"


def test_the_triggers_dialog_edits_structured_items(qtbot: QtBot) -> None:
    dialog = TriggersDialog("P1 Critical", (Trigger(TriggerKind.SCOPE, "Outage"),))
    qtbot.addWidget(dialog)
    dialog._on_add_clicked()
    dialog.kind.setCurrentIndex(dialog.kind.findData(TriggerKind.TIME))
    dialog.after.setText("90 mins")
    assert dialog.sentence.text() == "No progress after 1 h 30 min"
    dialog._on_add_clicked()
    dialog.kind.setCurrentIndex(dialog.kind.findData(TriggerKind.IMPACT))
    dialog.text.setText("")
    dialog.customers.setValue(25)
    assert [t.sentence() for t in dialog.triggers()] == [
        "Outage",
        "No progress after 1 h 30 min",
        "25 or more customers affected",
    ]


def test_the_ladder_exports_to_png_and_svg_from_its_buttons(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = matrix_page(window)
    targets = iter([tmp_path / "ladder.png", tmp_path / "ladder.svg"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(next(targets)), ""))
    page.findChild(QPushButton, "exportLadderPng").click()
    page.findChild(QPushButton, "exportLadderSvg").click()
    image = QImage(str(tmp_path / "ladder.png"))
    assert not image.isNull()
    assert image.width() > 400
    svg = (tmp_path / "ladder.svg").read_text(encoding="utf-8")
    assert "Respond within 30 min" in svg


def test_a_directory_finding_opens_the_roles_tab(
    window: MainWindow, qtbot: QtBot, messages: Messages
) -> None:
    page = matrix_page(window)
    routing = window.screen_widget("routing")
    page._context.navigate("routing", "Dev Lead", "holder")
    assert window.current_screen() == "routing"
    assert routing.tabs.currentWidget() is routing.directory_views["Roles"]  # type: ignore[attr-defined]
    assert messages.shown == []


def test_an_undo_made_impossible_by_a_later_change_is_said_and_dropped(
    window: MainWindow, messages: Messages
) -> None:
    page = matrix_page(window)
    page.grid.setCurrentIndex(page.model.index(2, Column.LEVEL))
    page.add_button.click()  # P4, then an escalation starts using it
    assert page._session is not None
    board = page._session.board()
    with page._session.workspace.write() as s:
        p4 = s.query(t.SeverityLevel).filter_by(code="P4").one()
        s.query(t.Escalation).filter_by(ref="SUP-4277").one().severity = p4
    assert board is not None
    window.undo_action.trigger()
    assert messages.shown[-1][1] == "Undo not possible"
    assert "cannot be removed" in messages.shown[-1][2]
    assert page.model.row_of("P4") >= 0
    assert not window.undo_stack.canRedo()  # the impossible step left the history


def test_the_trigger_editor_refuses_a_time_it_cannot_read(qtbot: QtBot) -> None:
    dialog = TriggersDialog("P1 Critical", ())
    qtbot.addWidget(dialog)
    dialog._on_add_clicked()
    dialog.kind.setCurrentIndex(dialog.kind.findData(TriggerKind.TIME))
    dialog.after.setText("2 hrz")
    dialog._on_ok_clicked()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "needs its time" in dialog.sentence.text()
