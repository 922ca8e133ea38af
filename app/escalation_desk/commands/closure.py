"""``escalation-desk close`` and ``closure``: closing through the loop, and its review."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import UTC, datetime
from typing import Any

from escalation_desk import paths
from escalation_desk.commands import ExitCode, command
from escalation_desk.commands.summary import in_session, open_session


def _close_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ref", help="the escalation's ticket ref")
    parser.add_argument(
        "--waive",
        action="append",
        default=[],
        metavar="ITEM",
        help="waive this checklist item (give --reason for each)",
    )
    parser.add_argument(
        "--reason",
        action="append",
        default=[],
        metavar="TEXT",
        help="why the item before it is waived",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


@command("close", "close a resolved escalation; exit 1 with what is missing", _close_options)
def close(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Close through the closure loop: blocking items refuse, waivers need reasons."""
    # On demand: the parser is built at every start of the window, which needs no closure rules.
    from escalation_desk.domain.closure import ClosureRefusedError  # noqa: PLC0415

    if len(args.waive) != len(args.reason):
        print("Give one --reason for each --waive.", file=sys.stderr)
        return ExitCode.USAGE
    session = open_session(app_paths)
    if session is None:
        return ExitCode.REJECTED
    waivers = dict(zip(args.waive, args.reason, strict=True))
    try:
        skipped = session.closure().close(args.ref, getpass.getuser(), datetime.now(UTC), waivers)
    except ClosureRefusedError as exc:
        _say(args, {"ref": args.ref, "closed": False, "missing": exc.missing}, str(exc))
        return ExitCode.REJECTED
    except ValueError as exc:
        _say(args, {"ref": args.ref, "closed": False, "error": str(exc)}, str(exc))
        return ExitCode.REJECTED
    finally:
        session.close()
    note = f" (skipped: {', '.join(skipped)})" if skipped else ""
    _say(args, {"ref": args.ref, "closed": True, "skipped": skipped}, f"{args.ref} closed{note}.")
    return ExitCode.OK


def _say(args: argparse.Namespace, body: dict[str, Any], sentence: str) -> None:
    print(json.dumps(body, indent=2) if args.json else sentence)


def _review_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


@command("closure", "the closure review: loops awaiting, follow-ups, repeats", _review_options)
def closure(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Print the closure review."""
    session = open_session(app_paths)
    if session is None:
        return ExitCode.REJECTED
    now = datetime.now(UTC)
    try:
        review = session.closure().review(now)
    finally:
        session.close()
    body = {
        "awaiting_closure": [
            {
                "ref": a.ref,
                "resolved_at": a.resolved_at.isoformat() if a.resolved_at else None,
                "missing": list(a.missing),
            }
            for a in review.awaiting
        ],
        "follow_ups": [
            {
                "ref": f.ref,
                "title": f.title,
                "owner": f.owner,
                "due": f.due.isoformat() if f.due else None,
                "overdue": f.overdue,
            }
            for f in review.follow_ups
            if f.done_at is None
        ],
        "repeat_groups": [
            {"root_cause": g.root_cause, "module": g.module, "refs": list(g.refs)}
            for g in review.repeat_groups
        ],
        "completion_rate": round(review.completion_rate, 3),
    }
    if args.json:
        print(json.dumps(body, indent=2))
        return ExitCode.OK
    print(f"Closure-loop completion: {review.completion_rate:.0%}")
    print(f"Awaiting closure: {len(review.awaiting)}")
    for a in review.awaiting:
        print(f"  {a.ref:<10} {a.severity:<4} missing: {', '.join(a.missing) or 'nothing'}")
    for g in review.repeat_groups:
        print(f"Repeat: {g.root_cause} in {g.module}: {', '.join(g.refs)}")
    return ExitCode.OK


def _reopen_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ref", help="the escalation's ticket ref")


@command("reopen", "put a resolved or closed escalation back in progress", _reopen_options)
def reopen(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Reopen with the history and checklist kept; the timeline records it."""
    from escalation_desk.domain.lifecycle import Status  # noqa: PLC0415 - per command

    moved, code = in_session(
        app_paths,
        lambda s: s.board().move(
            args.ref, Status.IN_PROGRESS, getpass.getuser(), datetime.now(UTC)
        ),
    )
    if moved is None:
        return code
    print(f"{args.ref} is in progress again.")
    return ExitCode.OK
