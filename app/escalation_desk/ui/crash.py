"""The one place uncaught exceptions go: logged with their traceback, shown, never swallowed.

The handler is installed before the window paints; the dialogs it shows live in
``crash_dialog`` and are imported when first needed, so that start-up does not pay for them.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Signal, Slot

from escalation_desk.services.errors import ChangedElsewhereError, NotAllowedError

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def print_report(summary: str, report: str, log_hint: str) -> None:
    """For runs without a user to answer a dialog (``--screenshot``): the report on stderr."""
    print(report, file=sys.stderr)


def _show_dialog(summary: str, report: str, log_hint: str) -> None:
    from escalation_desk.ui.crash_dialog import CrashDialog  # noqa: PLC0415 - see module doc

    CrashDialog(summary, report, log_hint).exec()


def _ask_reload(message: str) -> bool:
    from escalation_desk.ui.crash_dialog import ask_reload  # noqa: PLC0415 - see module doc

    return ask_reload(message)


def _refuse(message: str) -> None:
    from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415 - see module doc

    QMessageBox.warning(None, "Not allowed", message)


def _report(exc_info: ExcInfo) -> str:
    from escalation_desk.ui.crash_dialog import crash_report  # noqa: PLC0415 - see module doc

    return crash_report(exc_info)


class CrashHandler(QObject):
    """Installed once at start-up as ``sys.excepthook`` and ``threading.excepthook``."""

    #: Emitted after an exception was logged and shown, with its one-line summary. The main
    #: window pauses its automatic refresh, so that a failing refresh cannot loop.
    crashed = Signal(str)
    #: Emitted when the user agreed to reload after a record was changed in another window.
    reload_requested = Signal()
    #: Internal: carries exceptions from worker threads to the GUI thread.
    _from_thread = Signal(object)

    def __init__(
        self,
        log_hint: str,
        show: Callable[[str, str, str], None] | None = None,
        ask_reload: Callable[[str], bool] | None = None,
        refuse: Callable[[str], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._log_hint = log_hint
        self._show = show or _show_dialog
        self._ask_reload = ask_reload or _ask_reload
        self._refuse = refuse or _refuse
        self._showing = False
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        self._from_thread.connect(self._on_thread_exception)

    def install(self) -> None:
        """Route every uncaught exception here."""
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        """Give the hooks back to what they were before ``install`` (tests, shutdown)."""
        sys.excepthook, threading.excepthook = self._previous_hooks

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """Log the exception and show it; from a worker thread, hand it to the GUI thread."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if threading.current_thread() is not threading.main_thread():
            # Qt's worker threads (QThread, QRunnable) report through sys.excepthook on their
            # own thread; dialogs may only be built on the GUI thread.
            self._from_thread.emit((exc_type, exc, tb))
            return
        if isinstance(exc, ChangedElsewhereError):
            # Not a crash: two windows edited the same record. Nothing was saved; offer the
            # newer data so the user can make the change again on top of it.
            log.info("Edit refused: %s", exc)
            if self._ask_reload(str(exc)):
                self.reload_requested.emit()
            return
        if isinstance(exc, NotAllowedError):
            # Not a crash either: the person's team role does not allow the change (an action
            # the window did not disable). Nothing was saved; the sentence says who may.
            log.info("Change refused: %s", exc)
            self._refuse(str(exc))
            return
        report = _report((exc_type, exc, tb))
        log.error("Uncaught exception\n%s", report)
        summary = str(exc).strip().splitlines()[0] if str(exc).strip() else exc_type.__name__
        if self._showing:  # raised while the dialog is up or by a listener: logged, not stacked
            return
        self._showing = True
        try:
            self._show(summary, report, self._log_hint)
            self.crashed.emit(summary)
        finally:
            self._showing = False

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self._from_thread.emit((args.exc_type, args.exc_value, args.exc_traceback))

    @Slot(object)
    def _on_thread_exception(self, exc_info: ExcInfo) -> None:
        self.handle(*exc_info)
