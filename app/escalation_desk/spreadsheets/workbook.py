"""Writes the managers' workbook: finished-looking sheets, literal text, one atomic rename."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from escalation_desk.spreadsheets.safety import SpreadsheetError

# Excel's limit on a sheet name, and how wide a fitted column may grow.
MAX_SHEET_NAME = 31
MIN_WIDTH = 8
MAX_WIDTH = 50
WRAPPED_WIDTH = 40
# Widths are fitted on the first rows only: a long export reads like its first few thousand.
WIDTH_SAMPLE_ROWS = 2000
# A cell beginning with one of these could run as a formula once a reader edits or re-saves it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 refuses these control characters; a workbook holding one would not open.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A formula start after a line break: over a row's texts joined by line breaks, where each
# text but the first starts (a line break inside a text may match needlessly; the row is then
# checked value by value).
_FORMULA_AFTER_BREAK = re.compile(f"\n[{re.escape(''.join(FORMULA_STARTS))}]")
# Rows are checked a block at a time (one search over the block's texts); only a block where
# the search finds something is checked row by row.
CHECK_BLOCK_ROWS = 1000
LINE_HEIGHT = 15  # points per line of 11-point text
HEADER_FILL = "1F2937"
HEADER_TEXT = "FFFFFF"
# Conditional fills for a deadline-state column: value -> background colour.
STATE_FILLS = {
    "breached": "F8D7DA",
    "critical": "FDE2C4",
    "at risk": "FFF3CD",
    "on track": "D1E7DD",
}


@dataclass(frozen=True, slots=True)
class BarChart:
    """A native column chart over one sheet's rows: categories down one column."""

    title: str
    categories: int  # 0-based column of the category labels
    values: tuple[int, ...]  # 0-based columns plotted, one series each
    y_title: str = ""
    rows: int | None = None  # how many rows from the top are plotted (None: all of them)


@dataclass(frozen=True, slots=True)
class SheetSpec:
    """One sheet: a header row and rows of plain values, with how it should look."""

    name: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[Any]]
    wrap: bool = False  # wrapped text in every cell (the matrix reads as a table of prose)
    row_colours: Sequence[str | None] = ()  # "#RRGGBB" fill for each row's first cell
    state_column: int | None = None  # 0-based column coloured by STATE_FILLS
    one_landscape_page: bool = False
    percent_columns: tuple[int, ...] = ()  # 0-based columns holding shares from 0 to 1
    charts: tuple[BarChart, ...] = field(default=())


def literal(value: Any) -> Any:
    """A value safe to write: control characters dropped from text; other values as they are."""
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def is_formula_like(value: Any) -> bool:
    """Whether a spreadsheet program could read this text as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def needs_nothing(row: Sequence[Any]) -> bool:
    """Whether every value of ``row`` is written as it is (``literal`` and ``is_formula_like``
    leave it alone): one search over the row's texts rather than two checks per value."""
    return _texts_need_nothing([value for value in row if isinstance(value, str)])


def rows_need_nothing(rows: Sequence[Sequence[Any]]) -> bool:
    """needs_nothing() of every row at once: one search over all their texts."""
    return _texts_need_nothing([value for row in rows for value in row if isinstance(value, str)])


def _texts_need_nothing(texts: list[str]) -> bool:
    joined = "\n".join(texts)
    if (
        _ILLEGAL.search(joined)
        or joined.startswith(FORMULA_STARTS)
        or _FORMULA_AFTER_BREAK.search(joined)
    ):
        return False
    # A str subclass (an enum's member) is written as plain text, as literal() makes it.
    return {*map(type, texts)} <= {str}


def fitted_widths(spec: SheetSpec) -> list[float]:
    """Each column's width from its longest line in the header and the first rows."""
    widths = [float(len(h)) + 2 for h in spec.headers]
    for row in spec.rows[:WIDTH_SAMPLE_ROWS]:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], float(_display_length(value)) + 2)
    ceiling = WRAPPED_WIDTH if spec.wrap else MAX_WIDTH
    return [min(max(w, MIN_WIDTH), ceiling) for w in widths]


def wrapped_lines(row: Sequence[Any], widths: Sequence[float]) -> int:
    """How many text lines the tallest cell of ``row`` needs at these column widths."""
    tallest = 1
    for value, width in zip(row, widths, strict=False):
        if value is None:
            continue
        per_line = max(int(width) - 1, 1)
        lines = sum(max(-(-len(line) // per_line), 1) for line in str(value).splitlines())
        tallest = max(tallest, lines)
    return tallest


def _display_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def write_workbook(path: Path, sheets: Iterable[SheetSpec]) -> None:
    """Write ``sheets`` to ``path``: a temporary file beside it, renamed when complete.

    Each sheet is written as it comes, so ``sheets`` may build each one when asked for it.

    A failure leaves any earlier file at ``path`` as it was and no partial file behind.
    """
    # Imported here: writing needs openpyxl, starting the app does not.
    from openpyxl import Workbook  # noqa: PLC0415

    # A hidden name, so that a file manager open on the folder shows no second workbook.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        # 0o666 lets the umask decide the permissions, as for any file the user saves.
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise _not_written(path, exc) from None
    try:
        # Write-only sheets stream their rows when saved, so they are built only once the
        # file to save into exists.
        workbook = Workbook(write_only=True)
        for spec in sheets:
            _write_sheet(workbook, spec)
        workbook.save(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _not_written(path, exc) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _not_written(path: Path, exc: OSError) -> SpreadsheetError:
    return SpreadsheetError(f"{path.name} could not be written: {exc.strerror or exc}.")


def _write_sheet(workbook: Any, spec: SheetSpec) -> None:
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.cell.cell import Cell  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    sheet = workbook.create_sheet(spec.name[:MAX_SHEET_NAME])
    last_column = get_column_letter(max(len(spec.headers), 1))
    widths = fitted_widths(spec)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last_column}{len(spec.rows) + 1}"
    sheet.print_title_rows = "1:1"
    # Printed landscape and one page wide; long sheets run on over as many pages as needed.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if spec.one_landscape_page else 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    header_font = Font(bold=True, color=HEADER_TEXT)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for title in spec.headers:
        cell = WriteOnlyCell(sheet, value=literal(title))
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = wrap
        header_cells.append(cell)
    if spec.wrap:
        sheet.row_dimensions[1].height = LINE_HEIGHT * wrapped_lines(spec.headers, widths)
    sheet.append(header_cells)

    def styled(value: Any, column: int) -> Any:
        cell = WriteOnlyCell(sheet, value=value)
        if column in spec.percent_columns:
            cell.number_format = "0%"
        if is_formula_like(value):
            # Stored as text, and marked so that editing the cell keeps it text.
            cell.data_type = "s"
            cell.quotePrefix = True
        if spec.wrap:
            cell.alignment = wrap
        return cell

    needs_cells = spec.wrap or bool(spec.percent_columns)
    for start in range(0, len(spec.rows), CHECK_BLOCK_ROWS):
        block = spec.rows[start : start + CHECK_BLOCK_ROWS]
        colours = spec.row_colours[start : start + CHECK_BLOCK_ROWS]
        if not (needs_cells or any(colours)) and rows_need_nothing(block):
            # The fastest form write-only mode takes: the values as they are.
            for row in block:
                sheet.append(row if isinstance(row, tuple | list) else list(row))
            continue
        for number, row in enumerate(block, start):
            colour = spec.row_colours[number] if number < len(spec.row_colours) else None
            if not (needs_cells or colour) and needs_nothing(row):
                sheet.append(row if isinstance(row, tuple | list) else list(row))
                continue
            values = [literal(v) for v in row]
            if needs_cells or any(is_formula_like(v) for v in values):
                cells = [styled(v, column) for column, v in enumerate(values)]
            else:
                cells = values
            if spec.wrap:
                # Rows are streamed out as they are appended: the height has to be known first.
                lines = wrapped_lines(values, widths)
                sheet.row_dimensions[number + 2].height = LINE_HEIGHT * lines
            if colour and cells:
                first = cells[0] if isinstance(cells[0], Cell) else styled(cells[0], 0)
                first.fill = PatternFill("solid", fgColor=colour.lstrip("#").upper())
                first.font = Font(bold=True, color=HEADER_TEXT)
                cells[0] = first
            sheet.append(cells)

    if spec.state_column is not None and spec.rows:
        _colour_states(sheet, spec, get_column_letter(spec.state_column + 1))
    for place, chart in enumerate(spec.charts):
        _add_chart(
            sheet, spec, chart, f"{get_column_letter(len(spec.headers) + 2)}{2 + place * 18}"
        )


def _colour_states(sheet: Any, spec: SheetSpec, letter: str) -> None:
    from openpyxl.formatting.rule import CellIsRule  # noqa: PLC0415
    from openpyxl.styles import PatternFill  # noqa: PLC0415

    cells = f"{letter}2:{letter}{len(spec.rows) + 1}"
    for state, colour in STATE_FILLS.items():
        fill = PatternFill("solid", bgColor=colour)
        rule = CellIsRule(  # type: ignore[no-untyped-call]  # the stubs leave it untyped
            operator="equal", formula=[f'"{state}"'], fill=fill
        )
        sheet.conditional_formatting.add(cells, rule)


def _add_chart(sheet: Any, spec: SheetSpec, chart: BarChart, anchor: str) -> None:
    from openpyxl.chart import BarChart as ExcelBarChart  # noqa: PLC0415
    from openpyxl.chart import Reference  # noqa: PLC0415

    last_row = (len(spec.rows) if chart.rows is None else chart.rows) + 1
    drawn = ExcelBarChart()
    drawn.type = "col"
    drawn.title = chart.title
    drawn.y_axis.title = chart.y_title
    drawn.height = 8
    drawn.width = 16
    for column in chart.values:
        data = Reference(sheet, min_col=column + 1, min_row=1, max_row=last_row)
        drawn.add_data(data, titles_from_data=True)
    drawn.set_categories(
        Reference(sheet, min_col=chart.categories + 1, min_row=2, max_row=last_row)
    )
    sheet.add_chart(drawn, anchor)
