"""Diagrams painted from plain domain data: the palette and layout helpers they share."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF, QPainter

# The app's palette (resources/styles/app.qss), repeated here because painting cannot read QSS.
NAVY = "#1f3a5f"
TEXT = "#17202b"
MUTED = "#5d6b7a"
BORDER = "#dde3ea"
BACKGROUND = "#f4f6f9"
# Darker than the card border so that an axis or a connector reads on white.
LINE = "#9aa8b6"
FAINT = "#c3ccd6"
WARN = "#8a5a00"

__all__ = [
    "BACKGROUND",
    "BORDER",
    "FAINT",
    "LINE",
    "MUTED",
    "NAVY",
    "TEXT",
    "WARN",
    "colour_or",
    "draw_line_of_text",
    "faint_on_white",
    "font",
    "metrics",
    "paint_sentence",
    "prepare",
    "spread",
]


def font(pixels: int, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    """The application font at a pixel size, so that screen, PNG and SVG lay text out alike.

    The family is resolved to the one actually used ("DejaVu Sans" rather than Qt's alias
    "Sans Serif"), because an SVG names it for viewers that know nothing of Qt's aliases.
    Capitals are written in the text itself, never set on the font: the SVG generator drops
    a font's capitalization, and the exported picture must read like the screen.
    """
    result = QFont()
    result.setPixelSize(pixels)
    result.setWeight(weight)
    result.setFamily(QFontInfo(result).family())
    return result


def metrics(painter: QPainter, of: QFont) -> QFontMetricsF:
    """Metrics of ``of`` on the painter's device, which is what the text will be measured on."""
    device = painter.device()
    return QFontMetricsF(of, device) if device is not None else QFontMetricsF(of)


def prepare(painter: QPainter) -> None:
    """Anti-aliased shapes and text."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)


def faint_on_white(colour: QColor) -> bool:
    """Whether shapes in ``colour`` need an edge to show on white: under WCAG's 3:1 for graphics."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    luminance = (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )
    return 1.05 / (luminance + 0.05) < 3.0


def colour_or(name: str, fallback: str) -> QColor:
    """``name`` as a colour, or ``fallback`` when a matrix holds something that is not one."""
    colour = QColor(name)
    return colour if colour.isValid() else QColor(fallback)


def draw_line_of_text(
    painter: QPainter,
    rect: QRectF,
    text: str,
    of: QFont,
    colour: str | QColor,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> float:
    """Draw one line elided to ``rect``'s width, centred vertically; returns the drawn width."""
    measure = metrics(painter, of)
    shown = measure.elidedText(text, Qt.TextElideMode.ElideRight, max(rect.width(), 0.0))
    painter.setFont(of)
    painter.setPen(QColor(colour))
    painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), shown)
    return measure.horizontalAdvance(shown)


def paint_sentence(painter: QPainter, rect: QRectF, sentence: str, colour: str = MUTED) -> None:
    """A muted sentence centred in ``rect``: what an empty diagram says instead."""
    painter.setFont(font(13))
    painter.setPen(QColor(colour))
    inner = rect.adjusted(24, 24, -24, -24)
    flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
    painter.drawText(inner, int(flags), sentence)


def spread(
    wanted: Sequence[float], heights: Sequence[float], *, gap: float, low: float, high: float
) -> list[float]:
    """Tops for boxes stacked in the given order, each as near its wanted top as it can be.

    Boxes keep their order, never overlap (``gap`` apart) and stay between ``low`` and ``high``
    when there is room; with too little room they keep to ``low`` and run past ``high``.
    """
    tops: list[float] = []
    for index, want in enumerate(wanted):
        floor = low if index == 0 else tops[-1] + heights[index - 1] + gap
        tops.append(max(want, floor))
    limit = high
    for index in reversed(range(len(tops))):
        tops[index] = min(tops[index], limit - heights[index])
        limit = tops[index] - gap
    if tops and tops[0] < low:
        # Not enough room: pushing up went too far, so stack down from the top once more.
        for index in range(len(tops)):
            floor = low if index == 0 else tops[index - 1] + heights[index - 1] + gap
            tops[index] = max(tops[index], floor)
    return tops
