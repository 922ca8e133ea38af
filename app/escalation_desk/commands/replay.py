"""``escalation-desk replay``: what the draft matrix would have done with past tickets."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from escalation_desk import paths
from escalation_desk.commands import ExitCode, command
from escalation_desk.commands.importing import ticket_file_options
from escalation_desk.commands.summary import in_session

if TYPE_CHECKING:
    from escalation_desk.domain.replay import MatrixReplay, Replay, ReplayDifference

# Moved tickets named per move in the text output; --json lists every one.
_REFS_SHOWN = 5


def _options(parser: argparse.ArgumentParser) -> None:
    ticket_file_options(parser)
    parser.add_argument(
        "--against",
        type=int,
        metavar="VERSION",
        help="also replay against this published version and show the difference",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")


@command("replay", "replay past tickets against the draft matrix (and a version)", _options)
def replay(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Print the replay; a file it cannot read or a version that does not exist exits 2."""
    from escalation_desk.spreadsheets.tickets import TicketFormat  # noqa: PLC0415 - on demand

    report, code = in_session(
        app_paths,
        lambda s: s.replay().replay(
            Path(args.file),
            against=args.against,
            priorities=dict(args.priority),
            fmt=TicketFormat(args.format),
        ),
        exit_code=ExitCode.USAGE,  # SpreadsheetError is a ValueError too
    )
    if report is None:
        return code
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        print(f"Replayed {report.source} ({report.format}): {_tickets(report.replay.tickets)}.")
        for line in describe(report.replay):
            print(line)
    return ExitCode.OK


def describe(result: Replay) -> list[str]:
    """The replay as readable tables: one column per matrix, and B - A when compared."""
    sides = [m for m in (result.a, result.b) if m is not None]
    lines = []
    if result.as_of is not None:
        lines.append(
            f"The export ends at {result.as_of:%Y-%m-%d %H:%M %z}: tickets still open are "
            "judged as of then."
        )
    if result.without_created:
        lines.append(f"{_tickets(result.without_created)} without a creation time left out.")
    tables = [("", _totals(sides)), *_breakdowns(sides)]
    width = max(len(text) for title, rows in tables for text in (title, *(r[0] for r in rows)))
    for title, rows in tables:
        lines += _table(title, sides, rows, width)
    if result.difference is not None:
        lines += ["", "Tickets moving to another team"]
        lines += [f"  {line}" for line in _moves(result.difference)] or ["  none"]
    for side in sides:
        for raw, count in side.unmapped_priorities.items():
            name = f'The priority "{raw}"' if raw else "No priority"
            lines.append(
                f"{name} fits no level of the {side.label} ({_tickets(count)} left out); "
                f'map it with --priority "{raw}=LEVEL".'
            )
    return lines


_Rows = list[tuple[str, list[int]]]


def _tickets(count: int) -> str:
    return f"{count} ticket" if count == 1 else f"{count} tickets"


def _totals(sides: Sequence[MatrixReplay]) -> _Rows:
    return [
        ("Tickets replayed", [m.replayed for m in sides]),
        ("Escalations", [m.escalations for m in sides]),
        ("Response deadlines breached", [m.response.breached for m in sides]),
        ("  of those checked", [m.response.checked for m in sides]),
        ("Resolution deadlines breached", [m.resolution.breached for m in sides]),
        ("  of those checked", [m.resolution.checked for m in sides]),
    ]


def _breakdowns(sides: Sequence[MatrixReplay]) -> list[tuple[str, _Rows]]:
    """Escalations by team, role, level, week and hour, one row per name either matrix has."""
    # (title, counts per matrix, whether the names are times to keep in time order)
    sections: list[tuple[str, list[Mapping[str, int]], bool]] = [
        ("Escalations by team", [m.by_team for m in sides], False),
        ("Escalations by role", [m.by_role for m in sides], False),
        (
            "Escalations by level",
            [{code: t.escalations for code, t in m.by_level.items()} for m in sides],
            False,
        ),
        ("Escalations by week", [m.by_week for m in sides], True),
        (
            "Escalations by hour of day",
            [{f"{hour:02d}:00": n for hour, n in enumerate(m.by_hour) if n} for m in sides],
            True,
        ),
    ]
    tables = []
    for title, counts, in_time_order in sections:
        # Otherwise in the draft's order (most escalations first), then what only A has.
        names = list(dict.fromkeys(name for count in reversed(counts) for name in count))
        if in_time_order:
            names.sort()
        tables.append((title, [(name, [c.get(name, 0) for c in counts]) for name in names]))
    return tables


def _moves(difference: ReplayDifference) -> list[str]:
    """One line per move between teams, most tickets first, naming its first tickets."""
    refs: dict[tuple[str | None, str | None], list[str]] = {}
    for moved in difference.moved:
        key = (moved.a.team if moved.a else None, moved.b.team if moved.b else None)
        refs.setdefault(key, []).append(moved.ref)
    lines = []
    for before, after, count in difference.moves():
        shown = refs[(before, after)][:_REFS_SHOWN]
        more = ", …" if count > len(shown) else ""
        lines.append(
            f"{before or 'no escalation'} -> {after or 'no escalation'}: {_tickets(count)} "
            f"({', '.join(shown)}{more})"
        )
    return lines


def _table(title: str, sides: Sequence[MatrixReplay], rows: _Rows, width: int) -> list[str]:
    """A titled table: a label column, one count per matrix, and the change when two."""
    compare = len(sides) == 2
    headings = [m.label for m in sides] + (["change"] if compare else [])
    cell = max(10, *(len(h) for h in headings))
    lines = ["", f"{title:<{width}}  " + "  ".join(f"{h:>{cell}}" for h in headings)]
    for label, values in rows:
        cells = [str(v) for v in values]
        if compare:
            cells.append(f"{values[1] - values[0]:+d}" if values[1] != values[0] else "0")
        lines.append(f"{label:<{width}}  " + "  ".join(f"{c:>{cell}}" for c in cells))
    if not rows:
        lines.append("  none")
    return lines
