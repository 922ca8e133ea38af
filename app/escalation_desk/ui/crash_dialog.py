"""The crash dialog with its copyable report, and the "changed elsewhere, reload?" question."""

from __future__ import annotations

import html
import platform
import traceback

from PySide6.QtCore import Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from escalation_desk import __version__
from escalation_desk.ui.crash import ExcInfo


def crash_report(exc_info: ExcInfo) -> str:
    """The text a user copies into a bug report."""
    lines = traceback.format_exception(*exc_info)
    return (
        f"Escalation Desk {__version__} on Python {platform.python_version()}, "
        f"{platform.platform()}\n\n" + "".join(lines)
    )


class CrashDialog(QDialog):
    """Says what went wrong in a sentence, with the full report ready to copy."""

    def __init__(self, summary: str, report: str, log_hint: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        self.setObjectName("crashDialog")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        headline = QLabel(
            f"<b>{html.escape(summary)}</b><br>Every change is saved in one step, so a step "
            "that failed part-way saved nothing. The report below is also in the log file "
            f"{html.escape(log_hint)}."
        )
        headline.setWordWrap(True)
        layout.addWidget(headline)
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        self.report.setObjectName("crashReport")
        layout.addWidget(self.report)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("Copy report")
        copy.setObjectName("copyReport")
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @Slot()
    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.report.toPlainText())


def ask_reload(message: str) -> bool:
    """Ask whether to reload after an edit was refused; True for yes."""
    answer = QMessageBox.question(
        None,
        "Changed elsewhere",
        f"{message}\n\nReload now?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes
