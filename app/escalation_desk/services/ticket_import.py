"""Helpdesk ticket exports onto the board as escalations, all or nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, insert, literal, select
from sqlalchemy.orm import Session

from escalation_desk.domain.lifecycle import EventKind, Status
from escalation_desk.domain.routing import MatchOn, RoutingRule, route
from escalation_desk.services.collector import collector_paused
from escalation_desk.services.editing import edit
from escalation_desk.spreadsheets.matrix_import import Problem
from escalation_desk.spreadsheets.reading import Sheet, read_sheets
from escalation_desk.spreadsheets.safety import SpreadsheetError
from escalation_desk.spreadsheets.tickets import (
    ParsedTicket,
    ParsedTickets,
    TicketFormat,
    find_header,
    map_priority,
    parse_tickets,
)
from escalation_desk.store import core
from escalation_desk.store.bulk import insert_many
from escalation_desk.store.db import Workspace

ACTOR = "import"
# Words in a helpdesk status, in the order they are tried, and the board column they mean.
_STATUS_WORDS: tuple[tuple[re.Pattern[str], Status], ...] = (
    (re.compile(r"closed|cancel", re.IGNORECASE), Status.CLOSED),
    (re.compile(r"resolved|solved|done|fixed", re.IGNORECASE), Status.RESOLVED),
    (re.compile(r"^\s*new\s*$", re.IGNORECASE), Status.ESCALATED),
    (
        re.compile(r"progress|active|pending|await|hold|wait|review", re.IGNORECASE),
        Status.IN_PROGRESS,
    ),
)


@dataclass
class TicketImportReport:
    """What a ticket import did, or would do, and why it was refused."""

    format: str = ""
    imported: int = 0
    skipped: list[str] = field(default_factory=list)  # refs already on the board
    priorities: dict[str, str | None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    refused: str = ""

    def as_json(self) -> dict[str, object]:
        """The documented JSON form."""
        return {
            "format": self.format,
            "imported": self.imported,
            "created_roles": [],
            "skipped": self.skipped,
            "priorities": self.priorities,
            "problems": [p.as_json() for p in self.problems],
            **({"refused": self.refused} if self.refused else {}),
        }


def status_of(ticket: ParsedTicket) -> Status:
    """The board column a ticket belongs in, from its status words and its dates."""
    worded = _worded_status(ticket.status)
    if worded is not None:
        return worded
    if ticket.closed_at is not None:
        return Status.CLOSED
    if ticket.resolved_at is not None:
        return Status.RESOLVED
    return Status.ESCALATED


@lru_cache(maxsize=256)
def _worded_status(text: str) -> Status | None:
    """The column a status text names, if it names one; an export repeats a handful of them."""
    return next((status for pattern, status in _STATUS_WORDS if pattern.search(text)), None)


def choose_sheet(sheets: list[Sheet], fmt: TicketFormat) -> Sheet:
    """The first sheet with a ticket header row, or the first sheet."""
    return next((s for s in sheets if find_header(s, fmt) is not None), sheets[0])


class TicketImportService:
    """Reads an export, maps its priorities to levels, then writes it in one transaction."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def read(
        self,
        path: Path,
        fmt: TicketFormat = TicketFormat.AUTO,
        mapping: dict[str, int] | None = None,
    ) -> ParsedTickets:
        """The tickets in ``path`` with the problems found (nothing is written).

        ``mapping`` points fields at 0-based columns over what the header names say.
        """
        with collector_paused():
            return parse_tickets(choose_sheet(read_sheets(path), fmt), fmt, mapping)

    def level_codes(self) -> list[str]:
        """The workspace's severity levels, most severe first."""
        with self._workspace.read() as s:
            return list(
                s.scalars(select(core.severity_levels.c.code).order_by(core.severity_levels.c.rank))
            )

    def import_tickets(
        self,
        path: Path,
        *,
        fmt: TicketFormat = TicketFormat.AUTO,
        priorities: Mapping[str, str] | None = None,
        dry_run: bool = False,
        zone: tzinfo | None = None,
    ) -> TicketImportReport:
        """Import every ticket or none; ``priorities`` overrides raw priority -> level code.

        Naive times in the export are read in ``zone`` (the computer's zone by default).
        Tickets whose ref is already on the board are skipped and listed.
        """
        try:
            parsed = self.read(path, fmt)
        except SpreadsheetError as exc:
            return TicketImportReport(format=fmt.value, refused=str(exc))
        return self.apply(parsed, path.name, priorities=priorities, dry_run=dry_run, zone=zone)

    def apply(
        self,
        parsed: ParsedTickets,
        source: str,
        *,
        priorities: Mapping[str, str] | None = None,
        dry_run: bool = False,
        zone: tzinfo | None = None,
    ) -> TicketImportReport:
        """Check and write tickets already read from the file called ``source``."""
        report = TicketImportReport(format=parsed.format.value, problems=list(parsed.problems))
        codes = self.level_codes()
        chosen = {raw.casefold(): code for raw, code in (priorities or {}).items()}
        # Tickets without a priority are listed under "" and need a level like any other.
        blank = [""] if any(not tk.priority for tk in parsed.tickets) else []
        for raw in [*parsed.priorities, *blank]:
            report.priorities[raw] = chosen.get(raw.casefold()) or map_priority(raw, codes)
        for raw, code in report.priorities.items():
            if code not in codes:
                report.problems.append(_unmapped(raw, code, codes))
        if not parsed.tickets and parsed.ok:
            report.problems.append(Problem(parsed.header_row, "", "No tickets found.", "error"))
        with self._workspace.read() as s:
            existing = set(s.scalars(select(core.escalations.c.ref)))
        report.skipped = [tk.ref for tk in parsed.tickets if tk.ref in existing]
        if any(p.severity == "error" for p in report.problems):
            report.refused = "The export has errors; nothing was imported."
            return report
        fresh = [tk for tk in parsed.tickets if tk.ref not in existing]
        report.imported = len(fresh)
        if dry_run or not fresh:
            return report
        with collector_paused(), edit(self._workspace, f"Import of {source}") as s:
            _write(s, fresh, report.priorities, zone, source, parsed.format)
        return report


def _unmapped(raw: str, code: str | None, codes: list[str]) -> Problem:
    if code is None:
        levels = ", ".join(codes)
        message = (
            f'The priority "{raw}" matches no severity level ({levels}); choose the level it '
            "stands for."
            if raw
            else f"Some tickets have no priority; choose the level ({levels}) they get."
        )
    else:
        message = f'"{raw}" is mapped to {code}, which is not a severity level here.'
    return Problem(1, "Priority", message, "error")


def unmapped_priorities(report: TicketImportReport) -> list[str]:
    """The raw priorities no level was found or chosen for."""
    return [raw for raw, code in report.priorities.items() if code is None]


def _aware(moment: datetime | None, zone: tzinfo | None) -> datetime | None:
    """A time from the export with its zone: its own offset, else ``zone``, else the
    computer's zone with the daylight-saving rule of that date (not of today)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()


ESCALATION_COLUMNS = (
    "ref",
    "title",
    "customer",
    "module",
    "issue_type",
    "severity_id",
    "status",
    "team_id",
    "role_id",
    "owner_id",
    "matrix_version_id",
    "customers_affected",
    "customer_impact",
    "tried",
    "reproduce",
    "created_at",
    "escalated_at",
    "acknowledged_at",
    "resolved_at",
    "closed_at",
    "reopen_count",
    "reassignment_count",
    "version",
    "made_sla",
    "source",
)


class _Router:
    """Routing and directory look-ups, each (module, issue type) routed once."""

    def __init__(self, s: Session) -> None:
        c = core
        self.ids = _directory(s)
        self.rules = [
            RoutingRule(row.position, MatchOn(row.match_on), row.pattern, row.team, row.role)
            for row in s.execute(
                select(
                    c.routing_rules.c.position,
                    c.routing_rules.c.match_on,
                    c.routing_rules.c.pattern,
                    c.teams.c.name.label("team"),
                    c.roles.c.name.label("role"),
                )
                .join(c.teams, c.teams.c.id == c.routing_rules.c.team_id)
                .join(c.roles, c.roles.c.id == c.routing_rules.c.role_id)
            )
        ]
        self._routes: dict[tuple[str, str], RoutingRule | None] = {}
        # Exports repeat a few modules, groups and assignees over thousands of tickets.
        self._owners: dict[
            tuple[str, str, str, str], tuple[int | None, int | None, int | None]
        ] = {}

    def route(self, module: str, issue_type: str) -> RoutingRule | None:
        """The rule that routes this module and issue type."""
        key = (module, issue_type)
        if key not in self._routes:
            self._routes[key] = route(self.rules, module, issue_type)
        return self._routes[key]

    def owners(self, ticket: ParsedTicket) -> tuple[int | None, int | None, int | None]:
        """Team, role and owner ids: the ticket's own group when it names a team, else routing."""
        key = (ticket.module, ticket.issue_type, ticket.group, ticket.assignee)
        found = self._owners.get(key)
        if found is None:
            rule = self.route(ticket.module, ticket.issue_type)
            teams, roles, people = self.ids["team"], self.ids["role"], self.ids["person"]
            team = teams.get(ticket.group.casefold()) or (
                teams.get(rule.team.casefold()) if rule else None
            )
            role = roles.get(rule.role.casefold()) if rule else None
            found = self._owners[key] = (team, role, people.get(ticket.assignee.casefold()))
        return found


@dataclass(frozen=True, slots=True)
class _Landing:
    """Where the tickets of one import land: levels, owners, the zone of their times."""

    level_ids: Mapping[str, int]  # by level code
    priorities: Mapping[str, str | None]  # raw priority -> level code
    router: _Router
    zone: tzinfo | None
    now: datetime  # the creation time of a ticket without one
    matrix_version: int | None
    source_format: str

    def row(self, ticket: ParsedTicket) -> tuple[Any, ...]:
        """The escalations row a ticket is stored as, in ESCALATION_COLUMNS order."""
        status = status_of(ticket)
        zone = self.zone
        created = _aware(ticket.created_at, zone) or self.now
        resolved = _aware(ticket.resolved_at, zone)
        closed = _aware(ticket.closed_at, zone)
        if status is Status.CLOSED:
            closed = closed or resolved or created
        if status in (Status.RESOLVED, Status.CLOSED):
            resolved = resolved or closed
        else:
            resolved = closed = None
        minutes = ticket.first_response_minutes
        return (
            ticket.ref,
            ticket.title or ticket.ref,
            ticket.customer,
            ticket.module,
            ticket.issue_type,
            self.level_ids[self.priorities[ticket.priority] or ""],
            status.value,
            *self.router.owners(ticket),
            self.matrix_version,
            0,
            "",
            "",
            "",
            created,
            created,
            created + timedelta(minutes=minutes) if minutes is not None else None,
            resolved,
            closed,
            ticket.reopens,
            ticket.reassignments,
            1,
            ticket.made_sla,
            self.source_format,
        )


def _write(
    s: Session,
    tickets: list[ParsedTicket],
    priorities: Mapping[str, str | None],
    zone: tzinfo | None,
    source: str,
    fmt: TicketFormat,
) -> None:
    """Insert the tickets, their timelines and closure checklists with set-based statements."""
    c = core
    version = s.scalar(
        select(c.matrix_versions.c.id).order_by(c.matrix_versions.c.number.desc()).limit(1)
    )
    landing = _Landing(
        level_ids=dict(s.execute(select(c.severity_levels.c.code, c.severity_levels.c.id)).all()),
        priorities=priorities,
        router=_Router(s),
        zone=zone,
        now=datetime.now().astimezone(),
        matrix_version=version,
        source_format=fmt.value,
    )
    rows = [landing.row(ticket) for ticket in tickets]
    before = s.scalar(select(func.max(c.escalations.c.id))) or 0
    insert_many(s, c.escalations, ESCALATION_COLUMNS, rows)
    # The timelines and checklists are derived from the rows just stored, inside SQLite.
    fresh = c.escalations.c.id > before
    s.execute(
        insert(c.escalation_events).from_select(
            ("escalation_id", "at", "actor", "kind", "detail"),
            select(
                c.escalations.c.id,
                c.escalations.c.created_at,
                literal(ACTOR),
                literal(EventKind.CREATED.value),
                literal(f"Imported from {source} ({fmt.value})"),
            ).where(fresh),
        )
    )
    _add_checklists(s, fresh)


def _directory(s: Session) -> dict[str, dict[str, int]]:
    """Team, role and person ids by case-folded name."""
    c = core
    return {
        what: {name.casefold(): id_ for name, id_ in s.execute(select(table.c.name, table.c.id))}
        for what, table in (("team", c.teams), ("role", c.roles), ("person", c.people))
    }


def _add_checklists(s: Session, fresh: ColumnElement[bool]) -> None:
    """Each imported escalation still in play gets its level's closure checklist.

    So that it closes through the loop; tickets the helpdesk already closed are history and
    get none.
    """
    c = core
    item, escalation = c.checklist_template_items.c, c.escalations.c
    # Positions count from 0 in the template's order, as for a new escalation: numbered over
    # the few template items, not over every entry made (that sort took most of the insert).
    template = select(
        item.level_id,
        item.name,
        item.evidence,
        item.gate,
        (
            func.row_number().over(partition_by=item.level_id, order_by=(item.position, item.id))
            - 1
        ).label("position"),
    ).subquery("template")
    s.execute(
        insert(c.checklist_entries).from_select(
            (
                "escalation_id",
                "position",
                "name",
                "evidence_kinds",
                "gate",
                "done_by",
                "evidence",
                "waived_reason",
                "waived_by",
                "version",
            ),
            select(
                escalation.id,
                template.c.position,
                template.c.name,
                template.c.evidence,
                template.c.gate,
                literal(""),
                literal("{}"),
                literal(""),
                literal(""),
                literal(1),
            )
            # "+ 0" keeps SQLite from reaching the escalations through the KPI index, level by
            # level: it goes through the fresh ones in order of id instead, the template's
            # items looked up for each, and sorts far less (0.4 s of a 100k import).
            .join_from(c.escalations, template, template.c.level_id == escalation.severity_id + 0)
            .where(fresh, escalation.status != Status.CLOSED.value)
            # Entries made in the order a loop lists them, escalation by escalation.
            .order_by(escalation.id, template.c.position),
        )
    )
