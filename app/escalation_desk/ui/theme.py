"""The app's look: the style sheet from resources/ and the app icon."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from escalation_desk import paths


def icon(name: str) -> QIcon:
    """An SVG icon from resources/icons."""
    return QIcon(str(paths.resource("icons", f"{name}.svg")))


def rail_icon(name: str) -> QIcon:
    """A rail icon: light on the navy rail, dark on the white of the checked button."""
    icon = QIcon()
    icon.addFile(str(paths.resource("icons", f"{name}-light.svg")), state=QIcon.State.Off)
    icon.addFile(str(paths.resource("icons", f"{name}.svg")), state=QIcon.State.On)
    return icon


def apply(app: QApplication) -> None:
    """The app's icon and style sheet."""
    app.setWindowIcon(icon("escalation-desk"))
    app.setStyleSheet(paths.resource("styles", "app.qss").read_text(encoding="utf-8"))
