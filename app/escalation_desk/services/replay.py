"""What-if replay of a helpdesk export against the draft matrix and a published version."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from escalation_desk.domain.clock import STANDARD_WEEK
from escalation_desk.domain.replay import Calendars, Replay, ReplayMatrix, replay
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.services.mapping import calendar_from_row
from escalation_desk.services.ticket_import import TicketImportService
from escalation_desk.services.versions import VersionService
from escalation_desk.spreadsheets.tickets import ParsedTickets, TicketFormat, map_priority
from escalation_desk.store import core
from escalation_desk.store.db import Workspace

DRAFT_LABEL = "draft"


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """A replay with the file it read and the tool that wrote that file."""

    source: str
    format: str
    replay: Replay

    def as_json(self) -> dict[str, Any]:
        """``{"file", "format"}`` followed by the domain's ``Replay.as_json()``."""
        return {"file": self.source, "format": self.format, **self.replay.as_json()}


def version_label(number: int) -> str:
    """How a published version is named in a replay: "version 3"."""
    return f"version {number}"


class ReplayService:
    """Replays past tickets against the matrix; reads the workspace and never writes to it.

    Matrix B is always the draft (the matrix as it stands); matrix A, when asked for, is a
    published version, so that B - A says what the draft would change.
    """

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def replay(
        self,
        path: Path,
        *,
        against: int | None = None,
        priorities: Mapping[str, str] | None = None,
        fmt: TicketFormat = TicketFormat.AUTO,
        zone: tzinfo | None = None,
    ) -> ReplayReport:
        """Replay the tickets in ``path`` against the draft and, given ``against``, that version.

        ``priorities`` chooses levels for raw priorities (case ignored, "" for tickets without
        one) over the ticket import's own mapping; naive times are read in ``zone`` (the
        computer's zone by default). A file that cannot be read raises SpreadsheetError, a
        file with errors or no tickets, or a version that does not exist, ValueError.
        """
        versions = VersionService(self._workspace)
        if against is not None:
            versions.snapshot(against)  # a wrong number is refused before a large file is read
        parsed = TicketImportService(self._workspace).read(path, fmt)
        return self.replay_parsed(
            parsed, path.name, against=against, priorities=priorities, zone=zone
        )

    def replay_parsed(
        self,
        parsed: ParsedTickets,
        source: str,
        *,
        against: int | None = None,
        priorities: Mapping[str, str] | None = None,
        zone: tzinfo | None = None,
    ) -> ReplayReport:
        """The replay of tickets already read (the window reads large files off its thread)."""
        _check(parsed, source)
        versions = VersionService(self._workspace)
        baseline = (
            (version_label(against), versions.snapshot(against)) if against is not None else None
        )
        chosen = {raw.casefold(): code for raw, code in (priorities or {}).items()}
        raws = _raw_priorities(parsed)

        def matrix(label: str, snapshot: MatrixSnapshot) -> ReplayMatrix:
            return ReplayMatrix(label, snapshot, _priority_levels(raws, snapshot, chosen))

        draft = matrix(DRAFT_LABEL, versions.snapshot(None))
        result = replay(
            parsed.tickets,
            draft,
            against=matrix(*baseline) if baseline else None,
            calendars=self.calendars(),
            zone=zone,
        )
        return ReplayReport(source, parsed.format.value, result)

    def calendars(self) -> Calendars:
        """The workspace's calendars, chosen as the board's clocks choose them.

        Calendars are not part of a published version: a version's levels and teams use the
        calendars they name as the workspace defines them now.
        """
        with self._workspace.query() as conn:
            return _calendars(conn)


def _check(parsed: ParsedTickets, name: str) -> None:
    """Refuse a file with errors (as the import does: fix it once for both) or no tickets."""
    errors = [p for p in parsed.problems if p.severity == "error"]
    if errors:
        first = errors[0]
        where = f"row {first.row}" + (f", {first.column}" if first.column else "")
        more = f" ({len(errors) - 1} more problems like it)" if len(errors) > 1 else ""
        raise ValueError(f"{name} cannot be replayed{more}: {where}: {first.message}")
    if not parsed.tickets:
        raise ValueError(f"{name} holds no tickets to replay.")


def _raw_priorities(parsed: ParsedTickets) -> list[str]:
    """The raw priorities, with "" last when some tickets have none."""
    blank = [""] if any(not ticket.priority for ticket in parsed.tickets) else []
    return [*parsed.priorities, *blank]


def _priority_levels(
    raws: Iterable[str], snapshot: MatrixSnapshot, chosen: Mapping[str, str]
) -> dict[str, str | None]:
    """Each raw priority's level in ``snapshot``: the lead's choice, else the import's mapping."""
    codes: Sequence[str] = [level.code for level in snapshot.levels]
    return {raw: chosen.get(raw.casefold()) or map_priority(raw, codes) for raw in raws}


def _calendars(conn: Connection) -> Calendars:
    """Every calendar by name, each level's own, and the default (else a standard week)."""
    by_id = {row.id: calendar_from_row(row) for row in conn.execute(select(core.calendars))}
    by_name = {calendar.name: calendar for calendar in by_id.values()}
    default_name = conn.scalar(
        select(core.settings.c.value).where(core.settings.c.key == "default_calendar")
    )
    levels = core.severity_levels.c
    return Calendars(
        by_name=by_name,
        level_calendar={
            code: by_id[calendar_id].name
            for code, calendar_id in conn.execute(select(levels.code, levels.calendar_id))
            if calendar_id in by_id
        },
        default=by_name.get(default_name or "") or next(iter(by_name.values()), STANDARD_WEEK),
    )
