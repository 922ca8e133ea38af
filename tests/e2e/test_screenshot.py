"""``escalation-desk --screenshot DIR`` writes one non-blank PNG per screen, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage


def distinct_colours(image: QImage, step: int = 7) -> int:
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


def test_screenshot_renders_every_screen(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "escalation_desk",
            "--data-dir",
            str(tmp_path / "data"),
            "--screenshot",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert pngs == [
        "board-detail.png",
        "board.png",
        "closure.png",
        "home.png",
        "matrix.png",
        "onboarding.png",
        "reports.png",
        "routing.png",
        "walkthrough.png",
    ]
    for name in (p for p in pngs if p != "board-detail.png"):
        image = QImage(str(out / name))
        assert (image.width(), image.height()) == (1280, 800), name
        # A rendered screen has text, chips and cards: far more than a blank window's colours.
        assert distinct_colours(image) > 50, name
