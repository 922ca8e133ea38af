"""The managers' workbook: the matrix, routing, people, open escalations, closure and KPIs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from escalation_desk.domain.clock import DeadlineState
from escalation_desk.domain.deadlines import DeadlineKind
from escalation_desk.domain.durations import Duration, format_duration
from escalation_desk.domain.kpis import KpiReport
from escalation_desk.domain.lifecycle import OPEN_STATUSES, Status
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.services.board import BoardRow, BoardService
from escalation_desk.services.closure import ClosureService, ClosureWorklist
from escalation_desk.services.collector import collector_paused
from escalation_desk.services.kpis import KpiService
from escalation_desk.services.matrix import MatrixService
from escalation_desk.spreadsheets.matrix_import import FIELD_TITLES, format_step
from escalation_desk.spreadsheets.workbook import BarChart, SheetSpec, write_workbook
from escalation_desk.store.db import Workspace

# The Matrix sheet's columns, titled as the matrix import reads them back.
MATRIX_FIELDS = (
    "severity",
    "name",
    "triggers",
    "contacts",
    "method",
    "target_response",
    "engineer_owner",
    "liaison",
    "update_every",
    "target_resolution",
    "hand_back",
    "steps",
    "updates_by",
    "colour",
)
SHEETS = (
    "Matrix",
    "Routing",
    "People & roles",
    "Open escalations",
    "Closure review",
    "KPI summary",
)


def _duration(value: Duration | None) -> str | None:
    return format_duration(value) if value is not None else None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)
# From 1973 every zone's offset is whole minutes and changes on a whole minute (Liberia's
# -0:44:30 was the last offset with seconds, until 1972), so the local clock at the minute is
# the local clock of the UTC minute.
_WHOLE_MINUTE_ZONES = datetime(1973, 1, 1, tzinfo=UTC).timestamp()


def _local(moment: datetime | None) -> datetime | None:
    # Spreadsheets have no time zones: times are written as the reader's local clock shows them.
    # Seconds would only clutter a report read in minutes.
    if moment is None:
        return None
    # Read as astimezone() reads it but without the zone name astimezone() also looks up, and
    # cut to the minute before rather than after: a third of the cost, over sheets of tens of
    # thousands of times.
    seconds = moment.timestamp()
    if seconds >= _WHOLE_MINUTE_ZONES:
        return datetime.fromtimestamp(seconds // 60 * 60)
    local = datetime.fromtimestamp((moment - _EPOCH) // _SECOND)
    return local - timedelta(seconds=local.second)


def _words(value: StrEnum) -> str:
    return value.value.replace("_", " ")


# Looked up rather than worked out again for each of thousands of rows.
_STATUS_WORDS = {status: _words(status) for status in Status}
_KIND_WORDS = {kind: _words(kind) for kind in DeadlineKind}
_STATE_WORDS = {state: _words(state) for state in DeadlineState}
_OPEN = frozenset(OPEN_STATUSES)


def matrix_sheet(snapshot: MatrixSnapshot) -> SheetSpec:
    """One row per level, most severe first, in the columns leads' own matrices use."""
    rows = []
    for level in snapshot.levels:
        rows.append(
            (
                level.code,
                level.name,
                "\n".join(t.text for t in level.triggers if t.text) or None,
                ", ".join(level.contacts) or None,
                level.method or None,
                _duration(level.target_response),
                level.engineer_role,
                level.liaison_role,
                _duration(level.update_every),
                _duration(level.target_resolution),
                level.hand_back or None,
                "\n".join(format_step(step) for step in level.steps) or None,
                level.updates_by.value,
                level.colour,
            )
        )
    return SheetSpec(
        "Matrix",
        tuple(FIELD_TITLES[f] for f in MATRIX_FIELDS),
        rows,
        wrap=True,
        row_colours=[level.colour for level in snapshot.levels],
        one_landscape_page=True,
    )


def routing_sheet(snapshot: MatrixSnapshot) -> SheetSpec:
    """The routing rules in the order they are tried."""
    rows = [
        (rule.order, rule.match_on.value.replace("_", " "), rule.pattern, rule.team, rule.role)
        for rule in snapshot.routing
    ]
    return SheetSpec("Routing", ("Order", "Match on", "Pattern", "Team", "Role"), rows)


def people_sheet(snapshot: MatrixSnapshot) -> SheetSpec:
    """Every named role with its team, tier, holder and backup."""
    tiers = {team.name: team.tier for team in snapshot.teams}
    rows = [
        (role.name, role.team, tiers.get(role.team or ""), role.holder, role.backup)
        for role in snapshot.roles
    ]
    return SheetSpec("People & roles", ("Role", "Team", "Tier", "Holder", "Backup"), rows)


@dataclass(frozen=True, slots=True)
class OpenNow:
    """Per level code, the escalations open now and those of them past a deadline."""

    open: Counter[str] = field(default_factory=Counter)
    breached: Counter[str] = field(default_factory=Counter)


OPEN_HEADERS = (
    "Ref",
    "Title",
    "Customer",
    "Severity",
    "Status",
    "Team",
    "Role",
    "Owner",
    "Support liaison",
    "Escalated",
    "Next deadline",
    "Due",
    "Deadline state",
)


# Read at once from each row: most of building the sheet is reading its rows' columns.
_NAMED = BoardRow.reader("ref", "title", "customer", "severity")
_HELD_BY = BoardRow.reader("team", "role", "owner", "liaison")


def open_escalations_sheet(rows: list[BoardRow]) -> tuple[SheetSpec, OpenNow]:
    """Open escalations with their owners and the deadline that comes next; and, counted in
    the same pass, how many of each level are open and breached now (the KPI sheet's)."""
    lines: list[tuple[Any, ...]] = []
    counted = OpenNow()
    for row in rows:
        if row.status not in _OPEN:
            continue
        nxt = row.next_deadline()
        ref, title, customer, severity = _NAMED(row)
        counted.open[severity] += 1
        if nxt is None:
            due = kind = state = None
        else:
            # The soonest running deadline has passed exactly when any has: row.breached,
            # without asking the running clocks again.
            counted.breached[severity] += row.now >= nxt.due
            due = _local(nxt.due)
            kind = _KIND_WORDS[nxt.kind]
            state = _STATE_WORDS[nxt.state]
        lines.append(
            (
                ref,
                title,
                customer,
                severity,
                _STATUS_WORDS[row.status],
                *_HELD_BY(row),
                _local(row.escalated_at),
                kind,
                due,
                state,
            )
        )
    sheet = SheetSpec("Open escalations", OPEN_HEADERS, lines, state_column=len(OPEN_HEADERS) - 1)
    return sheet, counted


def closure_sheet(review: ClosureWorklist) -> SheetSpec:
    """Resolved escalations still waiting for their loop, and every follow-up."""
    lines: list[tuple[Any, ...]] = [
        (
            "Awaiting closure",
            a.ref,
            a.title,
            a.severity,
            _local(a.resolved_at),
            ", ".join(a.missing) or None,
        )
        for a in review.awaiting
    ]
    lines += [
        (
            "Follow-up overdue" if f.overdue else "Follow-up done" if f.done_at else "Follow-up",
            f.ref,
            f.title,
            f.owner,
            _local(f.due),
            f.link or None,
        )
        for f in review.follow_ups
    ]
    headers = ("Kind", "Ref", "Title", "Severity / owner", "Resolved / due", "Missing / link")
    return SheetSpec("Closure review", headers, lines)


KPI_HEADERS = (
    "Level or measure",
    "Count",
    "Open now",
    "Breached now",
    "Share",
    "Response breaches",
    "Median minutes to acknowledge",
)


def kpi_sheet(report: KpiReport, open_now: OpenNow) -> SheetSpec:
    """The dashboard's KPIs for all time: a line per level (escalations, open and breached
    now, responses within target, breaches, the median time to acknowledge), then one line
    per measure, with native charts of the levels."""
    lines: list[tuple[Any, ...]] = [
        (
            level.code,
            level.escalations,
            open_now.open[level.code],
            open_now.breached[level.code],
            _rounded(level.sla_met_rate),
            level.breaches,
            None
            if level.acknowledge_median_minutes is None
            else round(level.acknowledge_median_minutes),
        )
        for level in report.by_severity
    ]
    shares = (
        ("Responses within target, all levels", report.sla_met_rate),
        ("Reopened", report.reopen_rate),
        ("Right team first time", report.right_team_first_time),
        ("Handed back without engineering work", report.over_escalation_rate),
        ("Update cadence kept", report.cadence_kept_rate),
        ("Closure loop complete", report.closure.completion_rate),
    )
    lines += [(name, None, None, None, _rounded(share), None, None) for name, share in shares]
    mean = report.reassignments_mean
    counts = (
        ("Reassignments per escalation", None if mean is None else round(mean, 2)),
        ("Follow-ups overdue", report.closure.overdue_follow_ups),
        ("Repeat incident groups", report.closure.repeat_incident_groups),
    )
    lines += [(name, count, None, None, None, None, None) for name, count in counts]
    levels = len(report.by_severity)
    charts = (
        BarChart(
            "Escalations, open and breached now, by level", 0, (1, 2, 3), "Escalations", levels
        ),
        BarChart("Responses within target, by level", 0, (4,), "Share", levels),
    )
    return SheetSpec("KPI summary", KPI_HEADERS, lines, percent_columns=(4,), charts=charts)


def _rounded(share: float | None) -> float | None:
    return None if share is None else round(share, 3)


class ExportService:
    """Builds the managers' workbook from one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def sheets(self, now: datetime) -> list[SheetSpec]:
        """Every sheet of the workbook as values, in the order they are written."""
        return list(self._built(now))

    def export(self, path: Path, now: datetime) -> None:
        """Write the workbook to ``path`` atomically (SpreadsheetError says what failed)."""
        with collector_paused():
            write_workbook(path, self._built(now))

    def _built(self, now: datetime) -> Iterator[SheetSpec]:
        """The sheets in order, each built when the writer comes to it.

        The closure worklist and the KPIs are read on a second thread meanwhile: mostly SQL,
        during which the database lets the writer's thread go on.
        """
        workspace = self._workspace
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export") as reader:
            review = reader.submit(ClosureService(workspace).worklist, now)
            # On this thread alone: the sheets are being built on the other core meanwhile.
            report = reader.submit(KpiService(workspace).report, now, beside=False)
            try:
                snapshot = MatrixService(workspace).snapshot()
                yield matrix_sheet(snapshot)
                yield routing_sheet(snapshot)
                yield people_sheet(snapshot)
                # Closed escalations are history: only the open sheet and the KPI sheet's
                # "open now" read board rows, and the KPIs count the closed ones in SQL.
                open_sheet, open_now = open_escalations_sheet(BoardService(workspace).rows(now))
                yield open_sheet
                del open_sheet  # written: its values need not stay
                yield closure_sheet(review.result())
                yield kpi_sheet(report.result(), open_now)
            finally:
                review.cancel()
                report.cancel()
