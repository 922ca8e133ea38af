"""The closure loop: checklist items, their evidence and gates, and what blocks closing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum


class Gate(StrEnum):
    """Whether a missing item stops closing (blocking) or is only logged (warning)."""

    WARNING = "warning"
    BLOCKING = "blocking"


class Evidence(StrEnum):
    """What an agent must give to tick an item."""

    CATEGORY = "category"
    TEXT = "text"
    LINK = "link"
    DATE = "date"
    PEOPLE = "people"


ROOT_CAUSE_CATEGORIES = (
    "Code defect",
    "Configuration",
    "Capacity",
    "Data",
    "Third party",
    "Process",
    "Unknown",
)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One step of the closure loop for a level, as the lead defined it."""

    name: str
    evidence: tuple[Evidence, ...]
    gate: Gate


@dataclass(frozen=True, slots=True)
class DefaultGates:
    """The gate a new checklist item gets: on the most severe level, and on the others."""

    top_level: Gate = Gate.BLOCKING
    other_levels: Gate = Gate.WARNING

    def for_level(self, top_severity: bool) -> Gate:
        """The gate of a new item on a level that is (or is not) the most severe."""
        return self.top_level if top_severity else self.other_levels


def default_checklist(
    top_severity: bool,
    gates: DefaultGates = DefaultGates(),
) -> tuple[ChecklistItem, ...]:
    """Root cause, procedure/KB and debrief; by default blocking for the top level, warning
    below."""
    gate = gates.for_level(top_severity)
    return (
        ChecklistItem("Root cause documented", (Evidence.CATEGORY, Evidence.TEXT), gate),
        ChecklistItem("Procedure / KB updated", (Evidence.LINK,), gate),
        ChecklistItem("Team debriefed", (Evidence.DATE, Evidence.PEOPLE), gate),
    )


@dataclass(frozen=True, slots=True)
class EntryState:
    """An escalation's copy of an item: done, waived, or still open."""

    name: str
    gate: Gate
    done: bool = False
    waived: bool = False


def missing(entries: Iterable[EntryState]) -> list[EntryState]:
    """Items neither done nor waived."""
    return [e for e in entries if not (e.done or e.waived)]


def blocking_missing(entries: Iterable[EntryState]) -> list[EntryState]:
    """The missing items that refuse closing."""
    return [e for e in missing(entries) if e.gate is Gate.BLOCKING]


class ClosureRefusedError(ValueError):
    """Closing refused by a blocking item; ``missing`` names what is still needed."""

    def __init__(self, ref: str, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            f"{ref} cannot be closed yet: the closure loop still needs {', '.join(missing)}. "
            "Complete it, or waive it with a reason."
        )


def check_closure(ref: str, entries: Iterable[EntryState]) -> list[str]:
    """Whether ``ref`` may close: raises for blocking gaps, returns the warning items skipped."""
    entries = list(entries)
    blocking = blocking_missing(entries)
    if blocking:
        raise ClosureRefusedError(ref, [e.name for e in blocking])
    return [e.name for e in missing(entries)]


def check_evidence(kinds: Iterable[Evidence], evidence: dict[str, object]) -> dict[str, object]:
    """The evidence an item needs, cleaned; ValueError with a sentence when some is missing."""
    cleaned: dict[str, object] = {}
    for kind in kinds:
        value = evidence.get(kind.value)
        if kind is Evidence.PEOPLE:
            listed = value if isinstance(value, list | tuple) else []
            people = [str(p).strip() for p in listed if str(p).strip()]
            if not people:
                raise ValueError("Say who took part: at least one name.")
            cleaned[kind.value] = people
            continue
        text = str(value or "").strip()
        if not text:
            raise ValueError(_EVIDENCE_NEEDED[kind])
        if kind is Evidence.LINK and not text.startswith(("http://", "https://")):
            raise ValueError(f"{text} is not a link; paste the address, starting with https://")
        if kind is Evidence.DATE:
            try:
                date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"{text} is not a date; write it as 2026-11-26.") from None
        if kind is Evidence.CATEGORY and text not in ROOT_CAUSE_CATEGORIES:
            raise ValueError(f"Choose a root-cause category: {', '.join(ROOT_CAUSE_CATEGORIES)}.")
        cleaned[kind.value] = text
    return cleaned


_EVIDENCE_NEEDED = {
    Evidence.CATEGORY: "Choose a root-cause category.",
    Evidence.TEXT: "Write what happened: a sentence or two.",
    Evidence.LINK: "Paste the link to the updated procedure or article.",
    Evidence.DATE: "Give the date of the debrief.",
    Evidence.PEOPLE: "Say who took part: at least one name.",
}


@dataclass(frozen=True, slots=True)
class ClosedLoop:
    """A closed escalation's root cause and whether its loop was complete."""

    ref: str
    module: str
    root_cause: str | None
    closed_at: datetime
    complete: bool


@dataclass(frozen=True, slots=True)
class RepeatGroup:
    """Escalations with one root-cause category in one module, close together in time."""

    root_cause: str
    module: str
    refs: tuple[str, ...]


def repeat_groups(loops: Iterable[ClosedLoop], window_days: int = 30) -> list[RepeatGroup]:
    """Groups of two or more escalations, same root cause and module, each within
    ``window_days`` of the previous one: "third time this month"."""
    by_cause: dict[tuple[str, str], list[ClosedLoop]] = {}
    for loop in loops:
        if loop.root_cause:
            by_cause.setdefault((loop.root_cause, loop.module), []).append(loop)
    groups: list[RepeatGroup] = []
    window = timedelta(days=window_days)
    for (cause, module), found in sorted(by_cause.items()):
        found.sort(key=lambda loop: loop.closed_at)
        run = [found[0]]
        for loop in found[1:]:
            if loop.closed_at - run[-1].closed_at <= window:
                run.append(loop)
                continue
            if len(run) > 1:
                groups.append(RepeatGroup(cause, module, tuple(r.ref for r in run)))
            run = [loop]
        if len(run) > 1:
            groups.append(RepeatGroup(cause, module, tuple(r.ref for r in run)))
    return sorted(groups, key=lambda g: -len(g.refs))


def completion_rate(loops: Iterable[ClosedLoop]) -> float:
    """Share of closed escalations whose closure loop was complete (1.0 when none closed)."""
    loops = list(loops)
    return sum(loop.complete for loop in loops) / len(loops) if loops else 1.0


def follow_up_overdue(due: datetime | None, done_at: datetime | None, now: datetime) -> bool:
    """A follow-up not done by its due time."""
    return done_at is None and due is not None and due < now
