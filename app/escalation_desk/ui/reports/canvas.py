"""A matplotlib Figure as a Qt widget (matplotlib's Qt canvas, typed for the rest of the UI)."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure

MINIMUM_WIDTH = 360
MINIMUM_HEIGHT = 280


def figure_widget(figure: Figure, name: str) -> FigureCanvasQTAgg:
    """A canvas showing ``figure``, named for tests and walkthroughs."""
    canvas = FigureCanvasQTAgg(figure)  # type: ignore[no-untyped-call]  # matplotlib ships no hints for it
    canvas.setObjectName(name)
    # Never drawn squeezed: matplotlib's layout gives up (and warns) below a few inches.
    canvas.setMinimumSize(MINIMUM_WIDTH, MINIMUM_HEIGHT)
    return canvas
