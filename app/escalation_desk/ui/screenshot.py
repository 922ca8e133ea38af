"""Renders every screen of the main window to PNG files, for docs and checks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from escalation_desk.domain.walkthrough import MATRIX_EXPLAINED
from escalation_desk.ui.main_window import MainWindow

SIZE = (1280, 800)


def parse_size(text: str) -> tuple[int, int]:
    """``"1920x1080"`` as (1920, 1080); ValueError for anything else."""
    width, _, height = text.lower().partition("x")
    size = (int(width), int(height))
    if min(size) <= 0:
        raise ValueError(f"Not a size: {text!r}")
    return size


def save_screens(window: MainWindow, directory: Path, size: tuple[int, int] = SIZE) -> list[Path]:
    """Show each rail screen in turn at ``size`` and write ``directory/<screen>.png``.

    A screen may name parts worth a picture of their own (``screenshot_parts``, e.g. the
    board's detail pane): they are written as ``<screen>-<part>.png``. Last, a walkthrough
    step over the matrix is written as ``walkthrough.png``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    window.resize(*size)
    written = []
    for key in window.screen_keys():
        window.show_screen(key)
        QApplication.processEvents()
        shots = {key: window}
        parts = getattr(window.screen_widget(key), "screenshot_parts", None)
        if parts is not None:
            shots |= {f"{key}-{name}": widget for name, widget in parts().items()}
        for name, widget in shots.items():
            target = directory / f"{name}.png"
            if not widget.grab().save(str(target), "PNG"):
                raise OSError(f"Could not write {target}")
            written.append(target)
    written.append(_save_walkthrough_step(window, directory / "walkthrough.png"))
    return written


def _save_walkthrough_step(window: MainWindow, target: Path) -> Path:
    """The matrix explained at its first level: a walkthrough step as an agent sees it."""
    player = window.play_walkthrough(MATRIX_EXPLAINED)
    if player is None:
        raise OSError("The workspace has no matrix to explain")
    player.next_step()
    QApplication.processEvents()
    try:
        if not window.grab().save(str(target), "PNG"):
            raise OSError(f"Could not write {target}")
    finally:
        player.skip()
    return target
