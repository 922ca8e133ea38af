"""Finds the escalation matrix in a lead's spreadsheet and reads it into levels and problems."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from escalation_desk.domain.directory import MAX_TIER
from escalation_desk.domain.durations import (
    Duration,
    DurationError,
    duration_from_day_fraction,
    parse_duration,
)
from escalation_desk.domain.matrix import (
    EscalationStep,
    SeverityLevel,
    Trigger,
    TriggerKind,
    UpdatesBy,
)
from escalation_desk.spreadsheets.reading import Sheet

# Every header a lead might write for a field, compared without case, spaces or punctuation.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "severity": ("severity", "severity level", "priority", "sev", "level", "priority level"),
    "name": ("name", "severity name", "description", "label", "impact level"),
    "triggers": (
        "trigger conditions",
        "triggers",
        "when to escalate",
        "trigger",
        "conditions",
        "escalation triggers",
        "escalation criteria",
        "criteria",
    ),
    "contacts": (
        "escalation contact",
        "escalation contacts",
        "escalate to",
        "contact",
        "contacts",
        "escalation path",
        "who to contact",
    ),
    "method": ("escalation method", "method", "channel", "how to escalate", "escalation channel"),
    "target_response": (
        "target response time",
        "response sla",
        "response time",
        "target response",
        "respond within",
        "sla",
        "response target",
    ),
    "owner": (
        "post-escalation owner",
        "post escalation owner",
        "owner",
        "owners",
        "escalation owner",
    ),
    "update_every": (
        "update cadence",
        "updates",
        "update frequency",
        "update every",
        "status updates",
    ),
    "hand_back": ("hand-back rule", "hand back rule", "hand back", "handback"),
    "target_resolution": (
        "target resolution time",
        "resolution time",
        "resolution sla",
        "target resolution",
        "resolve within",
    ),
    "steps": ("escalation steps", "escalation ladder", "ladder", "steps"),
    "engineer_owner": ("engineer owner", "engineering owner", "engineer side", "engineer"),
    "liaison": ("support liaison", "liaison", "support owner"),
    "updates_by": ("updates by", "customer updates by", "who updates"),
    "colour": ("colour", "color", "level colour", "level color"),
}
FIELD_TITLES = {
    "severity": "Severity level",
    "name": "Name",
    "triggers": "Trigger conditions",
    "contacts": "Escalation contact",
    "method": "Escalation method",
    "target_response": "Target response time",
    "owner": "Post-escalation owner",
    "update_every": "Update cadence",
    "hand_back": "Hand-back rule",
    "target_resolution": "Target resolution",
    "steps": "Escalation steps",
    "engineer_owner": "Engineer owner",
    "liaison": "Support liaison",
    "updates_by": "Updates by",
    "colour": "Colour",
}
HEADER_SEARCH_ROWS = 25
DEFAULT_NAMES = ("Critical", "High", "Normal", "Low", "Planning")
DEFAULT_COLOURS = ("#D55E00", "#E69F00", "#0072B2", "#009E73", "#CC79A7", "#56B4E9")
_SPLIT_PEOPLE = re.compile(r"\s*(?:,|/|;|\+|&|\band\b|\n)\s*", re.IGNORECASE)
_SPLIT_TRIGGERS = re.compile(r"\s*(?:\n|;|•)\s*")
_CODE = re.compile(
    r"^\s*(?:p|sev|severity|priority|s)?\s*[-_ ]?\s*(\d+)\b\s*[-:\u2013.)]*\s*(.*)$", re.IGNORECASE
)
_CUSTOMERS = re.compile(
    r"\b(\d+|one|two|three|four|five|ten)\s*\+?\s*(?:or more\s+)?"
    r"(?:customers?|clients?|users?|accounts?)\b",
    re.IGNORECASE,
)
_SEVERAL = re.compile(
    r"\b(?:several|multiple|many)\s+(?:customers|clients|users|accounts)", re.IGNORECASE
)
_SYSTEM_WIDE = re.compile(
    r"outage|system[- ]wide|all customers|platform down|degradation", re.IGNORECASE
)
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# "Tier 2 specialist after 10 min", "Support on-call at once": one escalation step per line.
_STEP = re.compile(r"^(?P<who>.+?)\s+(?:after\s+(?P<after>.+)|at once|immediately)$", re.IGNORECASE)
_TIER = re.compile(r"^tier\s*(\d+)$", re.IGNORECASE)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
_TIME_WORDS = re.compile(
    r"\b(?:no (?:progress|resolution|update|response)|after|within|in)\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the sheet worth the lead's attention, pinned to its cell."""

    row: int  # as the spreadsheet numbers it (1-based)
    column: str  # the header text of the column
    message: str
    severity: str  # "error" refuses the import, "warning" does not

    def as_json(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class ParsedMatrix:
    """The levels a sheet holds, the roles it names, and every problem found."""

    sheet: str
    header_row: int  # 1-based
    mapping: dict[str, int]
    headers: list[str]
    levels: list[SeverityLevel] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    source_rows: list[int] = field(default_factory=list)  # each level's row in the sheet

    @property
    def ok(self) -> bool:
        """Whether nothing refuses the import."""
        return not any(p.severity == "error" for p in self.problems)


def normalise(header: Any) -> str:
    """A header compared without case, punctuation or extra spaces."""
    text = re.sub(r"[^a-z0-9]+", " ", str(header or "").casefold())
    return " ".join(text.split())


_LOOKUP = {normalise(name): key for key, names in SYNONYMS.items() for name in names}


def map_headers(row: Sequence[Any]) -> dict[str, int]:
    """Which column holds which field, by header name and synonym (first match wins)."""
    found: dict[str, int] = {}
    for column, value in enumerate(row):
        key = _LOOKUP.get(normalise(value))
        if key is not None and key not in found:
            found[key] = column
    return found


def find_header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) below any title rows, and its mapping; None when absent."""
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        mapping = map_headers(row)
        if (
            "severity" in mapping
            and len(mapping) >= 3
            and (best is None or len(mapping) > len(best[1]))
        ):
            best = (index, mapping)
    return best


def propose_sheet(sheets: Sequence[Sheet]) -> int | None:
    """The sheet that looks most like a matrix."""
    scored = [(len(found[1]), i) for i, s in enumerate(sheets) if (found := find_header(s))]
    return max(scored)[1] if scored else None


def read_duration(value: Any) -> Duration:
    """A duration as leads write it, or as Excel stores times and numbers."""
    if isinstance(value, dt.timedelta):
        return Duration(round(value.total_seconds() / 60))
    if isinstance(value, dt.time):
        return Duration(value.hour * 60 + value.minute)
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel keeps "48:00" as a fraction of a day; a plain number above 1 is minutes.
        return duration_from_day_fraction(value) if value < 1 else Duration(round(value))
    return parse_duration(str(value))


def split_people(text: Any) -> list[str]:
    """Names written together in one cell: commas, slashes, "and", "+" or new lines."""
    return [part.strip(" .") for part in _SPLIT_PEOPLE.split(str(text or "")) if part.strip(" .")]


def read_trigger(text: str) -> Trigger:
    """One trigger sentence as its kind: time, impact or scope."""
    customers = _CUSTOMERS.search(text)
    if customers:
        count = customers.group(1).casefold()
        at_least = _NUMBER_WORDS[count] if count in _NUMBER_WORDS else int(count)
        return Trigger(TriggerKind.IMPACT, text, customers_at_least=at_least)
    if _SEVERAL.search(text):
        return Trigger(TriggerKind.IMPACT, text, customers_at_least=2)
    if _SYSTEM_WIDE.search(text):
        return Trigger(TriggerKind.IMPACT, text, system_wide=True)
    if _TIME_WORDS.search(text):
        try:
            return Trigger(TriggerKind.TIME, text, parse_duration(text))
        except DurationError:
            pass
    return Trigger(TriggerKind.SCOPE, text)


def format_step(step: EscalationStep) -> str:
    """One escalation step as the Matrix sheet writes it (and ``read_step`` reads it)."""
    if step.after_minutes == 0:
        return f"{step.who()} at once"
    return f"{step.who()} after {Duration(step.after_minutes)}"


def read_step(text: str) -> EscalationStep:
    """A line such as "Tier 2 specialist after 10 min" as a step (ValueError if unreadable)."""
    match = _STEP.match(text.strip())
    if match is None:
        raise ValueError(
            f'"{text.strip()}" is not a step: write who and when, like "Dev Lead after 30 min".'
        )
    after = parse_duration(match["after"]).minutes if match["after"] else 0
    tier = _TIER.match(match["who"])
    if tier:
        number = int(tier.group(1))
        if not 1 <= number <= MAX_TIER:
            raise ValueError(f'"{text.strip()}": tiers run from 1 to {MAX_TIER}.')
        return EscalationStep(after, tier=number)
    return EscalationStep(after, role=match["who"].strip())


def parse_matrix(
    sheet: Sheet,
    known_roles: Iterable[str] = (),
    *,
    header: tuple[int, dict[str, int]] | None = None,
) -> ParsedMatrix:
    """Read every level under the header; problems are pinned to their cells."""
    header = header or find_header(sheet)
    if header is None:
        parsed = ParsedMatrix(sheet.name, 0, {}, [])
        parsed.problems.append(
            Problem(
                1,
                "",
                (
                    f"No matrix header found in {sheet.name!r}: one row needs a severity column "
                    '("Severity", "Priority", "Sev", ...) and at least two other matrix columns.'
                ),
                "error",
            )
        )
        return parsed
    index, mapping = header
    headers = [str(v or "") for v in sheet.rows[index]]
    parsed = ParsedMatrix(sheet.name, index + 1, mapping, headers)
    known = {r.casefold(): r for r in known_roles}
    new_roles: dict[str, str] = {}
    seen: dict[str, int] = {}

    def title(key: str) -> str:
        return headers[mapping[key]] if key in mapping else FIELD_TITLES[key]

    def role(name: str) -> str:
        if name.casefold() in known:
            return known[name.casefold()]
        return new_roles.setdefault(name.casefold(), name)

    for offset, row in enumerate(sheet.rows[index + 1 :], start=index + 2):

        def value(key: str, row: Sequence[Any] = row) -> Any:
            column = mapping.get(key)
            return row[column] if column is not None and column < len(row) else None

        severity = value("severity")
        if severity is None or not any(v is not None for v in row):
            continue
        match = _CODE.match(str(severity))
        rank = len(parsed.levels) + 1
        code = f"P{match.group(1)}" if match else str(severity).strip()
        name = str(value("name") or (match.group(2) if match else "") or "").strip()
        name = name or (DEFAULT_NAMES[rank - 1] if rank <= len(DEFAULT_NAMES) else code)
        if code in seen:
            parsed.problems.append(
                Problem(
                    offset,
                    title("severity"),
                    (
                        f"{code} appears twice (rows {seen[code]} and {offset}); "
                        "keep one row per level."
                    ),
                    "error",
                )
            )
            continue
        seen[code] = offset

        def duration(key: str, row_number: int = offset) -> Duration | None:
            raw = value(key)
            if raw is None:
                return None
            try:
                return read_duration(raw)
            except (DurationError, ValueError) as exc:
                parsed.problems.append(Problem(row_number, title(key), str(exc), "error"))
                return None

        target = duration("target_response")
        if target is None and "target_response" in mapping and value("target_response") is None:
            parsed.problems.append(
                Problem(
                    offset,
                    title("target_response"),
                    f"{code} has no target response time.",
                    "warning",
                )
            )
        contacts = tuple(role(n) for n in split_people(value("contacts")))
        owners: list[str | None] = [role(n) for n in split_people(value("owner"))]
        # Separate engineer and liaison columns say which is which, even when one is empty.
        if "engineer_owner" in mapping or "liaison" in mapping:
            engineer, liaison = (split_people(value(k))[:1] for k in ("engineer_owner", "liaison"))
            owners = [
                role(engineer[0]) if engineer else None,
                role(liaison[0]) if liaison else None,
            ]
        steps: list[EscalationStep] = []
        for line in str(value("steps") or "").splitlines():
            if not line.strip():
                continue
            try:
                step = read_step(line)
            except (DurationError, ValueError) as exc:
                parsed.problems.append(Problem(offset, title("steps"), str(exc), "error"))
                continue
            steps.append(replace(step, role=role(step.role)) if step.role else step)
        colour = str(value("colour") or "").strip()
        if colour and not _COLOUR.match(colour):
            parsed.problems.append(
                Problem(
                    offset,
                    title("colour"),
                    f'"{colour}" is not a colour like "#D55E00"; the level gets a default colour.',
                    "warning",
                )
            )
        updates = str(value("updates_by") or "").strip().casefold()
        if updates not in ("", *(who.value for who in UpdatesBy)):
            parsed.problems.append(
                Problem(
                    offset,
                    title("updates_by"),
                    f'"{value("updates_by")}" is neither "liaison" nor "engineer"; the support '
                    "liaison will log the updates.",
                    "warning",
                )
            )
        triggers = tuple(
            read_trigger(part)
            for part in _SPLIT_TRIGGERS.split(str(value("triggers") or ""))
            if part.strip()
        )
        parsed.source_rows.append(offset)
        parsed.levels.append(
            SeverityLevel(
                code=code,
                name=name,
                rank=rank,
                colour=colour
                if _COLOUR.match(colour)
                else DEFAULT_COLOURS[(rank - 1) % len(DEFAULT_COLOURS)],
                target_response=target,
                update_every=duration("update_every"),
                target_resolution=duration("target_resolution"),
                method=str(value("method") or "").strip(),
                contacts=contacts,
                engineer_role=owners[0] if owners else None,
                liaison_role=owners[1] if len(owners) > 1 else None,
                hand_back=str(value("hand_back") or "").strip(),
                triggers=triggers,
                steps=tuple(steps),
                updates_by=UpdatesBy.ENGINEER if updates == "engineer" else UpdatesBy.LIAISON,
            )
        )
    for name in new_roles.values():
        parsed.problems.append(
            Problem(
                parsed.header_row,
                "",
                (
                    f"The role {name!r} is not in the directory yet; importing creates it, "
                    "without a holder."
                ),
                "warning",
            )
        )
    parsed.roles = list(new_roles.values())
    if not parsed.levels:
        parsed.problems.append(
            Problem(
                parsed.header_row,
                title("severity"),
                "No severity level found under the header row.",
                "error",
            )
        )
    return parsed
