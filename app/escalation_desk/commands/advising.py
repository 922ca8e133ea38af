"""``escalation-desk advise``: should I escalate this ticket, to whom, how and by when?"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from escalation_desk import paths
from escalation_desk.commands import ExitCode, command
from escalation_desk.commands.summary import in_session


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--severity", help="the ticket's level (P1…); derived from impact if left out"
    )
    parser.add_argument(
        "--elapsed", required=True, help='time since the ticket opened, e.g. "2h30m"'
    )
    parser.add_argument("--since-progress", help="time since the last progress, if different")
    parser.add_argument("--module", default="", help="the module the ticket is about")
    parser.add_argument("--issue-type", default="", help="the issue type, for routing by type")
    parser.add_argument("--customers", type=int, help="how many customers are affected")
    parser.add_argument(
        "--system-wide", action="store_true", help="the whole service is down or degraded"
    )
    parser.add_argument(
        "--scope",
        action="append",
        default=[],
        help="a condition you recognise, in your words (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _minutes(option: str, text: str | None) -> int | None:
    """A duration option in minutes; ValueError says what is wrong with it."""
    # On demand: the parser is built at every start of the window, which needs no durations.
    from escalation_desk.domain.durations import DurationError, parse_duration  # noqa: PLC0415

    if text is None:
        return None
    try:
        return parse_duration(text).minutes
    except DurationError as exc:
        raise ValueError(f"{option}: {exc}") from None


@command("advise", "whether, to whom, how and by when to escalate a ticket", _options)
def advise(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Print the advisor's answer from the workspace's matrix and routing."""
    from escalation_desk.domain.advisor import Situation  # noqa: PLC0415 - on demand

    try:
        elapsed = _minutes("--elapsed", args.elapsed)
        since_progress = _minutes("--since-progress", args.since_progress)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return ExitCode.USAGE
    if args.customers is not None and args.customers < 0:
        print("--customers cannot be negative.", file=sys.stderr)
        return ExitCode.USAGE
    situation = Situation(
        args.severity,
        elapsed or 0,
        since_progress,
        args.module,
        args.issue_type,
        args.customers,
        args.system_wide,
        tuple(args.scope),
    )
    now = datetime.now().astimezone().replace(microsecond=0)
    advice, code = in_session(app_paths, lambda s: s.onboarding().advise(situation, now))
    if advice is None:
        return code
    if args.json:
        print(json.dumps(advice.as_json(), indent=2, ensure_ascii=False))
    else:
        print(advice.explanation)
    return ExitCode.OK
