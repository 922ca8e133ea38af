"""Help > Keyboard shortcuts: every key of the window and its screens, read from their actions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMenuBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class ShortcutLine:
    """One command and its keys, under the menu or screen it belongs to."""

    section: str
    command: str
    keys: tuple[str, ...]  # portable text ("Ctrl+Shift+Z"), as QKeySequence reads it back

    def native_keys(self) -> str:
        """The keys as this platform writes them (Cmd on macOS)."""
        return ", ".join(
            QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) for key in self.keys
        )


def _plain(text: str) -> str:
    """A menu text without its mnemonic marker; "&&" stays a literal ampersand."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _keys(sequences: Iterable[QKeySequence]) -> tuple[str, ...]:
    portable = QKeySequence.SequenceFormat.PortableText
    return tuple(s.toString(portable) for s in sequences if not s.isEmpty())


def _menu_lines(menu: QMenu, section: str, seen: set[QAction]) -> list[ShortcutLine]:
    lines = []
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            lines.extend(_menu_lines(submenu, section, seen))
            continue
        keys = _keys(action.shortcuts())
        if keys and action not in seen:
            seen.add(action)
            lines.append(ShortcutLine(section, _plain(action.text()), keys))
    return lines


# A widget that reads keys itself, in keyPressEvent, says which in a class attribute of this
# name: (what the keys do, the keys as QKeySequence reads them) for each.
KEY_HELP = "KEY_HELP"
KeyHelp = tuple[tuple[str, tuple[str, ...]], ...]


def handled_keys(widget_class: type[QWidget], section: str) -> list[ShortcutLine]:
    """The keys a widget class reads itself (see KEY_HELP)."""
    help_: KeyHelp = getattr(widget_class, KEY_HELP, ())
    return [ShortcutLine(section, command, keys) for command, keys in help_]


def _widget_lines(widget: QWidget, section: str, seen: set[QAction]) -> list[ShortcutLine]:
    """The keys a screen defines itself: its actions, shortcuts and buttons with a shortcut,
    and those its widgets read themselves."""
    lines = []
    classes = dict.fromkeys(type(child) for child in widget.findChildren(QWidget))
    for widget_class in classes:
        lines.extend(handled_keys(widget_class, section))
    for action in widget.findChildren(QAction):
        keys = _keys(action.shortcuts())
        if keys and action not in seen:
            seen.add(action)
            lines.append(ShortcutLine(section, _plain(action.text()), keys))
    for shortcut in widget.findChildren(QShortcut):
        keys = _keys([shortcut.key()])
        if keys:
            what = shortcut.whatsThis() or shortcut.objectName()
            lines.append(ShortcutLine(section, what, keys))
    for button in widget.findChildren(QAbstractButton):
        keys = _keys([button.shortcut()])
        # Qt makes a button's "&Name" its Alt+N shortcut: only keys set on purpose are listed.
        mnemonic = _keys([QKeySequence.mnemonic(button.text())])
        if keys and keys != mnemonic:
            command = _plain(button.text()) or button.toolTip() or button.accessibleName()
            lines.append(ShortcutLine(section, command, keys))
    return lines


def shortcut_lines(
    menu_bar: QMenuBar,
    window_actions: Sequence[QAction],
    screens: Sequence[tuple[str, QWidget]],
    overlays: Sequence[tuple[str, type[QWidget]]] = (),
) -> list[ShortcutLine]:
    """Every shortcut: the menus' in menu order, the window's others, each screen's own, then
    the keys of ``overlays`` (widgets shown over the window for a while, like a walkthrough).

    Read from the live actions each time, so the list says what the keys do today.
    """
    seen: set[QAction] = set()
    lines: list[ShortcutLine] = []
    for menu_action in menu_bar.actions():
        menu = menu_action.menu()
        if isinstance(menu, QMenu):
            lines.extend(_menu_lines(menu, _plain(menu_action.text()), seen))
    for action in window_actions:
        keys = _keys(action.shortcuts())
        if keys and action not in seen:
            seen.add(action)
            lines.append(ShortcutLine("Window", _plain(action.text()), keys))
    for title, widget in screens:
        lines.extend(_widget_lines(widget, title, seen))
    for title, widget_class in overlays:
        lines.extend(handled_keys(widget_class, title))
    return lines


class ShortcutsDialog(QDialog):
    """The shortcuts in a tree, one branch per menu or screen."""

    def __init__(self, lines: Sequence[ShortcutLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
        self.lines = list(lines)
        self.tree = QTreeWidget()
        self.tree.setObjectName("shortcutList")
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setHeaderLabels(["Command", "Keys"])
        self.tree.setRootIsDecorated(False)
        branches: dict[str, QTreeWidgetItem] = {}
        for line in self.lines:
            branch = branches.get(line.section)
            if branch is None:
                branch = branches[line.section] = QTreeWidgetItem(self.tree, [line.section])
                font = branch.font(0)
                font.setBold(True)
                branch.setFont(0, font)
                branch.setFirstColumnSpanned(True)
            QTreeWidgetItem(branch, [line.command, line.native_keys()])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(560, 620)
