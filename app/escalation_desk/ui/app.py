"""Starts the GUI: application, crash handler, main window, then the workspace."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from escalation_desk import __version__, paths
from escalation_desk.services.session import AppSession
from escalation_desk.ui import theme
from escalation_desk.ui.crash import CrashHandler
from escalation_desk.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def settings_for(app_paths: paths.AppPaths) -> QSettings:
    """UI state (geometry, recent files) in an INI file inside the data directory."""
    return QSettings(str(app_paths.data_dir / "settings.ini"), QSettings.Format.IniFormat)


def build_window(app_paths: paths.AppPaths) -> MainWindow:
    """The main window on a new session; the workspace is opened by the caller."""
    session = AppSession(paths.data_file("example-workspace.json"))
    return MainWindow(session, settings_for(app_paths), app_paths)


def run(app_paths: paths.AppPaths, *, screenshot_dir: Path | None = None) -> int:
    """Run the app until its window closes; or render every screen and return."""
    QApplication.setApplicationName("Escalation Desk")
    QApplication.setApplicationVersion(__version__)
    QApplication.setOrganizationName("Escalation Desk")
    QApplication.setDesktopFileName("escalation-desk")
    app = QApplication(sys.argv[:1])
    theme.apply(app)
    crash = CrashHandler(log_hint=str(app_paths.log_file))
    crash.install()
    window = build_window(app_paths)
    crash.crashed.connect(window.refresh)
    crash.reload_requested.connect(window.refresh)
    if screenshot_dir is not None:
        from escalation_desk.ui.screenshot import save_screens  # noqa: PLC0415

        window.show()
        if not window.open_initial_workspace():
            return 1
        for written in save_screens(window, screenshot_dir):
            print(written)
        window.close()
        crash.uninstall()
        return 0
    window.show()
    # The window paints first; the database (and SQLAlchemy's import) comes right after.
    QTimer.singleShot(0, window.open_initial_workspace)
    code = app.exec()
    crash.uninstall()
    log.info("Escalation Desk closed with exit code %s", code)
    return code
