"""``escalation-desk escalations``: every escalation with its owners and deadlines."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from escalation_desk import paths
from escalation_desk.commands import ExitCode, command
from escalation_desk.commands.summary import open_session


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--open", action="store_true", help="only escalations not yet resolved")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@command("escalations", "every escalation with its owners and deadlines", _options)
def escalations(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Print the escalations; the JSON form is a stable interface for scripts."""
    session = open_session(app_paths)
    if session is None:
        return ExitCode.REJECTED
    now = datetime.now(UTC)
    try:
        rows = session.board().rows(now, include_closed=not args.open)
    finally:
        session.close()
    if args.open:
        rows = [r for r in rows if r.status.is_open]
    if args.json:
        body: list[dict[str, Any]] = [
            {
                "ref": r.ref,
                "title": r.title,
                "customer": r.customer,
                "module": r.module or r.issue_type,
                "severity": r.severity,
                "status": r.status.value,
                "team": r.team,
                "role": r.role,
                "owner": r.owner,
                "liaison": r.liaison,
                "matrix_version": r.matrix_version,
                "created_at": _iso(r.created_at),
                "escalated_at": _iso(r.escalated_at),
                "acknowledged_at": _iso(r.acknowledged_at),
                "resolved_at": _iso(r.resolved_at),
                "closed_at": _iso(r.closed_at),
                "reopen_count": r.reopen_count,
                "deadlines": [
                    {"kind": d.kind.value, "due_at": _iso(d.due), "state": d.state.value}
                    for d in r.deadlines
                ],
            }
            for r in rows
        ]
        print(json.dumps(body, indent=2))
        return ExitCode.OK
    for r in rows:
        nearest = r.next_deadline()
        due = f"{nearest.kind.value} {nearest.state.value}" if nearest else "no running deadline"
        team = r.team or "-"
        print(f"{r.ref:<10} {r.severity:<4} {r.status.heading:<13} {team:<22} {due}  {r.title}")
    return ExitCode.OK
