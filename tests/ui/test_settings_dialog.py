"""File > Settings: each workspace default is changed, kept, and changes what the app shows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from escalation_desk import paths
from escalation_desk.domain.closure import Gate
from escalation_desk.services.session import AppSession
from escalation_desk.store import tables as t
from escalation_desk.ui.app import settings_for
from escalation_desk.ui.board.page import BoardPage
from escalation_desk.ui.closure.templates_dialog import TemplatesDialog
from escalation_desk.ui.main_window import MainWindow
from escalation_desk.ui.settings_dialog import SettingsDialog

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


@pytest.fixture
def session(app_paths: paths.AppPaths) -> AppSession:
    return AppSession(paths.data_file("example-workspace.json"))


@pytest.fixture
def lead_window(
    qtbot: QtBot, app_paths: paths.AppPaths, session: AppSession
) -> Iterator[MainWindow]:
    """The window on the example, with a second calendar to choose as the default."""
    window = MainWindow(session, settings_for(app_paths), app_paths)
    qtbot.addWidget(window)
    window.show()
    assert window.open_initial_workspace()
    with session.workspace.write() as s:
        s.add(
            t.Calendar(
                name="Sydney office",
                timezone="Australia/Sydney",
                weekly_hours=json.dumps({day: ["09:00", "17:00"] for day in WEEKDAYS}),
                holidays="[]",
            )
        )
    yield window
    window.close()


def open_dialog(window: MainWindow, qtbot: QtBot) -> SettingsDialog:
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog, "settingsDialog")
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitExposed(dialog)
    return dialog


def due_soon_count(window: MainWindow) -> int:
    """How many cards the board's "Due soon" filter lets through."""
    window.show_screen("board")
    page = cast(BoardPage, window.screen_widget("board"))
    page.due_soon.setChecked(True)
    page.apply_filters()
    shown = int(page.count_label.text().split(" of ")[0])
    page.due_soon.setChecked(False)
    return shown


def choose(combo: QComboBox, gate: Gate) -> None:
    combo.setCurrentIndex(combo.findData(gate.value))


def test_every_default_is_saved_kept_and_followed(
    lead_window: MainWindow, session: AppSession, qtbot: QtBot
) -> None:
    window = lead_window
    due_before = due_soon_count(window)
    dialog = open_dialog(window, qtbot)
    assert dialog.calendar.currentText() == "Business hours"
    assert (dialog.at_risk.value(), dialog.critical.value()) == (50, 75)
    assert dialog.top_gate.currentData() == Gate.BLOCKING.value
    assert dialog.other_gate.currentData() == Gate.WARNING.value

    dialog.calendar.setCurrentText("Sydney office")
    dialog.at_risk.setValue(1)
    dialog.critical.setValue(2)
    choose(dialog.top_gate, Gate.WARNING)
    choose(dialog.other_gate, Gate.BLOCKING)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "Settings saved"

    again = window.open_settings()
    assert again is not None
    qtbot.addWidget(again)
    assert again.calendar.currentText() == "Sydney office"
    assert (again.at_risk.value(), again.critical.value()) == (1, 2)
    assert again.top_gate.currentData() == Gate.WARNING.value
    assert again.other_gate.currentData() == Gate.BLOCKING.value
    again.reject()

    # A deadline is at risk once 1 % of its time is used: the board's "Due soon" grows.
    assert due_soon_count(window) > due_before
    # Clocks of a team without a calendar follow the new default.
    row = next(
        r for r in session.board().rows(datetime.now(UTC)) if (r.team or "").startswith("Support")
    )
    assert row.clock.calendar.name == "Sydney office"
    # An item added to a lower level's checklist now blocks closing.
    templates = TemplatesDialog(session.closure())
    qtbot.addWidget(templates)
    templates.level.setCurrentText("P3")
    templates._on_add_clicked()
    assert templates.items()[-1].gate is Gate.BLOCKING


def test_bad_thresholds_are_refused_in_a_sentence_and_change_nothing(
    lead_window: MainWindow, session: AppSession, qtbot: QtBot
) -> None:
    before = session.preferences().read()
    dialog = open_dialog(lead_window, qtbot)
    dialog.at_risk.setValue(80)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error.text() == (
        "A deadline must turn at risk before it turns critical: the at-risk threshold (80 %) "
        "must be below the critical one (75 %)."
    )
    assert session.preferences().read() == before
    dialog.at_risk.setValue(0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == (
        "The at risk threshold must be from 1 % to 99 % of the time, not 0 %."
    )
    assert session.preferences().read() == before
    dialog.reject()
