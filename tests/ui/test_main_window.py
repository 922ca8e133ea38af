"""The main window opens on the example workspace and every rail entry shows its screen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QToolButton
from pytestqt.qtbot import QtBot

from escalation_desk import paths
from escalation_desk.spreadsheets.reading import read_sheets
from escalation_desk.ui.app import build_window, settings_for
from escalation_desk.ui.main_window import MainWindow
from tests.ui.conftest import Messages


def test_home_shows_the_example_workspace(window: MainWindow) -> None:
    home = window.home
    assert home.title.text() == "Quillpay Customer Support"
    assert home.tile_open.value_label.text() == "23"
    assert int(home.tile_breached.value_label.text()) >= 5
    assert home.tile_no_liaison.value_label.text() == "3"
    assert home.tile_closure.value_label.text() == "6"
    assert window.windowTitle() == "workspace — Escalation Desk"


def test_every_rail_entry_shows_its_screen(window: MainWindow, qtbot: QtBot) -> None:
    assert window.screen_keys() == [
        "home",
        "matrix",
        "routing",
        "board",
        "closure",
        "onboarding",
        "reports",
    ]
    for key in window.screen_keys():
        button = window.rail.findChild(QToolButton, f"rail_{key}")
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert window.current_screen() == key
        assert button.isChecked()


def test_actions_have_names_shortcuts_and_status_tips(window: MainWindow) -> None:
    expected = {
        "newWorkspace": "Ctrl+N",
        "openWorkspace": "Ctrl+O",
        "quit": "Ctrl+Q",
        "undo": "Ctrl+Z",
        "show_home": "Ctrl+1",
        "refresh": "F5",
    }
    for name, shortcut in expected.items():
        action = window.findChild(QAction, name)
        assert action is not None, name
        assert action.shortcut().toString() == shortcut, name
        assert action.statusTip() or name in ("undo",), name


def test_an_empty_workspace_says_so_instead_of_showing_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    app_paths = paths.resolve(db=str(tmp_path / "blank.escdesk"), data_dir=str(tmp_path))
    win = build_window(app_paths)
    qtbot.addWidget(win)
    assert win.open_initial_workspace()
    assert win.home.title.text() == "blank"
    assert win.home.tile_open.value_label.text() == "0"
    texts = [label.text() for label in win.home.matrix_card.findChildren(type(win.home.title))]
    assert any(text.startswith("This workspace has no severity levels yet.") for text in texts)
    win.close()


def test_a_refused_file_keeps_the_current_workspace(
    window: MainWindow, tmp_path: Path, messages: Messages
) -> None:
    future = tmp_path / "future.escdesk"
    with sqlite3.connect(future) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    assert not window.open_workspace(future)
    assert messages.shown[-1][1] == "Cannot open workspace"
    assert "newer Escalation Desk" in messages.shown[-1][2]
    assert window.home.title.text() == "Quillpay Customer Support"


def test_recent_workspaces_and_geometry_are_remembered(
    qtbot: QtBot, app_paths: paths.AppPaths, tmp_path: Path
) -> None:
    win = build_window(app_paths)
    qtbot.addWidget(win)
    win.show()
    assert win.open_initial_workspace()
    other = tmp_path / "second.escdesk"
    assert win.open_workspace(other)
    win.resize(720, 520)  # inside the offscreen screen, which restoreGeometry clamps to
    win.close()
    settings = settings_for(app_paths)
    assert settings.value("recentWorkspaces")[0] == str(other)
    assert settings.value("mainWindow/geometry") is not None

    # The next start reopens the last workspace used, at the same size.
    again = build_window(app_paths)
    qtbot.addWidget(again)
    again.show()
    assert again.open_initial_workspace()
    assert again.home.title.text() == "second"
    assert (again.width(), again.height()) == (720, 520)
    recent = [a.text() for a in again.recent_menu.actions()]
    assert recent == ["&1 second.escdesk", "&2 workspace.escdesk"]
    again.close()


def test_a_recent_workspace_that_is_gone_is_said_and_forgotten(
    window: MainWindow, app_paths: paths.AppPaths, tmp_path: Path, messages: Messages
) -> None:
    gone = tmp_path / "gone.escdesk"
    assert window.open_workspace(gone)
    assert window.open_workspace(app_paths.workspace)
    gone.unlink()
    entry = next(a for a in window.recent_menu.actions() if a.data() == str(gone))
    entry.trigger()
    assert messages.shown[-1][1] == "Workspace not found"
    assert not gone.exists()  # not silently re-created as an empty workspace
    assert [a.data() for a in window.recent_menu.actions()] == [str(app_paths.workspace)]
    assert window.home.title.text() == "Quillpay Customer Support"


def test_a_last_workspace_that_is_refused_falls_back_to_the_default(
    qtbot: QtBot, app_paths: paths.AppPaths, tmp_path: Path, messages: Messages
) -> None:
    future = tmp_path / "future.escdesk"
    with sqlite3.connect(future) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    settings_for(app_paths).setValue("recentWorkspaces", [str(future)])
    win = build_window(app_paths)
    qtbot.addWidget(win)
    assert win.open_initial_workspace()
    assert "newer Escalation Desk" in messages.shown[-1][2]
    assert win.home.title.text() == "Quillpay Customer Support"
    assert str(future) not in settings_for(app_paths).value("recentWorkspaces")
    win.close()


def test_the_file_menu_exports_the_managers_workbook(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messages: Messages
) -> None:
    chosen = tmp_path / "for managers"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(chosen), ""))
    window.findChild(QAction, "exportWorkbook").trigger()
    written = tmp_path / "for managers.xlsx"
    assert [s.name for s in read_sheets(written)][:2] == ["Matrix", "Routing"]
    assert window.statusBar().currentMessage() == f"Exported the workbook to {written}"
    blocked = tmp_path / "missing folder" / "x.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(blocked), ""))
    window.findChild(QAction, "exportWorkbook").trigger()
    assert messages.shown[-1][1] == "Cannot export the workbook"
    assert "could not be written" in messages.shown[-1][2]
