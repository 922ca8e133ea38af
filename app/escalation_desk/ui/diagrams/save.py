"""Export buttons under a diagram, and the save dialog that writes it as PNG or SVG."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QPushButton, QWidget

from escalation_desk.ui.diagrams.export import Painter, export_png, export_svg

KINDS = ("png", "svg")


def export_buttons(name: str, export: Callable[[str], None]) -> QHBoxLayout:
    """Right-aligned "Export PNG…" and "Export SVG…" buttons calling ``export(kind)``.

    The buttons are named ``export<Name>Png`` and ``export<Name>Svg`` for tests and the
    walkthroughs to find.
    """
    row = QHBoxLayout()
    row.addStretch(1)
    for kind in KINDS:
        button = QPushButton(f"Export {kind.upper()}…")
        button.setObjectName(f"export{name}{kind.capitalize()}")
        button.setToolTip(f"Save this diagram as a {kind.upper()} file to paste into procedures")
        button.clicked.connect(lambda _checked=False, k=kind: export(k))
        row.addWidget(button)
    return row


def save_diagram(
    parent: QWidget, kind: str, *, what: str, file_stem: str, size: QSize, paint: Painter
) -> None:
    """Ask where to save ``what`` and write it; a failure is said, never half-written."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent,
        f"Export the {what} as {kind.upper()}",
        f"{file_stem}.{kind}",
        f"{kind.upper()} (*.{kind})",
    )
    if not chosen:
        return
    try:
        if kind == "png":
            export_png(Path(chosen), size, paint)
        else:
            export_svg(Path(chosen), size, paint, title=what[:1].upper() + what[1:])
    except OSError as exc:
        QMessageBox.warning(parent, "Export failed", str(exc))
