"""The window is built and shown before the heavy libraries load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from escalation_desk import paths
from escalation_desk.services.session import AppSession

PROBE = """
import sys
from escalation_desk import paths
from escalation_desk.cli import build_parser
from escalation_desk.ui.app import start

build_parser()
started = start(paths.resolve(data_dir=sys.argv[1]), interactive=False)
heavy = ("sqlalchemy", "alembic", "openpyxl", "python_calamine", "matplotlib")
# The matrix's and the closure loop's rules come with the workspace, not before the paint.
heavy += ("escalation_desk.domain.durations", "escalation_desk.domain.closure")
print(",".join(name for name in heavy if name in sys.modules) or "none")
started.window.open_initial_workspace()
print(started.window.home.title.text())
print("orm" if "sqlalchemy.orm" in sys.modules else "core only")
"""


def test_the_database_loads_after_the_window_and_home_needs_no_orm(tmp_path: Path) -> None:
    # Every start but the first finds its workspace filled; the first also writes the example.
    first_start = AppSession(paths.data_file("example-workspace.json"))
    first_start.open(tmp_path / "workspace.escdesk", example_if_new=True)
    first_start.close()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    loaded_before, title, home_needed = done.stdout.splitlines()
    assert loaded_before == "none"
    assert title == "Quillpay Customer Support"
    assert home_needed == "core only"  # Home's figures come without the ORM


CRASHING_SLOT = """
import sys
from PySide6.QtCore import QTimer
from escalation_desk import paths
from escalation_desk.cli import setup_logging
from escalation_desk.ui import crash
from escalation_desk.ui.app import start

shown = []
crash._show_dialog = lambda summary, report, hint: shown.append(summary)  # no modal dialog
app_paths = paths.resolve(data_dir=sys.argv[1])
setup_logging(app_paths)
started = start(app_paths)

def fail():
    raise RuntimeError("the refresh went wrong")

started.window.refresh_action.triggered.connect(fail)
QTimer.singleShot(300, started.window.refresh_action.trigger)
QTimer.singleShot(500, lambda: print("still open:", started.window.isVisible()))
QTimer.singleShot(600, started.app.quit)
started.app.exec()
print("shown:", shown)
"""


def test_an_exception_in_a_slot_is_logged_and_shown_and_the_app_goes_on(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_SLOT, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    assert "shown: ['the refresh went wrong']" in done.stdout
    assert "still open: True" in done.stdout
    log = (tmp_path / "logs" / "escalation-desk.log").read_text()
    assert "Uncaught exception" in log
    assert "RuntimeError: the refresh went wrong" in log
