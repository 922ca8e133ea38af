"""Render resources/icons/escalation-desk.svg to the hicolor PNG sizes desktops look for."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

# Rendering needs no screen; set before Qt is imported so a build machine without a display
# (or CI) works.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "resources" / "icons" / "escalation-desk.svg"
TARGET = ROOT / "packaging" / "linux" / "icons" / "hicolor"
NAME = "escalation-desk"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The icon at size x size pixels on a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    """Write every size; exit 1 if the SVG cannot be read or a PNG cannot be written."""
    _app = QGuiApplication(sys.argv[:1])  # QPainter needs the GUI module initialised
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"Cannot read {SOURCE}", file=sys.stderr)
        return 1
    for size in SIZES:
        out = TARGET / f"{size}x{size}" / "apps" / f"{NAME}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        if not render(renderer, size).save(str(out), "PNG"):
            print(f"Cannot write {out}", file=sys.stderr)
            return 1
        print(out.relative_to(ROOT))
    # The SVG itself for desktops that scale (GNOME, KDE), so one install copies one tree.
    scalable = TARGET / "scalable" / "apps" / f"{NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)
    print(scalable.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
