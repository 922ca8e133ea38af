"""``escalation-desk import-matrix``: a lead's matrix spreadsheet into the workspace."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from escalation_desk import paths
from escalation_desk.commands import ExitCode, command
from escalation_desk.commands.summary import open_session


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the .xlsx, .ods or .csv file holding the matrix")
    parser.add_argument(
        "--sheet", help="the sheet to read (default: the one that looks like a matrix)"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--replace",
        action="store_true",
        help="the file's levels become the matrix (unused others are removed)",
    )
    mode.add_argument(
        "--merge", action="store_true", help="add or update the file's levels, keep the others"
    )
    parser.add_argument("--dry-run", action="store_true", help="check only; change nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


@command("import-matrix", "import an escalation matrix from a spreadsheet", _options)
def import_matrix(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Import all or nothing; the report names every problem by row and column."""
    from escalation_desk.services.importing import ImportMode, ImportService  # noqa: PLC0415

    session = open_session(app_paths)
    if session is None:
        return ExitCode.REJECTED
    mode = (
        ImportMode.REPLACE if args.replace else ImportMode.MERGE if args.merge else ImportMode.NEW
    )
    try:
        report = ImportService(session.workspace).import_matrix(
            Path(args.file), sheet=args.sheet, mode=mode, dry_run=args.dry_run
        )
    finally:
        session.close()
    if args.json:
        print(json.dumps(report.as_json(), indent=2))
    else:
        for problem in report.problems:
            where = f"row {problem.row}" + (f", {problem.column}" if problem.column else "")
            print(f"{problem.severity:<8} {where}: {problem.message}")
        if report.refused:
            print(report.refused)
        else:
            verb = "would import" if args.dry_run else "imported"
            print(
                f"{verb} {report.imported} levels; new roles: "
                f"{', '.join(report.created_roles) or 'none'}"
            )
    return ExitCode.REJECTED if report.refused else ExitCode.OK
