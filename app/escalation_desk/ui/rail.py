"""The navigation rail: one button per screen, down the window's left edge."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QSizePolicy, QToolButton, QVBoxLayout, QWidget


class NavigationRail(QFrame):
    """Shows the window's checkable "go to screen" actions as large buttons.

    It stays clear of the ``Qt`` namespace: PySide builds that namespace's hundred enums in
    Python on first use (30 ms here), and the rail is painted before anything needs them. The
    buttons' text-under-icon style comes from the style sheet instead.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigationRail")
        self.setAccessibleName("Screens")
        self._buttons: dict[str, QToolButton] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 10, 6, 10)
        self._layout.setSpacing(4)
        self._layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

    def add_entry(self, key: str, action: QAction) -> QToolButton:
        """A button for screen ``key``; the action decides what it does and when it is lit."""
        button = QToolButton(self)
        button.setObjectName(f"rail_{key}")
        button.setDefaultAction(action)
        button.setIconSize(QSize(24, 24))
        button.setFixedWidth(80)
        button.setAutoRaise(True)
        self._buttons[key] = button
        self._layout.insertWidget(self._layout.count() - 1, button)
        return button
