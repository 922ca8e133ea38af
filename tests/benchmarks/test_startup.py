"""Start-up against the libraries' own floor, measured in the same run.

(a) launch to the first painted main window, against a bare PySide6 QMainWindow: goal 1.5x;
(b) launch to Home showing the workspace's data, against a bare window plus importing
    SQLAlchemy's ORM and running one query: goal 1.3x.
Every sample is a new process (startup_probe.py), so imports are paid as a user pays them.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from escalation_desk import paths
from escalation_desk.services.session import AppSession

PROBE = Path(__file__).with_name("startup_probe.py")
ROUNDS = 11
# A user's start finds the bytecode its previous start wrote; so does every sample here.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["QT_QPA_PLATFORM"] = "offscreen"


def launch(mode: str, data_dir: Path) -> None:
    """Run the probe until its milestone."""
    subprocess.run(
        [sys.executable, str(PROBE), mode, str(data_dir)],
        capture_output=True,
        env=ENV,
        timeout=120,
        check=True,
    )


def timed(mode: str, data_dir: Path) -> float:
    began = time.perf_counter()
    launch(mode, data_dir)
    return time.perf_counter() - began


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory whose workspace already exists, as on every start but the first."""
    directory = tmp_path_factory.mktemp("data")
    session = AppSession(paths.data_file("example-workspace.json"))
    session.open(directory / "workspace.escdesk", example_if_new=True)
    session.close()
    return directory


def ratio_to_floor(benchmark: Any, floor_mode: str, app_mode: str, data_dir: Path) -> float:
    """Median of the app's samples over the median of the floor's.

    The samples alternate (a floor sample in each round's untimed setup, then the app's timed
    one), so that a busy moment of the machine weighs on both sides alike.
    """
    for mode in (floor_mode, app_mode):  # warm-up: bytecode written, files in the page cache
        launch(mode, data_dir)
    floor: list[float] = []

    def floor_sample() -> None:
        floor.append(timed(floor_mode, data_dir))

    benchmark.pedantic(
        launch, args=(app_mode, data_dir), setup=floor_sample, rounds=ROUNDS, iterations=1
    )
    ours = float(benchmark.stats.stats.median)
    ratio = ours / statistics.median(floor)
    benchmark.extra_info.update(floor_median_s=round(statistics.median(floor), 3), ratio=ratio)
    print(
        f"\n{app_mode}: {ours:.3f} s, {floor_mode}: {statistics.median(floor):.3f} s, "
        f"ratio {ratio:.2f}"
    )
    return ratio


def test_first_paint_against_a_bare_window(benchmark: Any, data_dir: Path) -> None:
    assert ratio_to_floor(benchmark, "bare-paint", "app-paint", data_dir) <= 1.5


def test_home_with_data_against_a_bare_window_and_one_query(benchmark: Any, data_dir: Path) -> None:
    assert ratio_to_floor(benchmark, "bare-query", "app-home", data_dir) <= 1.3
