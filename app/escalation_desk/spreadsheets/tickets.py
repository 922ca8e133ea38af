"""Reads helpdesk ticket exports (ServiceNow, Jira, Zendesk, Freshdesk or any table) as tickets."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from escalation_desk.spreadsheets.matrix_import import Problem, normalise
from escalation_desk.spreadsheets.reading import Sheet


class TicketFormat(StrEnum):
    """The tool that wrote an export; AUTO tells it from the header names."""

    AUTO = "auto"
    SERVICENOW = "servicenow"
    JIRA = "jira"
    ZENDESK = "zendesk"
    FRESHDESK = "freshdesk"
    GENERIC = "generic"


# The fields a caller may point at a column with parse_tickets(mapping=...).
FIELDS = (
    "ref",
    "title",
    "customer",
    "module",
    "issue_type",
    "priority",
    "status",
    "created",
    "resolved",
    "closed",
    "first_response",
    "reassignments",
    "reopens",
    "made_sla",
    "assignee",
    "group",
)
DATE_FIELDS = ("created", "resolved", "closed", "updated")
# Every header a lead's own table might use for a field, compared as normalise() does.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "ref": (
        "ref",
        "reference",
        "ticket",
        "ticket id",
        "ticket number",
        "ticket no",
        "ticket ref",
        "id",
        "number",
        "key",
        "issue key",
        "case",
        "case number",
        "incident",
        "incident number",
    ),
    "title": ("title", "subject", "summary", "short description", "issue", "description"),
    "customer": (
        "customer",
        "client",
        "account",
        "organization",
        "organisation",
        "company",
        "company name",
        "requester",
        "caller",
        "reporter",
    ),
    "module": ("module", "component", "components", "product", "area", "service", "category"),
    "issue_type": ("type", "issue type", "ticket type", "kind"),
    "priority": ("priority", "severity", "sev", "priority level", "severity level"),
    "status": ("status", "state", "ticket status"),
    "created": (
        "created",
        "created at",
        "created on",
        "created date",
        "created time",
        "date created",
        "opened",
        "opened at",
        "opened on",
        "date opened",
        "open date",
        "reported",
        "reported at",
        "submitted",
    ),
    "resolved": (
        "resolved",
        "resolved at",
        "resolved on",
        "resolved date",
        "resolved time",
        "date resolved",
        "resolution date",
        "solved at",
    ),
    "closed": ("closed", "closed at", "closed on", "closed date", "closed time", "date closed"),
    "first_response": (
        "first response",
        "first response minutes",
        "first response mins",
        "first response min",
        "first response time",
        "first response time mins",
        "first response time minutes",
        "first response hours",
        "first response hrs",
        "first response in hrs",
        "first response time hours",
        "first response time hrs",
        "first response time in hrs",
        "first response time in minutes",
        "first reply time in minutes",
        "time to first response",
        "first reply",
    ),
    "reassignments": ("reassignments", "reassignment count", "reassigned", "times reassigned"),
    "reopens": ("reopens", "reopen count", "reopened", "times reopened"),
    "made_sla": ("made sla", "sla met", "within sla", "met sla", "sla"),
    "assignee": ("assignee", "assigned to", "agent", "owner", "engineer", "resolver"),
    "group": ("group", "assignment group", "team", "queue"),
}
# Each tool's own header names come before the generic synonyms: its columns win.
LAYOUTS: dict[TicketFormat, dict[str, tuple[str, ...]]] = {
    TicketFormat.SERVICENOW: {
        "ref": ("number",),
        "title": ("short description",),
        "customer": ("caller id",),
        "module": ("category", "subcategory"),
        "priority": ("priority",),
        "status": ("incident state",),
        "created": ("opened at",),
        "resolved": ("resolved at",),
        "closed": ("closed at",),
        "reassignments": ("reassignment count",),
        "reopens": ("reopen count",),
        "made_sla": ("made sla",),
        "assignee": ("assigned to",),
        "group": ("assignment group",),
        "version": ("sys mod count",),
        "updated": ("sys updated at",),
        "subcategory": ("subcategory",),
        "symptom": ("u symptom",),
    },
    TicketFormat.JIRA: {
        "ref": ("issue key",),
        "title": ("summary",),
        "customer": (
            "custom field organizations",
            "custom field customer",
            "organizations",
            "reporter",
        ),
        "module": ("component s", "components"),
        "issue_type": ("issue type",),
        "priority": ("priority",),
        "status": ("status",),
        "created": ("created",),
        "resolved": ("resolved",),
        "assignee": ("assignee",),
        "group": ("custom field team",),
    },
    TicketFormat.ZENDESK: {
        "ref": ("id", "ticket id"),
        "title": ("subject",),
        "customer": ("organization", "requester"),
        "issue_type": ("type",),
        "priority": ("priority",),
        "status": ("status",),
        "created": ("created at",),
        "resolved": ("solved at",),
        "first_response": ("first reply time in minutes", "first response time in hrs"),
        "reopens": ("reopens",),
        "assignee": ("assignee",),
        "group": ("group",),
    },
    TicketFormat.FRESHDESK: {
        "ref": ("ticket id",),
        "title": ("subject",),
        "customer": ("company name", "full name"),
        "module": ("product",),
        "issue_type": ("type",),
        "priority": ("priority",),
        "status": ("status",),
        "created": ("created time",),
        "resolved": ("resolved time",),
        "closed": ("closed time",),
        "first_response": ("first response time in hrs",),
        "made_sla": ("resolution status",),
        "assignee": ("agent",),
        "group": ("group",),
    },
    TicketFormat.GENERIC: {},
}
# The header a user is told to add when no reference column is found.
REF_HEADERS = {
    TicketFormat.SERVICENOW: '"number"',
    TicketFormat.JIRA: '"Issue key"',
    TicketFormat.ZENDESK: '"Id" or "Ticket ID"',
    TicketFormat.FRESHDESK: '"Ticket ID"',
    TicketFormat.GENERIC: '"Ref", "Ticket", "Ticket ID", "Number", "ID" or "Issue key"',
}
# When nothing in the data tells 03/04 apart: ServiceNow writes DD-MM-YYYY (the UCI export
# documents it), Jira's numeric dates are its dd/MM/yy, and the US tools (Zendesk, Freshdesk)
# and unknown CSVs most often come month-first.
DAY_FIRST = {
    TicketFormat.SERVICENOW: True,
    TicketFormat.JIRA: True,
    TicketFormat.ZENDESK: False,
    TicketFormat.FRESHDESK: False,
    TicketFormat.GENERIC: False,
}
HEADER_SEARCH_ROWS = 25
NULLS = frozenset({"", "?"})  # ServiceNow writes "?" for an empty field
_AS_NULL: dict[Any, None] = dict.fromkeys(NULLS)  # .get(value, value): None for a null text
_NONE_AS_EMPTY: dict[Any, str] = {None: ""}  # .get(value, value): "" for an empty cell
EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # serial 1 is 1900-01-01 after Excel's leap-year bug
EXCEL_LAST_SERIAL = 2_958_466  # 9999-12-31
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "met", "made", "within sla", "ok"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "missed", "breached", "sla violated", "violated"})
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
PRIORITY_WORDS = {
    "critical": 1,
    "urgent": 1,
    "blocker": 1,
    "highest": 1,
    "emergency": 1,
    "high": 2,
    "major": 2,
    "medium": 3,
    "moderate": 3,
    "normal": 3,
    "low": 4,
    "minor": 4,
    "planning": 5,
    "lowest": 5,
    "trivial": 5,
}
_CLOCK = r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:([ap])\.?m\.?)?)?"
_NUMERIC_DATE = re.compile(rf"^(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_CLOCK}$", re.I)
_DATE_SEPARATORS = frozenset("-/.")
_NAMED_DATE = re.compile(
    rf"^(\d{{1,2}})[-/ ]([a-z]{{3,9}})\.?[-/ ](\d{{4}}|\d{{2}}){_CLOCK}$", re.I
)
_MONTH_FIRST_NAMED = re.compile(rf"^([a-z]{{3,9}})\.? (\d{{1,2}}),? (\d{{4}}){_CLOCK}$", re.I)
_ISO_DATE = re.compile(rf"^(\d{{4}})[-/](\d{{1,2}})[-/](\d{{1,2}}){_CLOCK}$", re.I)
_ISO_OFFSET = re.compile(r"\s*(Z|[+-]\d{2}:?\d{2})$")
_DURATION = re.compile(r"^(\d+):(\d{2})(?::(\d{2}))?$")
_PRIORITY_NUMBER = re.compile(r"^\s*(?:priority|prio|severity|sev|p|s)?\s*[-_ #]?\s*(\d+)\b", re.I)


class ParsedTicket(NamedTuple):
    """One ticket as the export states it; times are naive, on the export's own clock."""

    ref: str
    title: str
    customer: str
    module: str
    issue_type: str
    priority: str  # the raw text, e.g. "1 - Critical"; map_priority() finds the level
    status: str  # the raw text
    created_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    first_response_minutes: int | None
    reassignments: int
    reopens: int
    made_sla: bool | None
    assignee: str
    group: str


@dataclass
class ParsedTickets:
    """The tickets a sheet holds and every problem found; import only when ``ok``."""

    format: TicketFormat
    sheet: str
    tickets: list[ParsedTicket] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    header_row: int = 1  # 1-based
    mapping: dict[str, int] = field(default_factory=dict)  # field -> first column it reads
    headers: list[str] = field(default_factory=list)  # the header row's cells as text

    @property
    def ok(self) -> bool:
        """Whether nothing refuses the import (it is all or nothing)."""
        return not any(p.severity == "error" for p in self.problems)

    @property
    def priorities(self) -> list[str]:
        """The distinct raw priorities, in order of first appearance."""
        return list(dict.fromkeys(t.priority for t in self.tickets if t.priority))


def detect_format(headers: Sequence[Any]) -> TicketFormat:
    """The tool that wrote an export, told from its header row; GENERIC when unknown."""
    names = {normalise(h) for h in headers}
    servicenow = {"incident state", "sys mod count", "opened at", "sys updated at", "caller id"}
    if "number" in names and len(names & servicenow) >= 2:
        return TicketFormat.SERVICENOW
    if {"issue key", "summary"} <= names:
        return TicketFormat.JIRA
    if "ticket id" in names and names & {"created time", "resolved time", "closed time"}:
        return TicketFormat.FRESHDESK
    zendesk = {"requester", "first reply time in minutes", "solved at", "created at"}
    if names & {"id", "ticket id"} and "subject" in names and names & zendesk:
        return TicketFormat.ZENDESK
    return TicketFormat.GENERIC


def map_columns(headers: Sequence[Any], fmt: TicketFormat) -> dict[str, list[int]]:
    """Which columns may hold each field, best first; repeated headers give several columns."""
    names = [normalise(h) for h in headers]
    found: dict[str, list[int]] = {}
    layout = LAYOUTS[TicketFormat.GENERIC if fmt is TicketFormat.AUTO else fmt]
    for key in dict.fromkeys([*layout, *SYNONYMS]):
        columns = [
            column
            for name in (*layout.get(key, ()), *SYNONYMS.get(key, ()))
            for column, header in enumerate(names)
            if header == name
        ]
        if columns:
            found[key] = list(dict.fromkeys(columns))
    return found


def find_header(
    sheet: Sheet, fmt: TicketFormat = TicketFormat.AUTO, mapping: dict[str, int] | None = None
) -> tuple[int, TicketFormat, dict[str, list[int]]] | None:
    """The header row (0-based) below any title rows, its format and columns; None if absent."""
    best: tuple[int, TicketFormat, dict[str, list[int]]] | None = None
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        chosen = detect_format(row) if fmt is TicketFormat.AUTO else fmt
        columns = map_columns(row, chosen)
        columns.update({key: [column] for key, column in (mapping or {}).items()})
        if "ref" in columns and (best is None or len(columns) > len(best[2])):
            best = (index, chosen, columns)
    return best


def parse_tickets(
    sheet: Sheet, fmt: TicketFormat = TicketFormat.AUTO, mapping: dict[str, int] | None = None
) -> ParsedTickets:
    """Every ticket under the header; problems are pinned to their cells.

    ``mapping`` points fields (see FIELDS) at 0-based columns, over what the headers say.
    Tickets are read even when a problem refuses the import, so that a preview can show them.
    """
    fmt = TicketFormat(fmt)
    for key in mapping or {}:
        if key not in FIELDS:
            raise ValueError(f"{key!r} is not a ticket field; use one of {', '.join(FIELDS)}.")
    header = find_header(sheet, fmt, mapping)
    if header is None:
        first = sheet.rows[0] if sheet.rows else ()
        chosen = detect_format(first) if fmt is TicketFormat.AUTO else fmt
        # The first row is offered as the header, so that its columns can be matched by hand.
        parsed = ParsedTickets(chosen, sheet.name, headers=[str(v or "") for v in first])
        parsed.problems.append(
            Problem(
                1,
                "",
                (
                    f"No ticket reference column found in {sheet.name!r}: the header row needs "
                    f"a {REF_HEADERS[chosen]} column."
                ),
                "error",
            )
        )
        return parsed
    index, chosen, columns = header
    parsed = ParsedTickets(
        chosen,
        sheet.name,
        header_row=index + 1,
        mapping={key: columns[key][0] for key in FIELDS if key in columns},
        headers=[str(v or "") for v in sheet.rows[index]],
    )
    table = _Table(sheet, index, columns, DAY_FIRST[chosen], parsed.problems)
    if chosen is TicketFormat.SERVICENOW:
        rows = _latest_states(table)
    else:
        rows = [i for i in range(index + 1, len(sheet.rows)) if not table.blank(i)]
    first_problem = len(parsed.problems)
    seen: dict[str, int] = {}
    for row, ref in zip(rows, _texts(table.cells(rows, "ref")[0]), strict=True):
        if not ref:
            table.problem(row, "ref", "This row has no ticket reference.")
            continue
        if ref in seen:
            table.problem(
                row,
                "ref",
                f"{ref} appears twice (rows {seen[ref]} and {row + 1}); keep one row per ticket.",
            )
            continue
        seen[ref] = row + 1
    parsed.tickets = _tickets(table, seen, chosen)
    # The fields' problems were found a field at a time; they are listed row by row, in the
    # order the rows were read, each row's in the order of its fields (the sort is stable).
    order = {row: position for position, row in enumerate(rows)}
    parsed.problems[first_problem:] = sorted(
        parsed.problems[first_problem:], key=lambda problem: order[problem.row - 1]
    )
    return parsed


def map_priority(raw: str, level_codes: Sequence[str]) -> str | None:
    """The level code a raw priority stands for ("1 - Critical" -> "P1"); None if none fits."""
    text = str(raw or "").strip()
    if not text:
        return None
    by_rank: dict[int, str] = {}
    for code in level_codes:
        if code.casefold() == text.casefold():
            return code
        match = _PRIORITY_NUMBER.match(code)
        if match:
            by_rank.setdefault(int(match.group(1)), code)
    match = _PRIORITY_NUMBER.match(text)
    if match and int(match.group(1)) in by_rank:
        return by_rank[int(match.group(1))]
    # Names rank as most tools order them; a rank without a level in the matrix fits nothing.
    for word in normalise(text).split():
        if word in PRIORITY_WORDS:
            return by_rank.get(PRIORITY_WORDS[word])
    return None


def read_when(value: Any, day_first: bool) -> dt.datetime | None:
    """A timestamp as exports write it; None when empty; ValueError when unreadable.

    Naive unless the export wrote an offset ("Z", "+05:00"), which is kept.
    """
    if type(value) is str and value[4:5] == "-" and value[:4].isdigit():
        # ISO 8601, the commonest form in exports: the standard library reads it fastest.
        with contextlib.suppress(ValueError):
            return dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        # A time with an offset is kept as written; a naive one gets the caller's zone.
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < EXCEL_LAST_SERIAL:
            raise ValueError(f"{value!r} is not an Excel date serial number")
        return EXCEL_EPOCH + dt.timedelta(seconds=round(value * 86400))
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date")
    text = " ".join(value.split())
    if text in NULLS:
        return None
    if text[:4].isdigit() and text[4:5] == "-":
        with contextlib.suppress(ValueError):
            return dt.datetime.fromisoformat(text)
    if match := _NUMERIC_DATE.match(text):
        first, second = int(match.group(1)), int(match.group(3))
        day, month = (first, second) if day_first else (second, first)
        return _moment(match.group(4), month, day, match.groups()[4:])
    if match := _NAMED_DATE.match(text):
        month = _month(match.group(2))
        return _moment(match.group(3), month, int(match.group(1)), match.groups()[3:])
    if match := _MONTH_FIRST_NAMED.match(text):
        month = _month(match.group(1))
        return _moment(match.group(3), month, int(match.group(2)), match.groups()[3:])
    # An ISO offset is dropped, not applied, as for datetime values above.
    if match := _ISO_DATE.match(_ISO_OFFSET.sub("", text) if len(text) > 10 else text):
        return _moment(match.group(1), int(match.group(2)), int(match.group(3)), match.groups()[3:])
    raise ValueError(f"{text!r} is not a date")


def order_evidence(values: Iterable[Any]) -> tuple[int, int]:
    """How many values can only be day-first (13/03) and how many only month-first (03/13)."""
    day = month = 0
    for value in values:
        if not isinstance(value, str):
            continue
        # A numeric date's separator comes after its first one or two digits: most exports
        # write ISO dates, which this rules out without a regular expression.
        text = value.lstrip()
        if text[1:2] not in _DATE_SEPARATORS and text[2:3] not in _DATE_SEPARATORS:
            continue
        match = _NUMERIC_DATE.match(" ".join(value.split()))
        if match:
            first, second = int(match.group(1)), int(match.group(3))
            day += first > 12 >= second
            month += second > 12 >= first
    return day, month


def _month(name: str) -> int:
    month = MONTHS.get(name.casefold())
    if month is None:
        raise ValueError(f"{name!r} is not a month")
    return month


def _moment(year_text: str, month: int, day: int, clock: Sequence[str | None]) -> dt.datetime:
    """A date and an optional clock (hour, minute, second, a/p) as one datetime."""
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 70 else 1900  # as spreadsheets pivot two-digit years
    hour, minute, second, half = clock
    hours = int(hour or 0)
    if half:
        if not 1 <= hours <= 12:
            raise ValueError(f"{hours} is not an hour of a 12-hour clock")
        hours = hours % 12 + (12 if half.casefold() == "p" else 0)
    return dt.datetime(year, month, day, hours, int(minute or 0), int(second or 0))


@dataclass
class _Table:
    """The rows under a header, read field by field; problems go to ``problems``."""

    sheet: Sheet
    header: int
    columns: dict[str, list[int]]
    default_day_first: bool
    problems: list[Problem]
    _evidence: dict[int, tuple[int, int]] = field(default_factory=dict)
    _day_first: dict[int, bool] = field(default_factory=dict)
    # Exports repeat timestamps (to the minute) many times; each text is read once.
    _dates: dict[tuple[Any, bool], dt.datetime | None] = field(default_factory=dict)
    _by_column: dict[int, list[Any]] = field(default_factory=dict)  # columns read so far

    def title(self, column: int) -> str:
        """The header text of a column, as the user sees it."""
        return str(self.sheet.cell(self.header, column) or f"Column {column + 1}")

    def problem(self, row: int, key: str, message: str, severity: str = "error") -> None:
        """A problem at ``row`` (0-based) in the first column of ``key``."""
        column = self.columns.get(key, [None])[0]
        title = "" if column is None else self.title(column)
        self.problems.append(Problem(row + 1, title, message, severity))

    def blank(self, row: int) -> bool:
        """Whether a row holds nothing at all."""
        return all(_null(v) for v in self.sheet.rows[row])

    def pick(self, row: int, key: str) -> tuple[Any, int] | None:
        """The first non-empty value of a field's columns, and its column."""
        values = self.sheet.rows[row]
        for column in self.columns.get(key, ()):
            value = values[column] if column < len(values) else None
            if not _null(value):
                return value, column
        return None

    def cells(self, rows: Sequence[int], key: str) -> tuple[list[Any], list[int]]:
        """pick() for each of ``rows``: the first non-empty value of a field's columns (None
        when there is none) and the column it is in.

        A field at a time, each column read in one pass: a hundred-thousand-row import read
        row by row, field by field, cost several times the reading of the file itself.
        """
        values: list[Any] = [None] * len(rows)
        origins = [0] * len(rows)
        for number, column in enumerate(self.columns.get(key, ())):
            picked = list(map(self._column(column).__getitem__, rows))
            # Null text as None, in one pass of C: the sheet's text is already trimmed.
            picked = list(map(_AS_NULL.get, picked, picked))
            if number == 0:
                values, origins = picked, [column] * len(rows)
                continue
            for position, value in enumerate(picked):  # a repeated header fills the gaps
                if values[position] is None and value is not None:
                    values[position] = value
                    origins[position] = column
        return values, origins

    def _column(self, column: int) -> Sequence[Any]:
        """Every cell of a column, top to bottom, None past a short row's end; read once."""
        cells = self._by_column.get(column)
        if cells is None:
            # Only the columns fields read: an event log is dozens of columns wide.
            cells = self._by_column[column] = [
                row[column] if column < len(row) else None for row in self.sheet.rows
            ]
        return cells

    def text(self, row: int, key: str) -> str:
        """A field as text, "" when empty."""
        found = self.pick(row, key)
        return "" if found is None else _text(found[0])

    def when(self, row: int, key: str) -> dt.datetime | None:
        """A field as a timestamp; an unreadable one is an error pinned to its cell."""
        return self.when_of(row, self.pick(row, key))

    def when_of(self, row: int, found: tuple[Any, int] | None) -> dt.datetime | None:
        """when() of a cell pick() or filled() found."""
        if found is None:
            return None
        value, column = found
        key_ = (value, self.day_first(column))
        if key_ in self._dates:
            return self._dates[key_]
        try:
            self._dates[key_] = read_when(*key_)
            return self._dates[key_]
        except ValueError:
            self.problems.append(
                Problem(
                    row + 1,
                    self.title(column),
                    (
                        f"{_text(value)!r} is not a date Escalation Desk can read; write it like "
                        "2024-03-12 09:41, 12/03/2024 09:41 or 12/Mar/24 9:41 AM."
                    ),
                    "error",
                )
            )
            return None

    def whens(
        self, rows: Sequence[int], values: Sequence[Any], origins: Sequence[int]
    ) -> list[dt.datetime | None]:
        """when_of() for the cells cells() found at ``rows``.

        A column of ISO 8601 text, what most exports write, is read in one pass, with no
        day-first question to settle.
        """
        if all(
            v is None or (v.__class__ is str and v[4:5] == "-" and v[:4].isdigit()) for v in values
        ):
            with contextlib.suppress(ValueError):  # one it cannot read is reported below
                return [None if v is None else dt.datetime.fromisoformat(v) for v in values]
        return [
            None if value is None else self.when_of(row, (value, column))
            for row, value, column in zip(rows, values, origins, strict=True)
        ]

    def day_first(self, column: int) -> bool:
        """Whether a column writes days first: its own values, then the sheet's other dates."""
        if column not in self._day_first:
            self._day_first[column] = self._decide_day_first(column)
        return self._day_first[column]

    def _decide_day_first(self, column: int) -> bool:
        day, month = self.evidence(column)
        if day != month:
            return day > month
        # An export writes every date one way: a column of 01/02 and 03/04 follows the others.
        dates = {c for key in DATE_FIELDS for c in self.columns.get(key, ())}
        day = sum(self.evidence(c)[0] for c in dates)
        month = sum(self.evidence(c)[1] for c in dates)
        return day > month if day != month else self.default_day_first

    def evidence(self, column: int) -> tuple[int, int]:
        """order_evidence() for one column, counted once."""
        if column not in self._evidence:
            rows = self.sheet.rows[self.header + 1 :]
            self._evidence[column] = order_evidence(r[column] for r in rows if column < len(r))
        return self._evidence[column]

    def count(self, row: int, key: str) -> int:
        """A field as a whole number, 0 when empty."""
        return self.count_of(row, self.pick(row, key))

    def count_of(self, row: int, found: tuple[Any, int] | None) -> int:
        """count() of a cell pick() or filled() found."""
        if found is None:
            return 0
        value, column = found
        try:
            number = float(value) if not isinstance(value, bool) else float("nan")
        except (TypeError, ValueError):
            number = float("nan")
        if not number.is_integer() or number < 0:
            self.problems.append(
                Problem(row + 1, self.title(column), f"{_text(value)!r} is not a count.", "error")
            )
            return 0
        return int(number)

    def flag_of(self, row: int, found: tuple[Any, int] | None) -> bool | None:
        """A yes/no cell; one it cannot read is a warning, as the import does without it."""
        if found is None:
            return None
        value, column = found
        if isinstance(value, bool):
            return value
        word = normalise(value)
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        self.problems.append(
            Problem(
                row + 1,
                self.title(column),
                f"{_text(value)!r} is neither yes nor no; the ticket is imported without it.",
                "warning",
            )
        )
        return None

    def minutes_of(self, row: int, found: tuple[Any, int] | None) -> int | None:
        """A duration cell in minutes; the header says whether numbers are hours or minutes."""
        if found is None:
            return None
        value, column = found
        header = normalise(self.title(column)).split()
        hours = any(w in ("hrs", "hr", "hours", "hour", "h") for w in header)
        try:
            minutes = _minutes(value, 60.0 if hours else 1.0)
        except ValueError:
            self.problems.append(
                Problem(
                    row + 1,
                    self.title(column),
                    f"{_text(value)!r} is not a duration; write a number or h:mm.",
                    "error",
                )
            )
            return None
        return minutes


def _minutes(value: Any, per_unit: float) -> int:
    """A duration cell as whole minutes: numbers in the header's unit, h:mm(:ss), timedeltas."""
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() / 60)
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute + round(value.second / 60)
    if isinstance(value, str) and (match := _DURATION.match(value.strip())):
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return hours * 60 + minutes + round(seconds / 60)
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    number = float(value)  # ValueError for text that is not a number
    if number < 0 or number != number:
        raise ValueError(f"{value!r} is not a duration")
    return round(number * per_unit)


def _latest_states(table: _Table) -> list[int]:
    """ServiceNow's event log: per ticket, the row of its latest state, in order of first sight.

    The latest state has the highest ``sys_mod_count``; on a tie, the later update, then the
    later row.
    """
    latest: dict[str, tuple[tuple[int, dt.datetime, int], int]] = {}
    for row in range(table.header + 1, len(table.sheet.rows)):
        ref = table.text(row, "ref")
        if not ref:
            if not table.blank(row):
                table.problem(row, "ref", "This row has no ticket number.")
            continue
        updated = table.when(row, "updated") or dt.datetime.min
        key = (table.count(row, "version"), updated, row)
        if ref not in latest or key > latest[ref][0]:
            latest[ref] = (key, row)
    return [row for _, row in latest.values()]


def _tickets(table: _Table, refs: Mapping[str, int], fmt: TicketFormat) -> list[ParsedTicket]:
    """The tickets of the rows ``refs`` names (ref -> 1-based row), read a field at a time.

    The cells of times, durations, counts and flags are read in the order a row lists them,
    so that their problems, once sorted by row, come in the order a row-by-row reading finds
    them.
    """
    rows = [number - 1 for number in refs.values()]
    found = {key: table.cells(rows, key) for key in table.columns}
    empty: tuple[list[Any], list[int]] = ([None] * len(rows), [0] * len(rows))

    def texts(key: str) -> list[str]:
        return _texts(found.get(key, empty)[0])

    def read(
        key: str, reader: Callable[[int, tuple[Any, int] | None], Any], empty_value: Any = None
    ) -> list[Any]:
        values, origins = found.get(key, empty)
        return [
            empty_value if value is None else reader(row, (value, column))
            for row, value, column in zip(rows, values, origins, strict=True)
        ]

    def whens(key: str) -> list[dt.datetime | None]:
        return table.whens(rows, *found.get(key, empty))

    titles, issue_types = texts("title"), texts("issue_type")
    modules = texts("module")
    if fmt is TicketFormat.SERVICENOW:
        # The event log has no short description; what the incident is about is its
        # category, subcategory and symptom. Every row of the incident table is an incident.
        subcategories, symptoms = texts("subcategory"), texts("symptom")
        titles = [
            title or " / ".join(dict.fromkeys(part for part in parts if part))
            for title, *parts in zip(titles, modules, subcategories, symptoms, strict=True)
        ]
        issue_types = [issue_type or "Incident" for issue_type in issue_types]
    # Positional: a hundred thousand tickets built by keyword cost a tenth of the parse more.
    return list(
        map(
            ParsedTicket,
            refs,
            titles,
            texts("customer"),
            modules,
            issue_types,
            texts("priority"),
            texts("status"),
            whens("created"),
            whens("resolved"),
            whens("closed"),
            read("first_response", table.minutes_of),
            read("reassignments", table.count_of, 0),
            read("reopens", table.count_of, 0),
            read("made_sla", table.flag_of),
            texts("assignee"),
            texts("group"),
        )
    )


def _null(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in NULLS)


def _texts(values: Sequence[Any]) -> list[str]:
    """_text() of each value: a column of plain one-line text is checked in one pass."""
    with contextlib.suppress(TypeError):  # a value that is not text: each is read below
        joined = " ".join([value for value in values if value is not None])
        # Printable, single-spaced and trimmed as a whole means every value already is.
        if joined.isprintable() and "  " not in joined and joined[:1] != " " != joined[-1:]:
            return list(map(_NONE_AS_EMPTY.get, values, values))
    return [
        ""
        if value is None
        else value.strip()
        if value.__class__ is str and value.isprintable() and "  " not in value
        else _text(value)
        for value in values
    ]


def _text(value: Any) -> str:
    """A cell as text; whole numbers without ".0", as ids read in workbooks."""
    if isinstance(value, str) and value.isprintable() and "  " not in value:
        return value.strip()  # the common case, already one line with single spaces
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split()) if value is not None else ""
