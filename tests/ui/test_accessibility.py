"""Every control on every screen has a name a screen reader can say and is reachable by keyboard."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QToolButton,
    QWidget,
)

from escalation_desk.ui.main_window import MainWindow

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)


def _views_of_every_tab(window: MainWindow, key: str) -> Iterator[str]:
    """Show screen ``key``, then each tab of each of its tab widgets in turn."""
    window.show_screen(key)
    yield key
    for tabs in window.screen_widget(key).findChildren(QTabWidget):
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            yield f"{key} / {tabs.tabText(index)}"


def _part_of_another_control(widget: QWidget) -> bool:
    """Qt's own pieces of a control (a table's headers and corner button, a combo box's or
    spin box's line edit) are announced as part of the control they belong to."""
    parent = widget.parentWidget()
    if isinstance(widget, QHeaderView) and isinstance(parent, QAbstractItemView):
        return True
    if isinstance(widget, QLineEdit) and isinstance(parent, QComboBox | QAbstractSpinBox):
        return True
    return widget.objectName().startswith("qt_")


def _visible_controls(window: MainWindow) -> list[QWidget]:
    return [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, CONTROLS) and w.isVisible() and not _part_of_another_control(w)
    ]


def _describe(where: str, widget: QWidget) -> str:
    return f"{where}: {type(widget).__name__} {widget.objectName() or '(no object name)'}"


def _has_name(widget: QWidget, labelled: set[QWidget]) -> bool:
    if widget.accessibleName().strip() or widget in labelled:
        return True
    return isinstance(widget, QAbstractButton) and bool(widget.text().replace("&", "").strip())


def test_every_visible_control_on_every_screen_has_a_name(window: MainWindow) -> None:
    unnamed = []
    walked = 0
    for key in window.screen_keys():
        for where in _views_of_every_tab(window, key):
            # A QLabel's buddy (a QFormLayout row label sets it) names its field.
            labelled = {label.buddy() for label in window.findChildren(QLabel) if label.buddy()}
            for widget in _visible_controls(window):
                walked += 1
                if not _has_name(widget, labelled):
                    unnamed.append(_describe(where, widget))
    assert walked > 100  # the walk really went through the screens
    assert sorted(set(unnamed)) == []


def test_every_icon_only_button_says_what_it_does(window: MainWindow) -> None:
    silent = []
    for key in window.screen_keys():
        for where in _views_of_every_tab(window, key):
            for widget in _visible_controls(window):
                icon_only = isinstance(widget, QAbstractButton) and not widget.text().strip()
                if icon_only and not (widget.toolTip() or widget.accessibleName()):
                    silent.append(_describe(where, widget))
    assert sorted(set(silent)) == []


def test_every_visible_button_is_reached_by_tab_or_a_shortcut(window: MainWindow) -> None:
    unreachable = []
    for key in window.screen_keys():
        for where in _views_of_every_tab(window, key):
            for widget in _visible_controls(window):
                if not isinstance(widget, QAbstractButton):
                    continue
                tabbable = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
                if not (tabbable or not widget.shortcut().isEmpty()):
                    unreachable.append(_describe(where, widget))
    assert sorted(set(unreachable)) == []


def test_every_menu_and_menu_command_has_a_mnemonic_of_its_own(window: MainWindow) -> None:
    missing, repeated = [], []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        assert isinstance(menu, QMenu)
        assert "&" in menu_action.text(), menu_action.text()
        keys: list[str] = []
        for action in menu.actions():
            if action.isSeparator():
                continue
            marked = action.text().split("&", 1)
            if len(marked) < 2:
                missing.append(action.text())
            else:
                keys.append(marked[1][:1].casefold())
        repeated += [f"{menu_action.text()}: {key}" for key in set(keys) if keys.count(key) > 1]
    assert missing == []
    assert repeated == []


def test_the_rail_shows_plain_titles_without_shortcuts_of_their_own(window: MainWindow) -> None:
    board = window.findChild(QToolButton, "rail_board")
    assert isinstance(board, QToolButton)
    assert board.text() == "Board"
    assert window._screen_action["board"].text() == "&Board"
