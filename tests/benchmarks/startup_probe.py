"""Started as a process by the start-up benchmarks; exits the moment a milestone is reached.

Usage: python startup_probe.py MODE DATA_DIR, MODE one of
  bare-paint  a bare QMainWindow, until its first paint
  bare-query  the same, then SQLAlchemy's ORM imported and one query run on the workspace
  app-paint   Escalation Desk, until the main window's first paint
  app-home    Escalation Desk, until Home shows the workspace's data
The process leaves with os._exit at the milestone, so that no sample pays for tear-down and
the parent's wall-clock time is launch-to-milestone.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def reached() -> None:
    sys.stdout.flush()
    os._exit(0)


class FirstPaint(QObject):
    """Runs ``then`` on the turn after the watched widget's first paint."""

    def __init__(self, then) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self._then = then
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            QTimer.singleShot(0, self._then)
        return False


def bare(data_dir: str, query: bool) -> None:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)

    def painted() -> None:
        if query:
            from sqlalchemy import create_engine, text
            from sqlalchemy.orm import Session

            engine = create_engine(f"sqlite:///{data_dir}/workspace.escdesk")
            with Session(engine) as session:
                session.execute(text("SELECT count(*) FROM escalations")).scalar()
        reached()

    paint = FirstPaint(painted)
    window.installEventFilter(paint)
    window.show()
    app.exec()


def escalation_desk(data_dir: str, until_home: bool) -> None:
    from escalation_desk import paths
    from escalation_desk.cli import build_parser
    from escalation_desk.ui.app import start

    build_parser()  # the real command line parses its arguments first
    started = start(paths.resolve(data_dir=data_dir))
    if until_home:
        # Home has its data once the workspace is open; the next turn paints it.
        started.window.workspace_opened.connect(lambda _path: QTimer.singleShot(0, reached))
    else:
        paint = FirstPaint(reached)
        started.window.installEventFilter(paint)
    started.app.exec()


if __name__ == "__main__":
    mode, directory = sys.argv[1], sys.argv[2]
    if mode.startswith("app-"):
        escalation_desk(directory, until_home=mode == "app-home")
    else:
        bare(directory, query=mode == "bare-query")
