"""Runs a callback once a widget has painted for the first time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _FirstPaintWatcher(QObject):
    """Event filter that fires its callback after the watched widget's first paint."""

    def __init__(self, widget: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Schedule the callback after the first paint has been handled, then step aside."""
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # A zero timer runs after this paint completes, so the pixels are already there.
            QTimer.singleShot(0, self._callback)
            self.deleteLater()
        return False


def after_first_paint(widget: QWidget, callback: Callable[[], object]) -> None:
    """Call ``callback`` on the event loop turn after ``widget`` first paints."""
    _FirstPaintWatcher(widget, callback)
