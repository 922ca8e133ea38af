"""``escalation-desk summary``: the workspace at a glance, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, TypeVar

from escalation_desk import paths
from escalation_desk.commands import ExitCode, command
from escalation_desk.services.errors import WorkspaceError
from escalation_desk.services.session import AppSession

T = TypeVar("T")


def open_session(app_paths: paths.AppPaths) -> AppSession | None:
    """The workspace for a subcommand, or None after printing why it cannot be opened."""
    session = AppSession(paths.data_file("example-workspace.json"))
    try:
        session.open_location(app_paths)
    except WorkspaceError as exc:
        print(exc, file=sys.stderr)
        return None
    return session


def in_session(
    app_paths: paths.AppPaths,
    action: Callable[[AppSession], T],
    *,
    refused: tuple[type[Exception], ...] = (ValueError,),
    exit_code: ExitCode = ExitCode.REJECTED,
) -> tuple[T | None, ExitCode]:
    """Run ``action`` on the workspace and close it; a refusal is printed as its sentence.

    Returns the action's result and OK, or None and the code to exit with (``exit_code``
    for a refusal, REJECTED for a workspace that cannot be opened).
    """
    session = open_session(app_paths)
    if session is None:
        return None, ExitCode.REJECTED
    try:
        return action(session), ExitCode.OK
    except refused as exc:
        print(exc, file=sys.stderr)
        return None, exit_code
    finally:
        session.close()


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def _summary_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


@command("summary", "the workspace at a glance, as the Home screen shows it", _summary_options)
def summary(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Print the Home summary."""
    session = open_session(app_paths)
    if session is None:
        return ExitCode.REJECTED
    try:
        data = session.summary(datetime.now(UTC))
    finally:
        session.close()
    if args.json:
        body = asdict(data)
        body["open_total"] = data.open_total
        print(json.dumps(body, indent=2, default=_json_default))
        return ExitCode.OK
    print(f"{data.name}  ({data.path})")
    print(f"Levels: {', '.join(f'{lv.code} {lv.name}' for lv in data.levels) or 'none'}")
    print(
        f"Teams {data.teams} · people {data.people} · roles {data.roles} · "
        f"routing rules {data.routing_rules}"
    )
    print(
        f"Open escalations: {data.open_total} "
        f"({', '.join(f'{lv.code} {lv.open_count}' for lv in data.levels)})"
    )
    for title, items in (
        ("Breached", data.breached),
        ("Critical, due soon", data.critical),
        ("Without a liaison", data.without_liaison),
        ("Awaiting closure", data.awaiting_closure),
    ):
        print(f"{title}: {len(items)}")
        for item in items:
            print(f"  {item.ref:<10} {item.severity:<4} {item.reason}")
    return ExitCode.OK
