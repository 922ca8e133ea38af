"""``escalation-desk kpis``: the escalation KPIs of a period, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime

from escalation_desk import paths
from escalation_desk.commands import ExitCode, command
from escalation_desk.commands.summary import in_session


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-26") from None


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", type=_day, help="first day, e.g. 2026-11-01")
    parser.add_argument("--to", dest="last", type=_day, help="last day (included)")
    parser.add_argument("--severity", help="only this level (P1…)")
    parser.add_argument("--team", help="only escalations held by this team")
    parser.add_argument(
        "--tickets", type=int, help="tickets handled in the period, for the escalation rate"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} min"


@command("kpis", "escalation KPIs for a period (SLA, reopen rate, reassignments …)", _options)
def kpis(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Print the KPIs of the escalations the options choose."""
    from escalation_desk.domain.kpis import period_bounds  # noqa: PLC0415 - on demand
    from escalation_desk.services.kpis import KpiFilter  # noqa: PLC0415 - on demand

    if args.tickets is not None and args.tickets < 1:
        print("--tickets must be a positive number.", file=sys.stderr)
        return ExitCode.USAGE
    try:
        start, end = period_bounds(args.first, args.last)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return ExitCode.USAGE
    chosen = KpiFilter(start, end, args.severity, args.team)
    report, code = in_session(
        app_paths,
        lambda s: s.kpis().report(datetime.now().astimezone(), chosen, tickets=args.tickets),
    )
    if report is None:
        return code
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        return ExitCode.OK
    print(f"Escalations: {report.escalations}  (escalation rate {_share(report.escalation_rate)})")
    print(f"{'Level':<8}{'Count':>7}{'SLA met':>9}{'Breaches':>10}{'Ack median':>12}")
    for level in report.by_severity:
        print(
            f"{level.code:<8}{level.escalations:>7}{_share(level.sla_met_rate):>9}"
            f"{level.breaches:>10}{_minutes(level.acknowledge_median_minutes):>12}"
        )
    mean = report.reassignments_mean
    print(f"Reopened: {_share(report.reopen_rate)}")
    print(f"Reassignments per escalation: {'—' if mean is None else f'{mean:.2f}'}")
    print(f"Right team first time: {_share(report.right_team_first_time)}")
    print(f"Update cadence kept: {_share(report.cadence_kept_rate)}")
    print(f"Closure loop complete: {_share(report.closure.completion_rate)}")
    print(f"Repeat incident groups: {report.closure.repeat_incident_groups}")
    return ExitCode.OK
