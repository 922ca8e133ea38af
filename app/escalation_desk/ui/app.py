"""Starts the GUI: application, crash handler, main window, then the workspace."""

from __future__ import annotations

import logging
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QMessageLogContext,
    QSettings,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from escalation_desk import __version__, paths
from escalation_desk.services.session import AppSession
from escalation_desk.ui import theme
from escalation_desk.ui.crash import CrashHandler, print_report
from escalation_desk.ui.first_paint import after_first_paint
from escalation_desk.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def settings_for(app_paths: paths.AppPaths) -> QSettings:
    """UI state (geometry, recent files) in an INI file inside the data directory."""
    return QSettings(str(app_paths.data_dir / "settings.ini"), QSettings.Format.IniFormat)


def build_window(app_paths: paths.AppPaths, settings: QSettings | None = None) -> MainWindow:
    """The main window on a new session; the workspace is opened by the caller."""
    session = AppSession(paths.data_file("example-workspace.json"))
    return MainWindow(
        session, settings if settings is not None else settings_for(app_paths), app_paths
    )


#: "light", "dark" or "system" for this run only, ahead of View > Theme (screenshots use it).
THEME_VARIABLE = "ESCALATION_DESK_THEME"


def theme_choice(settings: QSettings) -> theme.Scheme:
    """The theme asked for by ``ESCALATION_DESK_THEME``, else the one kept in ``settings``."""
    try:
        return theme.Scheme(os.environ[THEME_VARIABLE].strip().lower())
    except (KeyError, ValueError):
        return theme.saved_choice(settings)


@dataclass(frozen=True, slots=True)
class Started:
    """The running GUI's parts, for ``run`` and for start-up measurements."""

    app: QApplication
    crash: CrashHandler
    window: MainWindow


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _on_qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to the log file with everything else."""
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def start(app_paths: paths.AppPaths, *, interactive: bool = True) -> Started:
    """Application, crash handler and main window, shown; the workspace loads next turn.

    ``interactive=False`` (``--screenshot``) leaves opening the workspace to the caller, and
    the crash handler reports on stderr instead of waiting for someone to close a dialog.
    """
    QApplication.setApplicationName("Escalation Desk")
    QApplication.setApplicationVersion(__version__)
    QApplication.setOrganizationName("Escalation Desk")
    QApplication.setDesktopFileName("escalation-desk")
    # Fusion everywhere for one look; given as an argument so that no QStyle object has to
    # cross into Python before the window paints.
    app = QApplication([*sys.argv[:1], "-style", "Fusion"])
    settings = settings_for(app_paths)
    follower = theme.follow_system(app, theme_choice(settings))
    if interactive:
        crash = CrashHandler(log_hint=str(app_paths.log_file))
    else:
        crash = CrashHandler(
            str(app_paths.log_file), show=print_report, ask_reload=lambda _m: False
        )
    crash.install()
    qInstallMessageHandler(_on_qt_message)
    window = build_window(app_paths, settings)
    window.view_menu.addSeparator()
    window.view_menu.addMenu(theme.scheme_menu(follower, settings, window))
    crash.crashed.connect(window.pause_refresh)
    crash.reload_requested.connect(window.refresh)
    if interactive:
        # The window paints first; the database (and SQLAlchemy's import) comes right after.
        after_first_paint(window, lambda: _open_and_greet(window))
    window.show()
    return Started(app, crash, window)


def _open_and_greet(window: MainWindow) -> None:
    """Open the workspace; on the very first start, the tour follows."""
    if window.open_initial_workspace():
        window.offer_first_tour()


def run(app_paths: paths.AppPaths, *, screenshot_dir: Path | None = None) -> int:
    """Run the app until its window closes; or render every screen and return."""
    started = start(app_paths, interactive=screenshot_dir is None)
    try:
        if screenshot_dir is not None:
            return _screenshots(started, screenshot_dir)
        _quit_on_interrupt(started.app)
        code = started.app.exec()
        log.info("Escalation Desk closed with exit code %s", code)
        return code
    finally:
        started.crash.uninstall()


def _quit_on_interrupt(app: QApplication) -> None:
    """Ctrl+C in the terminal closes the app instead of being ignored.

    Python runs signal handlers only between bytecodes, and the Qt event loop is C++: a timer
    hands control back to Python twice a second so that the handler gets its turn.
    """
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    heartbeat = QTimer(app)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(500)


#: "1920x1080" renders the screenshots at another window size than 1280x800.
SIZE_VARIABLE = "ESCALATION_DESK_SCREENSHOT_SIZE"


def _screenshots(started: Started, directory: Path) -> int:
    from escalation_desk.ui.screenshot import (  # noqa: PLC0415 - only for --screenshot
        SIZE,
        parse_size,
        save_screens,
    )

    failures: list[str] = []
    started.crash.crashed.connect(failures.append)
    if not started.window.open_initial_workspace():
        return 1
    size = parse_size(os.environ[SIZE_VARIABLE]) if os.environ.get(SIZE_VARIABLE) else SIZE
    for written in save_screens(started.window, directory, size):
        print(written)
    started.window.close()
    return 1 if failures else 0
