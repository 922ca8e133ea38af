"""The closure loop: checklist items, their evidence and gates, and what blocks closing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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


def default_checklist(top_severity: bool) -> tuple[ChecklistItem, ...]:
    """Root cause, procedure/KB and debrief; blocking for the top level, warning below."""
    gate = Gate.BLOCKING if top_severity else Gate.WARNING
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
