"""``escalation-desk export``: the managers' workbook as one .xlsx file."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from escalation_desk import paths
from escalation_desk.commands import ExitCode, command
from escalation_desk.commands.summary import in_session

if TYPE_CHECKING:
    from escalation_desk.services.session import AppSession


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the .xlsx file to write (replaced if it exists)")


@command("export", "write the managers' workbook (.xlsx)", _options)
def export(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Write the workbook; a failure leaves any earlier file untouched."""
    from escalation_desk.spreadsheets.safety import SpreadsheetError  # noqa: PLC0415

    target = Path(args.file)
    if target.suffix.lower() != ".xlsx":
        print(
            f"{target.name}: the workbook is written as .xlsx; name the file so.", file=sys.stderr
        )
        return ExitCode.USAGE
    if not target.parent.is_dir():
        print(f"The folder {target.parent} does not exist.", file=sys.stderr)
        return ExitCode.REJECTED

    def write(session: AppSession) -> Path:
        session.exporter().export(target, datetime.now(UTC))
        return target

    written, code = in_session(app_paths, write, refused=(SpreadsheetError,))
    if written is None:
        return code
    print(f"Wrote {target}.")
    return ExitCode.OK
