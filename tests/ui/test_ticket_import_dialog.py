"""The board's import dialog: priorities mapped to levels before anything lands."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from escalation_desk.services.board import BoardService
from escalation_desk.services.ticket_import import TicketImportService
from escalation_desk.store.db import Workspace
from escalation_desk.ui.board.columns_dialog import ColumnsDialog
from escalation_desk.ui.board.import_dialog import CHOOSE_LEVEL, TicketImportDialog

DATA = Path(__file__).parents[1] / "data"


def dialog_on(qtbot: QtBot, workspace: Workspace, file: str) -> TicketImportDialog:
    dialog = TicketImportDialog(TicketImportService(workspace))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load(DATA / file)
    qtbot.waitUntil(lambda: dialog.reader is None)
    return dialog


def level_combo(dialog: TicketImportDialog, row: int) -> QComboBox:
    combo = dialog.priorities.cellWidget(row, 1)
    assert isinstance(combo, QComboBox)
    return combo


def test_an_unmapped_priority_holds_the_import_until_a_level_is_chosen(
    qtbot: QtBot, example_workspace: Workspace
) -> None:
    before = example_workspace.path.read_bytes()
    dialog = dialog_on(qtbot, example_workspace, "tickets/jira_export.csv")
    rows = {
        dialog.priorities.item(r, 0).text(): level_combo(dialog, r).currentText()
        for r in range(dialog.priorities.rowCount())
    }
    assert rows == {"Highest": "P1", "Medium": "P3", "Low": CHOOSE_LEVEL}
    assert dialog.summary.text() == "3 tickets (Jira): nothing can be imported yet."
    assert dialog.problems.item(0).text().startswith('Error: Row 1, Priority: The priority "Low"')
    assert not dialog.import_button.isEnabled()
    assert example_workspace.path.read_bytes() == before

    level_combo(dialog, 2).setCurrentText("P3")
    assert dialog.summary.text() == "3 tickets (Jira): 3 to import."
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert dialog.report is not None
    assert dialog.report.imported == 3
    refs = {r.ref for r in BoardService(example_workspace).rows(datetime.now(UTC))}
    assert {"SUP-102", "SUP-103"} <= refs


def test_a_file_that_cannot_be_read_is_said(qtbot: QtBot, example_workspace: Workspace) -> None:
    dialog = dialog_on(qtbot, example_workspace, "zip_bomb.xlsx")
    assert dialog.summary.text().startswith("zip_bomb.xlsx")
    assert dialog.priorities.rowCount() == 0
    assert not dialog.import_button.isEnabled()


def test_cancel_while_reading_drops_what_was_read(
    qtbot: QtBot, example_workspace: Workspace
) -> None:
    before = example_workspace.path.read_bytes()
    dialog = TicketImportDialog(TicketImportService(example_workspace))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load(DATA / "tickets" / "zendesk_export.csv")
    assert dialog.reader is not None
    dialog.reader.cancel()
    # A busy machine may take a while to start the reader's thread.
    qtbot.waitUntil(
        lambda: dialog.summary.text().startswith("Reading was cancelled"), timeout=15_000
    )
    assert dialog.priorities.rowCount() == 0
    assert not dialog.import_button.isEnabled()
    assert example_workspace.path.read_bytes() == before


def test_columns_not_recognised_are_matched_by_hand(
    qtbot: QtBot, example_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = dialog_on(qtbot, example_workspace, "tickets/unrecognised_headers.csv")
    assert dialog.problems.item(0).text().startswith("Error: Row 1: No ticket reference column")
    assert dialog.columns_button.isEnabled()

    def choose_columns(columns: ColumnsDialog) -> int:
        assert columns.combos["ref"].itemText(1) == "Case no"
        for key, header in (("ref", "Case no"), ("title", "Headline"), ("priority", "Prio")):
            columns.combos[key].setCurrentText(header)
        columns.combos["created"].setCurrentText("Opened on")
        return ColumnsDialog.DialogCode.Accepted

    monkeypatch.setattr(ColumnsDialog, "exec", choose_columns)
    dialog.columns_button.click()
    qtbot.waitUntil(lambda: dialog.summary.text().startswith("2 tickets"))
    assert dialog.summary.text() == "2 tickets (Any other tool): nothing can be imported yet."
    level_combo(dialog, 1).setCurrentText("P3")  # "Low"; "High" was matched to P2
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert dialog.report is not None
    row = BoardService(example_workspace).row("7001", datetime.now(UTC))
    assert row is not None
    assert (row.title, row.severity) == ("Login fails", "P2")


def test_closing_while_reading_neither_waits_nor_crashes(
    qtbot: QtBot, example_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = TicketImportService(example_workspace)
    read = service.read
    started, ended = threading.Event(), threading.Event()

    def slow_read(*args: Any) -> Any:
        started.set()
        time.sleep(0.5)
        try:
            return read(*args)
        finally:
            ended.set()

    monkeypatch.setattr(service, "read", slow_read)
    dialog = TicketImportDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load(DATA / "tickets" / "jira_export.csv")
    assert dialog.reader is not None
    started.wait(5)
    begun = time.monotonic()
    dialog.reject()
    assert time.monotonic() - begun < 0.3  # the window closed without waiting for the read
    qtbot.waitUntil(ended.is_set, timeout=5000)
    qtbot.wait(100)  # the finished signal is delivered
    assert dialog.report is None
    assert dialog.summary.text().startswith("Reading")  # the late result was not shown
