"""Small widgets every screen shares: cards, stat tiles, severity chips, elided labels."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget


def readable_text_on(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""
    colour = QColor(background)

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    luminance = (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )
    # Contrast against black is (L + 0.05) / 0.05, against white 1.05 / (L + 0.05).
    return "#111111" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


class SeverityChip(QLabel):
    """A level's code on its colour, with text that stays readable on any colour."""

    def __init__(self, code: str, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(code, parent)
        self.setObjectName("severityChip")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_level(code, colour)

    def set_level(self, code: str, colour: str) -> None:
        """Show another level."""
        self.setText(code)
        self.setStyleSheet(
            f"background: {colour}; color: {readable_text_on(colour)};"
            "border-radius: 4px; padding: 1px 6px; font-weight: 600;"
        )
        self.setAccessibleName(f"Severity {code}")


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when too narrow, with the whole text as tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setToolTip(text)
        self.setMinimumWidth(40)

    def setText(self, text: str) -> None:
        """Set the text, and the tooltip that shows it whole."""
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        """As tall as a line, as narrow as the layout needs."""
        return QSize(40, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the text elided to the width available."""
        painter = QPainter(self)
        metrics = QFontMetrics(self.font())
        rect = self.contentsRect()
        elided = metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), elided)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Re-elide at the new width."""
        super().resizeEvent(event)
        self.update()


class Card(QFrame):
    """A titled panel; its ``body`` layout holds the content."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 14)
        outer.setSpacing(8)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("cardTitle")
        outer.addWidget(self.title_label)
        self.body = QVBoxLayout()
        self.body.setSpacing(6)
        outer.addLayout(self.body)
        outer.addStretch(1)  # a card taller than its content keeps the content at the top

    def clear(self) -> None:
        """Remove everything from the body."""
        clear_layout(self.body)


def clear_layout(layout: QLayout) -> None:
    """Delete every widget and nested layout in ``layout``."""
    while (item := layout.takeAt(0)) is not None:
        widget = item.widget()
        child = item.layout()
        if widget is not None:
            # Hidden at once: deleteLater waits for the event loop, and until then the old
            # widget would still be painted (and grabbed) where it was.
            widget.hide()
            widget.deleteLater()
        elif child is not None:
            clear_layout(child)


class StatTile(QFrame):
    """A big number with its caption; ``tone`` colours it when the number needs attention."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statTile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.setSpacing(0)
        self.value_label = QLabel("")
        self.value_label.setObjectName("statValue")
        self.caption_label = QLabel(caption)
        self.caption_label.setObjectName("statCaption")
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        self.setAccessibleName(caption)

    def set_value(self, value: int, *, tone: str = "") -> None:
        """Show ``value``; tone is "", "bad" or "warn" and picks the style sheet's colour."""
        self.set_text(str(value), tone=tone if value else "")

    def set_text(self, text: str, *, tone: str = "") -> None:
        """Show a figure already written out ("92%", "1 h 10 min"), in ``tone``."""
        self.value_label.setText(text)
        self.setProperty("tone", tone)
        self.style().unpolish(self)
        self.style().polish(self)
        self.value_label.style().unpolish(self.value_label)
        self.value_label.style().polish(self.value_label)
        self.setAccessibleDescription(f"{text} {self.caption_label.text().lower()}")
