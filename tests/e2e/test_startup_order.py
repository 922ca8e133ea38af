"""The window is built and shown before the heavy libraries load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
from escalation_desk import paths
from escalation_desk.cli import build_parser
from escalation_desk.ui.app import start

build_parser()
started = start(paths.resolve(data_dir=sys.argv[1]), load_workspace=False)
heavy = ("sqlalchemy", "alembic", "openpyxl", "python_calamine", "matplotlib")
print(",".join(name for name in heavy if name in sys.modules) or "none")
started.window.open_initial_workspace()
print(started.window.home.title.text())
"""


def test_sqlalchemy_loads_after_the_window_and_spreadsheets_never(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    loaded_before, title = done.stdout.splitlines()
    assert loaded_before == "none"
    assert title == "Quillpay Customer Support"
