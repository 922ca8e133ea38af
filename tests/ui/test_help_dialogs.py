"""Help: the keyboard shortcuts read from the actions, and About with versions and licences."""

from __future__ import annotations

from importlib import metadata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QLabel, QTreeWidgetItemIterator
from pytestqt.qtbot import QtBot

from escalation_desk import __version__
from escalation_desk.paths import AppPaths
from escalation_desk.ui.about_dialog import BUNDLED, AboutDialog, Library, describe
from escalation_desk.ui.main_window import MainWindow
from escalation_desk.ui.shortcuts_dialog import ShortcutsDialog


def test_the_shortcut_list_holds_every_menu_and_screen_key(window: MainWindow) -> None:
    keys = {(line.section, line.command): line.keys for line in window.shortcut_lines()}
    for number, title in enumerate(
        ("Home", "Matrix", "Routing", "Board", "Closure", "Onboarding", "Reports"), start=1
    ):
        assert keys["View", title] == (f"Ctrl+{number}",)
    assert keys["Edit", "Undo"] == ("Ctrl+Z",)
    assert "Ctrl+Shift+Z" in keys["Edit", "Redo"]
    assert keys["Help", "Tour of Escalation Desk"] == ("F1",)
    assert keys["Help", "Print the escalation cheat sheet…"] == ("Ctrl+P",)
    assert keys["Help", "Keyboard shortcuts…"] == ("Ctrl+/",)
    assert keys["File", "Settings…"] == ("Ctrl+,",)
    # The keys a screen defines itself: the board's button and its move actions.
    assert keys["Board", "New escalation…"] == ("Ctrl+E",)
    assert keys["Board", "Move the selected escalation to Acknowledged"] == ("Ctrl+Alt+A",)
    # The keys a widget reads itself: the board's cards, a walkthrough over the window.
    assert keys["Board", "Select the first or the last card"] == ("Home", "End")
    assert keys["Board", "Move the selected card to the lane above or below"] == (
        "Ctrl+Up",
        "Ctrl+Down",
    )
    assert keys["Walkthrough", "Leave the walkthrough"] == ("Esc",)


def test_every_shortcut_of_the_window_is_listed_once(window: MainWindow) -> None:
    lines = window.shortcut_lines()
    listed = [key for line in lines for key in line.keys]
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            assert sequence.toString(QKeySequence.SequenceFormat.PortableText) in listed
    assert len({(line.section, line.command) for line in lines}) == len(lines)


def test_help_opens_the_shortcut_dialog_from_its_key(window: MainWindow, qtbot: QtBot) -> None:
    assert window.findChild(QAction, "keyboardShortcuts") is not None
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ShortcutsDialog, "shortcutsDialog")
    assert isinstance(dialog, ShortcutsDialog)
    shown = []
    iterator = QTreeWidgetItemIterator(dialog.tree)
    while iterator.value():
        item = iterator.value()
        shown.append((item.text(0), item.text(1)))
        iterator += 1
    native = QKeySequence("Ctrl+Z").toString(QKeySequence.SequenceFormat.NativeText)
    assert ("Undo", native) in shown
    assert ("Board", "") in shown  # one branch per screen with keys of its own
    dialog.close()


def test_about_says_the_version_and_the_licences(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, app_paths: AppPaths
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog, "aboutDialog")
    assert isinstance(dialog, AboutDialog)
    heading = dialog.findChild(QLabel, "aboutVersion")
    assert heading is not None
    assert __version__ in heading.text()
    titles = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert titles[0].startswith("Qt for Python")
    licences = {line.title: line.licence for line in dialog.lines}
    assert licences["SQLAlchemy"] == "MIT"
    assert "LGPL-3.0" in licences["Qt for Python (PySide6) and Qt"]
    assert licences["NumPy"].startswith("BSD")
    versions = {line.title: line.version for line in dialog.lines}
    assert versions["openpyxl"] == metadata.version("openpyxl")
    qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)
    assert opened == [str(app_paths.log_dir)]
    dialog.close()


@pytest.mark.parametrize("library", BUNDLED, ids=lambda library: library.title)
def test_a_library_without_metadata_falls_back_to_the_known_licence(library: Library) -> None:
    def nothing_installed(name: str) -> metadata.PackageMetadata:
        raise metadata.PackageNotFoundError(name)

    line = describe(library, nothing_installed)
    assert (line.version, line.licence.split(" (")[0]) == ("", library.fallback_licence)
