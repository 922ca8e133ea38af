"""The one place uncaught exceptions go: logged with their traceback, shown, never swallowed."""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Signal, Slot
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
from escalation_desk.services.errors import ChangedElsewhereError

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


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
            f"<b>{summary}</b><br>Nothing half-done was saved: the failed action's changes "
            f"were rolled back. The report below is also in the log file {log_hint}."
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


def _show_dialog(summary: str, report: str, log_hint: str) -> None:
    CrashDialog(summary, report, log_hint).exec()


def _ask_reload(message: str) -> bool:
    answer = QMessageBox.question(
        None,
        "Changed elsewhere",
        f"{message}\n\nReload now?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes


class CrashHandler(QObject):
    """Installed once at start-up as ``sys.excepthook`` and ``threading.excepthook``."""

    #: Emitted after an exception was logged and shown, with its one-line summary; the main
    #: window refreshes so that it shows the data as it really is after the rollback.
    crashed = Signal(str)
    #: Emitted when the user agreed to reload after a record was changed in another window.
    reload_requested = Signal()
    #: Internal: carries exceptions from worker threads to the GUI thread.
    _from_thread = Signal(object)

    def __init__(
        self,
        log_hint: str,
        show: Callable[[str, str, str], None] = _show_dialog,
        ask_reload: Callable[[str], bool] = _ask_reload,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._log_hint = log_hint
        self._show = show
        self._ask_reload = ask_reload
        self._showing = False
        self._from_thread.connect(self._on_thread_exception)

    def install(self) -> None:
        """Route every uncaught exception here."""
        sys.excepthook = self.handle
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        """Give the hooks back to Python (tests, shutdown)."""
        sys.excepthook = sys.__excepthook__
        threading.excepthook = threading.__excepthook__

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """Log the exception, show it, and tell the window to reload its data."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if isinstance(exc, ChangedElsewhereError):
            # Not a crash: two windows edited the same record. Nothing was saved; offer the
            # newer data so the user can make the change again on top of it.
            log.info("Edit refused: %s", exc)
            if self._ask_reload(str(exc)):
                self.reload_requested.emit()
            return
        report = crash_report((exc_type, exc, tb))
        log.error("Uncaught exception\n%s", report)
        summary = str(exc).strip().splitlines()[0] if str(exc).strip() else exc_type.__name__
        if self._showing:  # an exception while the dialog is up: logged, not stacked
            return
        self._showing = True
        try:
            self._show(summary, report, self._log_hint)
        finally:
            self._showing = False
        self.crashed.emit(summary)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self._from_thread.emit((args.exc_type, args.exc_value, args.exc_traceback))

    @Slot(object)
    def _on_thread_exception(self, exc_info: ExcInfo) -> None:
        self.handle(*exc_info)
