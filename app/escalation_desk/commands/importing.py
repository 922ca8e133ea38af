"""``import-matrix`` and ``import-escalations``: leads' spreadsheets into the workspace."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from escalation_desk import paths
from escalation_desk.commands import ExitCode, command
from escalation_desk.commands.summary import open_session

if TYPE_CHECKING:
    from escalation_desk.spreadsheets.matrix_import import Problem


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
    verb = "would import" if args.dry_run else "imported"
    done = (
        f"{verb} {report.imported} levels; new roles: {', '.join(report.created_roles) or 'none'}"
    )
    return _report(args.json, report.as_json(), report.problems, report.refused, [done])


def priority_choice(text: str) -> tuple[str, str]:
    """A ``--priority RAW=LEVEL`` value; an empty RAW stands for tickets without a priority."""
    raw, sep, level = text.rpartition("=")
    if not sep or not level.strip():
        raise argparse.ArgumentTypeError(f'takes RAW=LEVEL, like "4 - Low=P3", not "{text}"')
    return raw.strip(), level.strip()


def ticket_file_options(parser: argparse.ArgumentParser) -> None:
    """The export to read, the tool that wrote it, and levels for its priorities: the options
    every command reading a helpdesk export shares."""
    parser.add_argument("file", help="the helpdesk export (.csv, .xlsx or .ods)")
    parser.add_argument(
        "--format",
        default="auto",
        choices=("auto", "servicenow", "jira", "zendesk", "freshdesk", "generic"),
        help="the tool that wrote the export (default: told from the header row)",
    )
    parser.add_argument(
        "--priority",
        action="append",
        default=[],
        type=priority_choice,
        metavar="RAW=LEVEL",
        help='map a priority to a severity level, e.g. "4 - Low=P3"; "=P3" for none (repeatable)',
    )


def _escalation_options(parser: argparse.ArgumentParser) -> None:
    ticket_file_options(parser)
    parser.add_argument("--dry-run", action="store_true", help="check only; change nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


@command("import-escalations", "put a helpdesk ticket export on the board", _escalation_options)
def import_escalations(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Import all or nothing; priorities that fit no level refuse the import until mapped."""
    from escalation_desk.services.ticket_import import (  # noqa: PLC0415
        TicketImportService,
        unmapped_priorities,
    )
    from escalation_desk.spreadsheets.tickets import TicketFormat  # noqa: PLC0415

    mapping: dict[str, str] = dict(args.priority)
    session = open_session(app_paths)
    if session is None:
        return ExitCode.REJECTED
    try:
        report = TicketImportService(session.workspace).import_tickets(
            Path(args.file),
            fmt=TicketFormat(args.format),
            priorities=mapping,
            dry_run=args.dry_run,
        )
    finally:
        session.close()
    unmapped = unmapped_priorities(report)
    hint = [f'Map each with --priority, for example --priority "{raw}=P3".' for raw in unmapped[:1]]
    verb = "would import" if args.dry_run else "imported"
    skipped = f"; {len(report.skipped)} already on the board" if report.skipped else ""
    done = f"{verb} {report.imported} escalations ({report.format}){skipped}"
    return _report(args.json, report.as_json(), report.problems, report.refused, [*hint, done])


def _report(
    as_json: bool,
    body: dict[str, object],
    problems: Sequence[Problem],
    refused: str,
    lines: list[str],
) -> ExitCode:
    """Print an import's report as JSON, or its problems then ``lines`` (the last says what
    was done, replaced by the refusal when there is one)."""
    if as_json:
        print(json.dumps(body, indent=2))
    else:
        for problem in problems:
            where = f"row {problem.row}" + (f", {problem.column}" if problem.column else "")
            print(f"{problem.severity:<8} {where}: {problem.message}")
        for line in [*lines[:-1], refused or lines[-1]]:
            print(line)
    return ExitCode.REJECTED if refused else ExitCode.OK
