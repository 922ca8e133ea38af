"""Checks a spreadsheet file before any parser opens it: one sentence for what is wrong."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024  # what the parts may unpack to, all together
MAX_RATIO = 200  # a part that unpacks to more than 200x its packed size is a zip bomb
MAX_PARTS = 20_000
MAX_SHEETS = 1_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class SpreadsheetError(ValueError):
    """A file that cannot be read as it is; str() is one sentence for the user."""


def check_file(path: Path) -> str:
    """The kind of file ("xlsx", "ods" or "csv") once it looks safe to parse."""
    name = path.name
    if not path.is_file():
        raise SpreadsheetError(f"{name} does not exist or is not a file.")
    size = path.stat().st_size
    if size == 0:
        raise SpreadsheetError(f"{name} is empty.")
    if size > MAX_FILE_BYTES:
        raise SpreadsheetError(f"{name} is larger than {MAX_FILE_BYTES // 2**20} MB.")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    head = path.read_bytes()[:8]
    if head == _OLE_MAGIC:
        raise SpreadsheetError(
            f"{name} is a password-protected workbook or an old .xls file; open it in Excel "
            "or LibreOffice and save it as .xlsx without a password."
        )
    if not zipfile.is_zipfile(path):
        raise SpreadsheetError(
            f"{name} is not a spreadsheet Escalation Desk can read: it is neither an .xlsx "
            "workbook nor a CSV file (it may be damaged or cut short)."
        )
    return _check_zip(path, name)


def _check_zip(path: Path, name: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            names = {info.filename for info in parts}
            if len(parts) > MAX_PARTS:
                raise SpreadsheetError(f"{name} has {len(parts)} parts; that is not a workbook.")
            unpacked = sum(info.file_size for info in parts)
            if unpacked > MAX_UNPACKED_BYTES:
                raise SpreadsheetError(
                    f"{name} would unpack to {unpacked // 2**20} MB; that is too large to read."
                )
            for info in parts:
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                    ratio = info.file_size // info.compress_size
                    raise SpreadsheetError(
                        f"{name} contains a part that unpacks {ratio} times larger than it is "
                        "stored: refused as a zip bomb."
                    )
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(f"{name} is damaged ({exc}).") from None
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    if "xl/workbook.bin" in names:
        raise SpreadsheetError(
            f"{name} is a binary workbook (.xlsb); save it as .xlsx and import that."
        )
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise SpreadsheetError(f"{name} is missing the parts of an .xlsx workbook.")
    sheets = sum(1 for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    if sheets > MAX_SHEETS:
        raise SpreadsheetError(f"{name} has {sheets} sheets; that is not a workbook to import.")
    return "xlsx"
