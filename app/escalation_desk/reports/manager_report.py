"""The manager report: a printable PDF of the KPI dashboard, headline figures first."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch
from matplotlib.textpath import text_to_path

from escalation_desk.domain.kpis import KpiReport
from escalation_desk.files import write_atomically
from escalation_desk.reports.kpi_charts import Chart, Headline, charts, headlines

__all__ = ["A4_LANDSCAPE", "report_pages", "write_manager_report"]

A4_LANDSCAPE = (11.69, 8.27)  # inches
_WIDTH, _HEIGHT = A4_LANDSCAPE
_MARGIN = 0.6  # inches; office printers cannot print within about 0.25 in of the edge
_TEXT_WIDTH = _WIDTH - 2 * _MARGIN
_POINTS_PER_INCH = 72.0
_LEADING = 1.3  # line step as a multiple of the font size
_MEASURE_SIZE = 10.0  # words are measured once at this size and scaled
# Words are measured without kerning, and the screen's hinting widens text a little.
_SPARE = 1.03
# Charts drawn for a dashboard tile are enlarged on paper, where they fill a page.
_CHART_TEXT_SCALE = 1.35

_INK = "#000000"
_SOFT_INK = "#404040"
_RULE = "#8c8c8c"
_TILE = "#f2f2f2"

_REPORT_TITLE = "Escalation report"
_ELLIPSIS = "\u2026"
_TILE_COLUMNS = 3
_TILE_GAP = 0.3  # inches between tiles
_TILE_INSET = 0.25  # inches from a tile's edge to its text
_TILE_MOST_HEIGHT = 2.1

# Fixed English month names, whatever the computer's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class _Style:
    """How a piece of text is set: size in points, weight and ink."""

    size: float
    bold: bool = False
    colour: str = _INK

    @property
    def step(self) -> float:
        """The height one line takes, in inches."""
        return self.size * _LEADING / _POINTS_PER_INCH


_TITLE = _Style(28.0, bold=True)
_TEAM = _Style(18.0, bold=True)
_PERIOD = _Style(14.0, colour=_SOFT_INK)
_PAGE_TITLE = _Style(18.0, bold=True)
_SENTENCE = _Style(13.0)
_VALUE = _Style(40.0, bold=True)
_LABEL = _Style(13.0, bold=True)
_DETAIL = _Style(10.5, colour=_SOFT_INK)
_FOOTER = _Style(9.0)


# --- measuring and wrapping ---------------------------------------------------------------------


@lru_cache(maxsize=2048)
def _ems(text: str, bold: bool) -> float:
    """The width of text in ems (multiples of its size). Cached: reports reuse the same words."""
    font = FontProperties(size=_MEASURE_SIZE, weight="bold" if bold else "normal")
    width, _, _ = text_to_path.get_text_width_height_descent(text, font, ismath=False)
    return float(width) / _MEASURE_SIZE


def _width(text: str, style: _Style) -> float:
    """The width of text in inches, measured word by word."""
    words = text.split(" ")
    ems = sum(_ems(word, style.bold) for word in words if word)
    ems += (len(words) - 1) * _ems(" ", style.bold)
    return ems * style.size * _SPARE / _POINTS_PER_INCH


def _clip(text: str, width: float, style: _Style) -> str:
    """Text cut to width inches and ended with an ellipsis when it is wider."""
    if _width(text, style) <= width:
        return text
    while text and _width(text.rstrip() + _ELLIPSIS, style) > width:
        text = text[:-1]
    return text.rstrip() + _ELLIPSIS


def _wrap(text: str, width: float, style: _Style, most: int) -> list[str]:
    """Text broken at spaces into at most ``most`` lines no wider than width inches; the last
    line ends in "…" when text was left over."""
    lines: list[str] = []
    for word in text.split():
        if lines and _width(f"{lines[-1]} {word}", style) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > most:
        lines = [*lines[: most - 1], _clip(" ".join(lines[most - 1 :]) + _ELLIPSIS, width, style)]
    return [_clip(line, width, style) for line in lines] or [""]


# --- drawing ------------------------------------------------------------------------------------


class _Page:
    """A4 landscape page drawn in inches measured from its top-left corner, as read."""

    def __init__(self, chart_area: tuple[float, float] | None = None) -> None:
        """A blank page; ``chart_area`` (top, bottom, in inches) is where a chart's axes may go."""
        layout = None
        if chart_area is not None:
            top, bottom = chart_area
            # The layout engine only arranges the chart inside this rectangle, so it never
            # moves axes over the title, the sentence or the footer.
            rect = (
                _MARGIN / _WIDTH,
                1 - bottom / _HEIGHT,
                _TEXT_WIDTH / _WIDTH,
                (bottom - top) / _HEIGHT,
            )
            layout = ConstrainedLayoutEngine(rect=rect)
        self.figure = Figure(figsize=A4_LANDSCAPE, layout=layout)
        self.figure.patch.set_facecolor("white")

    def text(self, x: float, y: float, text: str, style: _Style, *, align: str = "left") -> None:
        """One line of text whose top sits at y."""
        self.figure.text(
            x / _WIDTH,
            1 - y / _HEIGHT,
            text,
            fontsize=style.size,
            fontweight="bold" if style.bold else "normal",
            color=style.colour,
            ha=align,
            va="top",
            # Team names, periods and checklist items are plain text, never formulas.
            parse_math=False,
        )

    def lines(self, x: float, y: float, lines: list[str], style: _Style) -> float:
        """Lines of text from y down; returns the y below them."""
        for line in lines:
            self.text(x, y, line, style)
            y += style.step
        return y

    def rule(self, y: float, *, width: float) -> None:
        """A line across the text width at y."""
        height = 1 - y / _HEIGHT
        self.figure.add_artist(
            Line2D(
                [_MARGIN / _WIDTH, 1 - _MARGIN / _WIDTH],
                [height, height],
                transform=self.figure.transFigure,
                color=_INK,
                linewidth=width,
            )
        )

    def box(self, x: float, y: float, width: float, height: float) -> None:
        """A light box with rounded corners, its top-left corner at (x, y)."""
        self.figure.add_artist(
            FancyBboxPatch(
                (x / _WIDTH, 1 - (y + height) / _HEIGHT),
                width / _WIDTH,
                height / _HEIGHT,
                boxstyle="round,pad=0,rounding_size=0.006",
                transform=self.figure.transFigure,
                facecolor=_TILE,
                edgecolor=_RULE,
                linewidth=0.8,
            )
        )

    def footer(self, left: str, number: int, count: int) -> None:
        """A thin rule, what the report is on the left, the page number on the right."""
        top = _footer_top()
        self.rule(top, width=0.5)
        number_text = f"Page {number} of {count}"
        room = _TEXT_WIDTH - _width(number_text, _FOOTER) - 0.3
        self.text(_MARGIN, top + 0.08, _clip(left, room, _FOOTER), _FOOTER)
        self.text(_WIDTH - _MARGIN, top + 0.08, number_text, _FOOTER, align="right")


def _footer_top() -> float:
    """Where the footer's rule runs, in inches from the top; the body ends above it."""
    return _HEIGHT - _MARGIN - _FOOTER.step - 0.08


def _name(team_name: str, period_text: str, separator: str) -> str:
    """The report's name: its title, then the team and the period where given."""
    parts = (_REPORT_TITLE, " ".join(team_name.split()), " ".join(period_text.split()))
    return separator.join(part for part in parts if part)


def _when(moment: datetime) -> str:
    """ "26 Nov 2026, 14:00", on the clock the moment was given in."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"


# --- the pages ----------------------------------------------------------------------------------


def _tile(page: _Page, x: float, y: float, width: float, height: float, figure: Headline) -> None:
    """One headline figure in a light box: the value large, what it is, the count behind it."""
    inner = width - 2 * _TILE_INSET
    label = _wrap(figure.label, inner, _LABEL, 2)
    detail = _wrap(figure.detail, inner, _DETAIL, 2)
    # Centred as if every tile held two lines of label and of detail, so that the values of a
    # row line up however their words wrap.
    block = _VALUE.step + 2 * _LABEL.step + 0.05 + 2 * _DETAIL.step
    page.box(x, y, width, height)
    top = y + max(_TILE_INSET, (height - block) / 2)
    page.text(x + _TILE_INSET, top, _clip(figure.value, inner, _VALUE), _VALUE)
    below = page.lines(x + _TILE_INSET, top + _VALUE.step, label, _LABEL)
    page.lines(x + _TILE_INSET, below + 0.05, detail, _DETAIL)


def _cover(
    report: KpiReport, team_name: str, period_text: str, generated_at: datetime, count: int
) -> Figure:
    page = _Page()
    y = page.lines(_MARGIN, _MARGIN, [_REPORT_TITLE], _TITLE) + 0.1
    if team_name.strip():
        y = page.lines(_MARGIN, y, _wrap(team_name, _TEXT_WIDTH, _TEAM, 2), _TEAM)
    if period_text.strip():
        y = page.lines(_MARGIN, y, _wrap(period_text, _TEXT_WIDTH, _PERIOD, 2), _PERIOD)
    y += 0.15
    page.rule(y, width=1.2)
    figures = headlines(report)
    rows = -(-len(figures) // _TILE_COLUMNS)
    room = _footer_top() - 0.3 - (y + 0.3)
    width = (_TEXT_WIDTH - (_TILE_COLUMNS - 1) * _TILE_GAP) / _TILE_COLUMNS
    height = min(_TILE_MOST_HEIGHT, (room - (rows - 1) * _TILE_GAP) / rows)
    # The grid sits in the middle of the space between the heading and the footer.
    top = y + 0.3 + (room - rows * height - (rows - 1) * _TILE_GAP) / 2
    for index, figure in enumerate(figures):
        row, column = divmod(index, _TILE_COLUMNS)
        x = _MARGIN + column * (width + _TILE_GAP)
        _tile(page, x, top + row * (height + _TILE_GAP), width, height, figure)
    page.footer(f"Generated {_when(generated_at)} by Escalation Desk", 1, count)
    return page.figure


def _chart_page(chart: Chart, footer: str, number: int, count: int) -> Figure:
    """The chart's title, the sentence that reads it, then the chart filling the rest."""
    title = _wrap(chart.title, _TEXT_WIDTH, _PAGE_TITLE, 2)
    # An empty chart says its sentence in the middle of the page; once is enough.
    sentence = [] if chart.empty else _wrap(chart.sentence, _TEXT_WIDTH, _SENTENCE, 4)
    sentence_top = _MARGIN + len(title) * _PAGE_TITLE.step + 0.1
    chart_top = sentence_top + len(sentence) * _SENTENCE.step + 0.3
    page = _Page(chart_area=(chart_top, _footer_top() - 0.25))
    page.lines(_MARGIN, _MARGIN, title, _PAGE_TITLE)
    page.lines(_MARGIN, sentence_top, sentence, _SENTENCE)
    chart.draw(page.figure, text_scale=_CHART_TEXT_SCALE)
    page.footer(footer, number, count)
    return page.figure


def report_pages(
    report: KpiReport, *, team_name: str, period_text: str, generated_at: datetime
) -> list[Figure]:
    """The report's pages: the cover with the headline figures, then one page per chart in
    the dashboard's order."""
    sections = charts(report)
    count = 1 + len(sections)
    footer = _name(team_name, period_text, " \u00b7 ")
    return [
        _cover(report, team_name, period_text, generated_at, count),
        *(
            _chart_page(chart, footer, number, count)
            for number, chart in enumerate(sections, start=2)
        ),
    ]


def write_manager_report(
    path: Path,
    report: KpiReport,
    *,
    team_name: str,
    period_text: str,
    generated_at: datetime,
) -> None:
    """Write the manager report PDF to path atomically: a half-written file never replaces it."""
    pages = report_pages(
        report, team_name=team_name, period_text=period_text, generated_at=generated_at
    )
    metadata = {
        "Title": _name(team_name, period_text, " \u2014 "),
        "Creator": "Escalation Desk",
        "CreationDate": generated_at,
    }
    # Rendered in memory first, so a failing render never even creates the temporary file.
    buffer = io.BytesIO()
    # TrueType (42) rather than Type 3 fonts, so the text can be searched and copied.
    with rc_context({"pdf.fonttype": 42}), PdfPages(buffer, metadata=metadata) as pdf:
        for page in pages:
            pdf.savefig(page)
    write_atomically(Path(path), buffer.getvalue())
