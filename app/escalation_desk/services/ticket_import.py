"""Helpdesk ticket exports onto the board as escalations, all or nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from escalation_desk.domain.lifecycle import EventKind, Status
from escalation_desk.domain.routing import MatchOn, RoutingRule, route
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
    for pattern, status in _STATUS_WORDS:
        if pattern.search(ticket.status):
            return status
    if ticket.closed_at is not None:
        return Status.CLOSED
    if ticket.resolved_at is not None:
        return Status.RESOLVED
    return Status.ESCALATED


def choose_sheet(sheets: list[Sheet], fmt: TicketFormat) -> Sheet:
    """The first sheet with a ticket header row, or the first sheet."""
    return next((s for s in sheets if find_header(s, fmt) is not None), sheets[0])


class TicketImportService:
    """Reads an export, maps its priorities to levels, then writes it in one transaction."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def read(self, path: Path, fmt: TicketFormat = TicketFormat.AUTO) -> ParsedTickets:
        """The tickets in ``path`` with the problems found (nothing is written)."""
        return parse_tickets(choose_sheet(read_sheets(path), fmt), fmt)

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
        for raw in parsed.priorities:
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
        local = zone or datetime.now().astimezone().tzinfo or UTC
        with edit(self._workspace, f"Import of {source}") as s:
            _write(s, fresh, report.priorities, local, source, parsed.format)
        return report


def _unmapped(raw: str, code: str | None, codes: list[str]) -> Problem:
    if code is None:
        message = (
            f'The priority "{raw}" matches no severity level ({", ".join(codes)}); '
            "choose the level it stands for."
        )
    else:
        message = f'"{raw}" is mapped to {code}, which is not a severity level here.'
    return Problem(1, "Priority", message, "error")


def unmapped_priorities(report: TicketImportReport) -> list[str]:
    """The raw priorities no level was found or chosen for."""
    return [raw for raw, code in report.priorities.items() if code is None]


def _aware(moment: datetime | None, zone: tzinfo) -> datetime | None:
    return moment.replace(tzinfo=zone) if moment is not None else None


def _write(
    s: Session,
    tickets: list[ParsedTicket],
    priorities: Mapping[str, str | None],
    zone: tzinfo,
    source: str,
    fmt: TicketFormat,
) -> None:
    """Insert the tickets, their timelines and closure checklists with set-based statements."""
    c = core
    level_ids = dict(s.execute(select(c.severity_levels.c.code, c.severity_levels.c.id)).all())
    by_name = _directory(s)
    rules = [
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
    version = s.scalar(
        select(c.matrix_versions.c.id).order_by(c.matrix_versions.c.number.desc()).limit(1)
    )
    now = datetime.now().astimezone()
    rows: list[dict[str, Any]] = []
    for ticket in tickets:
        status = status_of(ticket)
        rule = route(rules, ticket.module, ticket.issue_type)
        team = by_name["team"].get(ticket.group.casefold()) or (
            by_name["team"].get(rule.team.casefold()) if rule else None
        )
        created = _aware(ticket.created_at, zone) or now
        resolved = _aware(ticket.resolved_at, zone)
        closed = _aware(ticket.closed_at, zone)
        if status is Status.CLOSED:
            closed = closed or resolved or created
        if status in (Status.RESOLVED, Status.CLOSED):
            resolved = resolved or closed
        else:
            resolved = closed = None
        rows.append(
            {
                "ref": ticket.ref,
                "title": ticket.title or ticket.ref,
                "customer": ticket.customer,
                "module": ticket.module,
                "issue_type": ticket.issue_type,
                "severity_id": level_ids[priorities[ticket.priority] or ""],
                "status": status.value,
                "team_id": team,
                "role_id": by_name["role"].get(rule.role.casefold()) if rule else None,
                "owner_id": by_name["person"].get(ticket.assignee.casefold()),
                "liaison_id": None,
                "routed_by_rule_id": None,
                "matrix_version_id": version,
                "customers_affected": 0,
                "customer_impact": "",
                "tried": "",
                "reproduce": "",
                "created_at": created,
                "escalated_at": created,
                "acknowledged_at": (
                    created + timedelta(minutes=ticket.first_response_minutes)
                    if ticket.first_response_minutes is not None
                    else None
                ),
                "resolved_at": resolved,
                "closed_at": closed,
                "reopen_count": ticket.reopens,
                "reassignment_count": ticket.reassignments,
            }
        )
    s.execute(insert(c.escalations), rows)
    new_refs = {r["ref"] for r in rows}
    ids = {
        ref: id_
        for ref, id_ in s.execute(select(c.escalations.c.ref, c.escalations.c.id))
        if ref in new_refs
    }
    detail = f"Imported from {source} ({fmt.value})"
    s.execute(
        insert(c.escalation_events),
        [
            {
                "escalation_id": ids[r["ref"]],
                "at": r["created_at"],
                "actor": ACTOR,
                "kind": EventKind.CREATED.value,
                "detail": detail,
            }
            for r in rows
        ],
    )
    _add_checklists(s, rows, ids)


def _directory(s: Session) -> dict[str, dict[str, int]]:
    """Team, role and person ids by case-folded name."""
    c = core
    return {
        what: {name.casefold(): id_ for name, id_ in s.execute(select(table.c.name, table.c.id))}
        for what, table in (("team", c.teams), ("role", c.roles), ("person", c.people))
    }


def _add_checklists(s: Session, rows: list[dict[str, Any]], ids: dict[str, int]) -> None:
    # Tickets still in play get their level's closure checklist, so that they close through
    # the loop; tickets the helpdesk already closed are history and get none.
    c = core
    items: dict[int, list[Any]] = {}
    for item in s.execute(
        select(c.checklist_template_items).order_by(c.checklist_template_items.c.position)
    ):
        items.setdefault(item.level_id, []).append(item)
    entries = [
        {
            "escalation_id": ids[r["ref"]],
            "position": position,
            "name": item.name,
            "evidence_kinds": item.evidence,
            "gate": item.gate,
        }
        for r in rows
        if r["status"] != Status.CLOSED.value
        for position, item in enumerate(items.get(r["severity_id"], []))
    ]
    if entries:
        s.execute(insert(c.checklist_entries), entries)
