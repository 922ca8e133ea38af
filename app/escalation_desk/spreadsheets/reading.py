"""Reads spreadsheets as leads keep them: every sheet's cells, merged cells filled in."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from escalation_desk.spreadsheets.safety import SpreadsheetError, check_file

MAX_ROWS = 1_000_000
MAX_COLUMNS = 500
CSV_SAMPLE = 64 * 1024
# Control characters other than tab and line feed: never meant, sometimes pasted in.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet's cells as values (str, int, float, bool, date/time, or None); text is
    trimmed, and an empty cell is None."""

    name: str
    rows: tuple[tuple[Any, ...], ...]

    def cell(self, row: int, column: int) -> Any:
        """The value at ``row``, ``column`` (0-based), None outside the data."""
        if 0 <= row < len(self.rows) and 0 <= column < len(self.rows[row]):
            return self.rows[row][column]
        return None


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of an .xlsx/.ods workbook, or the one table of a CSV file."""
    kind = check_file(path)
    if kind == "csv":
        return [_read_csv(path)]
    return _read_workbook(path)


def _read_workbook(path: Path) -> list[Sheet]:
    # Imported here: reading needs it, start-up does not.
    import python_calamine  # noqa: PLC0415

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            if sheet.total_height > MAX_ROWS or sheet.total_width > MAX_COLUMNS:
                raise SpreadsheetError(
                    f"The sheet {name!r} in {path.name} is {sheet.total_height} rows by "
                    f"{sheet.total_width} columns; that is too large to import."
                )
            rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]
            _fill_merged(rows, sheet.merged_cell_ranges or [])
            sheets.append(Sheet(name, tuple(tuple(_clean(v) for v in row) for row in rows)))
        workbook.close()
    except SpreadsheetError:
        raise
    except python_calamine.PasswordError:
        raise SpreadsheetError(f"{path.name} is password-protected.") from None
    except Exception as exc:  # calamine's errors name the broken part; say it in one line
        raise SpreadsheetError(f"{path.name} could not be read: {exc}.") from None
    return sheets


def _fill_merged(rows: list[list[Any]], ranges: list[Any]) -> None:
    """A merged range shows its top-left value in every cell, as the eye reads it."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows):
            continue
        value = rows[top][left] if left < len(rows[top]) else None
        for r in range(top, min(bottom + 1, len(rows))):
            row = rows[r]
            row.extend([None] * max(0, right + 1 - len(row)))
            for c in range(left, right + 1):
                if row[c] in (None, ""):
                    row[c] = value


def _clean(value: Any) -> Any:
    """Empty strings as None; text without control characters, trimmed."""
    if isinstance(value, str):
        # Most cells hold printable text only; the pattern runs for the few that do not.
        text = value if value.isprintable() else _CONTROL.sub("", value)
        return text.strip() or None
    return value


def _cleaned_row(cells: list[str]) -> tuple[str | None, ...]:
    """_clean() of each text cell of a CSV row."""
    if "".join(cells).isprintable():
        # The common row, with no control character in any cell: each only trimmed.
        return tuple([cell.strip() or None for cell in cells])
    return tuple(_clean(cell) for cell in cells)


def _read_csv(path: Path) -> Sheet:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    sample = text[:CSV_SAMPLE]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    try:
        for number, row in enumerate(reader):
            if number >= MAX_ROWS:
                raise SpreadsheetError(f"{path.name} has more than {MAX_ROWS} rows.")
            rows.append(_cleaned_row(row[:MAX_COLUMNS]))
    except csv.Error as exc:  # a cell over the csv module's size limit, a stray NUL, ...
        raise SpreadsheetError(
            f"{path.name} could not be read as CSV at line {reader.line_num}: {exc}."
        ) from None
    return Sheet(path.stem, tuple(rows))
