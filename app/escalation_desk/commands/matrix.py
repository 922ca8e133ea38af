"""``escalation-desk matrix`` and ``lint``: the matrix as JSON, and what the linter finds."""

from __future__ import annotations

import argparse
import json

from escalation_desk import paths
from escalation_desk.commands import ExitCode, command
from escalation_desk.commands.summary import open_session


def _json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


@command("matrix", "the matrix, routing and directory (JSON with --json)", _json_option)
def matrix(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Print the matrix; the JSON form is a stable interface for scripts."""
    from escalation_desk.domain.matrix_json import to_json  # noqa: PLC0415 - per command

    session = open_session(app_paths)
    if session is None:
        return ExitCode.REJECTED
    try:
        snapshot = session.matrix().snapshot()
        version = session.versions().in_force()
    finally:
        session.close()
    if args.json:
        print(json.dumps(to_json(snapshot, version), indent=2))
        return ExitCode.OK
    print(f"Matrix {'version ' + str(version) if version else '(never published)'}")
    for level in snapshot.levels:
        target = str(level.target_response) if level.target_response else "no target"
        print(
            f"  {level.code:<4} {level.name:<12} respond within {target}; "
            f"contacts: {', '.join(level.contacts) or 'none'}; method: {level.method or 'none'}"
        )
        for trigger in level.triggers:
            print(f"         - {trigger.sentence()}")
    print("Routing (first match wins)")
    for rule in snapshot.routing:
        print(f"  {rule.order:>3}. {rule.describe()}")
    return ExitCode.OK


@command("lint", "check the matrix and routing; exit 1 when an error is found", _json_option)
def lint(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Print the linter's findings."""
    from escalation_desk.domain.lint import Severity  # noqa: PLC0415 - per command
    from escalation_desk.domain.lint import lint as run_lint  # noqa: PLC0415 - per command

    session = open_session(app_paths)
    if session is None:
        return ExitCode.REJECTED
    try:
        findings = run_lint(session.matrix().snapshot())
    finally:
        session.close()
    if args.json:
        print(json.dumps([f.as_json() for f in findings], indent=2))
    elif not findings:
        print("No findings: the matrix and routing look consistent.")
    else:
        for finding in findings:
            print(
                f"{finding.severity.value:<8} {finding.code:<24} {finding.where}: {finding.message}"
            )
    has_errors = any(f.severity is Severity.ERROR for f in findings)
    return ExitCode.REJECTED if has_errors else ExitCode.OK
