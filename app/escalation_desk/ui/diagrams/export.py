"""Diagrams to PNG and SVG files, written atomically so that a failed export harms no file."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgGenerator

from escalation_desk.files import write_atomically

Painter = Callable[[QPainter, QRectF], None]
"""Paints a diagram into a rectangle, as ``paint_ladder`` and ``paint_flow`` do with their data."""

_INCHES_PER_METRE = 39.37007874
_SCREEN_DPI = 96
_FONT_FAMILY = re.compile(rb'font-family="([^",]*)"')


def render_image(size: QSize, paint: Painter, *, scale: float = 2.0) -> QImage:
    """The diagram on white at ``scale`` times ``size`` pixels, with that device pixel ratio.

    The ratio and the matching resolution let documents and chat apps paste the image at its
    logical size, so it stays crisp on high-density screens instead of appearing twice as big.
    """
    if size.isEmpty() or scale <= 0:
        raise ValueError(f"A diagram needs a positive size and scale, not {size} at {scale}")
    image = QImage(
        math.ceil(size.width() * scale),
        math.ceil(size.height() * scale),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(scale)
    dots_per_metre = round(_SCREEN_DPI * scale * _INCHES_PER_METRE)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        paint(painter, QRectF(0, 0, size.width(), size.height()))
    finally:
        painter.end()
    return image


def render_svg(size: QSize, paint: Painter, *, title: str) -> bytes:
    """The diagram as an SVG document whose viewBox is ``size``, on white, text kept as text."""
    if size.isEmpty():
        raise ValueError(f"A diagram needs a positive size, not {size}")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setResolution(_SCREEN_DPI)
    generator.setTitle(title)
    generator.setDescription("Exported from Escalation Desk")
    painter = QPainter(generator)
    try:
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor("#ffffff"))
        paint(painter, QRectF(0, 0, size.width(), size.height()))
    finally:
        painter.end()
    buffer.close()
    return _with_generic_family(bytes(data.data()))


def _with_generic_family(svg: bytes) -> bytes:
    # QSvgGenerator names one font family; a viewer without it (a browser on another system)
    # would fall back to a serif font, so every family gets sans-serif as its fallback.
    return _FONT_FAMILY.sub(rb'font-family="\1, sans-serif"', svg)


def export_png(path: Path, size: QSize, paint: Painter, *, scale: float = 2.0) -> None:
    """Write the diagram to ``path`` as a PNG; OSError with a sentence when that fails."""
    image = render_image(size, paint, scale=scale)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # QImageWriter rather than QImage.save: PySide6 6.11's stubs type save()'s format as bytes,
    # which its runtime refuses, and the writer can say what went wrong.
    writer = QImageWriter(buffer, QByteArray(b"PNG"))
    saved = writer.write(image)
    buffer.close()
    if not saved:
        reason = writer.errorString()
        raise OSError(f"Could not write {path.name}: the PNG encoder failed ({reason}).")
    write_atomically(path, bytes(data.data()))


def export_svg(path: Path, size: QSize, paint: Painter, *, title: str) -> None:
    """Write the diagram to ``path`` as an SVG; OSError with a sentence when that fails."""
    write_atomically(path, render_svg(size, paint, title=title))
