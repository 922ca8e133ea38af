"""The closure loop: checklist evidence, waivers, closing, follow-ups and the review."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from escalation_desk.domain.closure import (
    ChecklistItem,
    ClosedLoop,
    DefaultGates,
    EntryState,
    Evidence,
    Gate,
    RepeatGroup,
    check_closure,
    check_evidence,
    completion_rate,
    follow_up_overdue,
    missing,
    repeat_groups,
)
from escalation_desk.domain.lifecycle import EventKind, Status, check_move
from escalation_desk.services.editing import edit
from escalation_desk.services.preferences import read_preferences
from escalation_desk.store import core
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace
from escalation_desk.store.facts import keep_facts_of

# A gate as stored; compared with the stored text for each of thousands of missing items.
_BLOCKING = Gate.BLOCKING.value


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    """One item of an escalation's closure loop, as the detail pane shows it."""

    name: str
    gate: Gate
    evidence_kinds: tuple[Evidence, ...]
    done_at: datetime | None
    done_by: str
    evidence: dict[str, object]
    waived_reason: str
    waived_by: str

    @property
    def state(self) -> str:
        """ "done", "waived" or "missing"."""
        if self.done_at is not None:
            return "done"
        return "waived" if self.waived_reason else "missing"


@dataclass(frozen=True, slots=True)
class AwaitingClosure:
    """A resolved escalation not yet closed, and what its loop still needs."""

    ref: str
    title: str
    severity: str
    colour: str
    resolved_at: datetime | None
    missing: tuple[str, ...]
    blocking: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FollowUpLine:
    """An action that came out of an escalation."""

    id: int
    ref: str
    title: str
    owner: str
    due: datetime | None
    link: str
    done_at: datetime | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class ClosureWorklist:
    """What the closure loop still asks for: resolved escalations awaiting it, follow-ups."""

    awaiting: tuple[AwaitingClosure, ...]
    follow_ups: tuple[FollowUpLine, ...]


@dataclass(frozen=True, slots=True)
class ClosureReview:
    """What the closure review screen and ``closure --json`` show."""

    awaiting: tuple[AwaitingClosure, ...]
    follow_ups: tuple[FollowUpLine, ...]
    repeat_groups: tuple[RepeatGroup, ...]
    completion_rate: float


def _line(entry: t.ChecklistEntry) -> ChecklistLine:
    kinds = tuple(Evidence(k) for k in entry.evidence_kinds.split(",") if k)
    return ChecklistLine(
        entry.name,
        Gate(entry.gate),
        kinds,
        entry.done_at,
        entry.done_by,
        json.loads(entry.evidence or "{}"),
        entry.waived_reason,
        entry.waived_by,
    )


def _states(esc: t.Escalation) -> list[EntryState]:
    return [
        EntryState(e.name, Gate(e.gate), done=e.done_at is not None, waived=bool(e.waived_reason))
        for e in esc.checklist
    ]


def close_in_session(s: Session, esc: t.Escalation, actor: str, now: datetime) -> list[str]:
    """Close ``esc``: refused while a blocking item is missing; skipped warnings are logged."""
    event = check_move(Status(esc.status), Status.CLOSED)
    skipped = check_closure(esc.ref, _states(esc))
    esc.status = Status.CLOSED.value
    esc.closed_at = now
    detail = f"Closed without: {', '.join(skipped)} (warning items)" if skipped else "Loop complete"
    s.add(
        t.EscalationEvent(
            escalation_id=esc.id, at=now, actor=actor, kind=event.value, detail=detail
        )
    )
    keep_facts_of(s, esc.id)  # its resolved stay ends; its loop now counts
    return skipped


class ClosureService:
    """Each action is one transaction; refusals are sentences and change nothing."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def checklist(self, ref: str) -> list[ChecklistLine]:
        """The escalation's closure items, in their order."""
        with self._workspace.read() as s:
            return [_line(e) for e in _escalation(s, ref).checklist]

    def complete(
        self, ref: str, item: str, evidence: dict[str, object], actor: str, now: datetime
    ) -> None:
        """Tick ``item`` with the evidence it asks for."""
        with edit(self._workspace, f"Escalation {ref}") as s:
            esc = _escalation(s, ref)
            entry = _entry(esc, item)
            kinds = tuple(Evidence(k) for k in entry.evidence_kinds.split(",") if k)
            cleaned = check_evidence(kinds, evidence)
            entry.done_at, entry.done_by, entry.evidence = now, actor, json.dumps(cleaned)
            entry.waived_reason, entry.waived_by = "", ""
            s.add(
                t.EscalationEvent(
                    escalation_id=esc.id,
                    at=now,
                    actor=actor,
                    kind=EventKind.CHECKLIST_ITEM_DONE.value,
                    detail=item,
                )
            )
            keep_facts_of(s, esc.id)

    def waive(self, ref: str, item: str, reason: str, actor: str, now: datetime) -> None:
        """Let ``item`` go, with the reason on record."""
        if not reason.strip():
            raise ValueError("A waiver needs its reason: say why this item is not needed.")
        with edit(self._workspace, f"Escalation {ref}") as s:
            esc = _escalation(s, ref)
            entry = _entry(esc, item)
            if entry.done_at is not None:
                raise ValueError(f"{item} is already done; nothing to waive.")
            entry.waived_reason, entry.waived_by = reason.strip(), actor
            s.add(
                t.EscalationEvent(
                    escalation_id=esc.id,
                    at=now,
                    actor=actor,
                    kind=EventKind.CHECKLIST_ITEM_WAIVED.value,
                    detail=f"{item}: {reason.strip()}",
                )
            )
            keep_facts_of(s, esc.id)

    def close(
        self, ref: str, actor: str, now: datetime, waivers: dict[str, str] | None = None
    ) -> list[str]:
        """Close ``ref``, after waiving the items given; returns the warning items skipped.

        All or nothing: when a blocking item is still missing, the waivers are not kept either.
        """
        with edit(self._workspace, f"Escalation {ref}") as s:
            esc = _escalation(s, ref)
            for item, reason in (waivers or {}).items():
                if not reason.strip():
                    raise ValueError(f"A waiver of {item} needs its reason.")
                entry = _entry(esc, item)
                if entry.done_at is None:
                    entry.waived_reason, entry.waived_by = reason.strip(), actor
                    s.add(
                        t.EscalationEvent(
                            escalation_id=esc.id,
                            at=now,
                            actor=actor,
                            kind=EventKind.CHECKLIST_ITEM_WAIVED.value,
                            detail=f"{item}: {reason.strip()}",
                        )
                    )
            s.flush()
            return close_in_session(s, esc, actor, now)

    def add_follow_up(
        self, ref: str, title: str, owner: str, due: datetime | None, link: str
    ) -> None:
        """Track an action that came out of the escalation."""
        if not title.strip():
            raise ValueError("Say what has to be done.")
        with edit(self._workspace, f"Escalation {ref}") as s:
            esc = _escalation(s, ref)
            s.add(
                t.FollowUp(
                    escalation_id=esc.id,
                    title=title.strip(),
                    owner=owner.strip(),
                    due=due,
                    link=link.strip(),
                )
            )

    def finish_follow_up(self, follow_up_id: int, now: datetime) -> None:
        """Mark a follow-up done."""
        with edit(self._workspace, "The follow-up") as s:
            row = s.get(t.FollowUp, follow_up_id)
            if row is None:
                raise ValueError("That follow-up no longer exists.")
            row.done_at = now

    def templates(self) -> dict[str, list[ChecklistItem]]:
        """Each level's closure checklist, by level code, most severe level first."""
        with self._workspace.read() as s:
            levels = s.scalars(
                select(t.SeverityLevel)
                .options(selectinload(t.SeverityLevel.checklist))
                .order_by(t.SeverityLevel.rank)
            ).all()
            return {
                lv.code: [
                    ChecklistItem(
                        item.name,
                        tuple(Evidence(k) for k in item.evidence.split(",") if k),
                        Gate(item.gate),
                    )
                    for item in lv.checklist
                ]
                for lv in levels
            }

    def default_gates(self) -> DefaultGates:
        """The gates the workspace gives new checklist items (File > Settings)."""
        with self._workspace.query() as conn:
            return read_preferences(conn).gates

    def set_template(self, level_code: str, items: list[ChecklistItem]) -> None:
        """Replace a level's checklist; escalations created from now on get it."""
        names = [item.name.strip() for item in items]
        if any(not name for name in names):
            raise ValueError("Every checklist item needs a name.")
        if len(set(names)) != len(names):
            raise ValueError("Two checklist items have the same name; names must differ.")
        with edit(self._workspace, f"The checklist of {level_code}") as s:
            level = s.scalar(select(t.SeverityLevel).where(t.SeverityLevel.code == level_code))
            if level is None:
                raise ValueError(f"There is no severity level {level_code}.")
            level.checklist.clear()
            s.flush()
            level.checklist = [
                t.ChecklistTemplateItem(
                    position=i,
                    name=item.name.strip(),
                    evidence=",".join(k.value for k in item.evidence),
                    gate=item.gate.value,
                )
                for i, item in enumerate(items)
            ]

    def worklist(self, now: datetime) -> ClosureWorklist:
        """The review's awaiting loops and follow-ups only: without the closed escalations'
        history, which the workbook's closure sheet does not show."""
        with self._workspace.read() as s:
            return ClosureWorklist(_awaiting(s), _follow_up_lines(s, now))

    def review(self, now: datetime) -> ClosureReview:
        """Resolved-but-open loops, follow-ups, repeat incidents and the completion rate.

        Plain rows, not loaded records: a workspace with a long imported history holds tens
        of thousands of closed escalations.
        """
        with self._workspace.read() as s:
            awaiting, lines, loops = _awaiting(s), _follow_up_lines(s, now), _closed_loops(s)
        return ClosureReview(awaiting, lines, tuple(repeat_groups(loops)), completion_rate(loops))


def _awaiting(s: Session) -> tuple[AwaitingClosure, ...]:
    """Resolved escalations, longest resolved first, with the items their loops still need."""
    esc, level, entry = core.escalations.c, core.severity_levels.c, core.checklist_entries.c
    # Only the missing items are read (neither done nor waived, as missing() has it): most
    # of a resolved escalation's loop is usually done.
    gaps: dict[int, list[tuple[str, str]]] = {}
    for escalation_id, name, gate in s.execute(
        select(entry.escalation_id, entry.name, entry.gate)
        .join(core.escalations, esc.id == entry.escalation_id)
        .where(
            esc.status == Status.RESOLVED.value,
            entry.done_at.is_(None),
            entry.waived_reason == "",
        )
        .order_by(entry.escalation_id, entry.position)
    ).all():
        gaps.setdefault(escalation_id, []).append((name, gate))
    # Rows unpacked by position: reading a Core row by name costs ten times as much.
    return tuple(
        AwaitingClosure(
            ref, title, code, colour, resolved_at, *_named(tuple(gaps.get(escalation_id, ())))
        )
        for escalation_id, ref, title, code, colour, resolved_at in s.execute(
            select(esc.id, esc.ref, esc.title, level.code, level.colour, esc.resolved_at)
            .join(core.severity_levels, level.id == esc.severity_id)
            .where(esc.status == Status.RESOLVED.value)
            .order_by(esc.resolved_at)
        ).all()
    )


@lru_cache(maxsize=256)
def _named(gaps: tuple[tuple[str, str], ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The missing items' names, and those of the blocking ones among them.

    Cached: resolved escalations share a few checklists, so a few lists of gaps.
    """
    return (
        tuple(name for name, _ in gaps),
        tuple(name for name, gate in gaps if gate == _BLOCKING),
    )


def _follow_up_lines(s: Session, now: datetime) -> tuple[FollowUpLine, ...]:
    """Every follow-up, open ones first, soonest due first."""
    return tuple(
        FollowUpLine(
            f.id,
            ref,
            f.title,
            f.owner,
            f.due,
            f.link,
            f.done_at,
            follow_up_overdue(f.due, f.done_at, now),
        )
        for f, ref in s.execute(
            select(t.FollowUp, t.Escalation.ref)
            .join(t.Escalation, t.Escalation.id == t.FollowUp.escalation_id)
            .order_by(t.FollowUp.done_at.is_not(None), t.FollowUp.due)
        ).all()
    )


def _closed_loops(s: Session) -> list[ClosedLoop]:
    """Every closed escalation's loop, for the repeat incidents and the completion rate."""
    esc = core.escalations.c
    entries = _entries_by_escalation(s, Status.CLOSED)
    return [
        _loop(ref, module or issue_type, ended, entries.get(escalation_id, ()))
        for escalation_id, ref, module, issue_type, ended in s.execute(
            select(
                esc.id,
                esc.ref,
                esc.module,
                esc.issue_type,
                # One time read instead of three: stored times are never false.
                func.coalesce(esc.closed_at, esc.resolved_at, esc.created_at),
            ).where(esc.status == Status.CLOSED.value)
        ).all()
    ]


# An entry's state, and its root-cause category when it carries one.
_Entry = tuple[EntryState, str | None]


def _entries_by_escalation(s: Session, status: Status) -> dict[int, list[_Entry]]:
    """The checklist entries of every escalation in ``status``, in checklist order."""
    entry, esc = core.checklist_entries.c, core.escalations.c
    found: dict[int, list[_Entry]] = {}
    # Escalations share a few checklists: each distinct entry state, and whether a list of
    # evidence kinds holds a category, is worked out once rather than for every one of tens of
    # thousands of entries. A state is frozen, so sharing it is safe.
    states: dict[tuple[str, str, bool, bool], EntryState] = {}
    has_category: dict[str, bool] = {}
    for escalation_id, name, gate, done, waived_reason, kinds, evidence in s.execute(
        select(
            entry.escalation_id,
            entry.name,
            entry.gate,
            entry.done_at.is_not(None).label("done"),
            entry.waived_reason,
            entry.evidence_kinds,
            entry.evidence,
        )
        .join(core.escalations, esc.id == entry.escalation_id)
        .where(esc.status == status.value)
        .order_by(entry.escalation_id, entry.position)
    ).all():
        waived = bool(waived_reason)
        state = states.get((name, gate, done, waived))
        if state is None:
            state = EntryState(name, Gate(gate), done=done, waived=waived)
            states[name, gate, done, waived] = state
        if kinds not in has_category:
            has_category[kinds] = Evidence.CATEGORY.value in kinds.split(",")
        # Most entries are still empty: "{}" holds no category and needs no parsing.
        cause = (
            json.loads(evidence).get("category") or None
            if has_category[kinds] and evidence not in (None, "", "{}")
            else None
        )
        found.setdefault(escalation_id, []).append((state, cause))
    return found


def _loop(ref: str, module: str, closed_at: datetime, entries: Sequence[_Entry]) -> ClosedLoop:
    """A closed escalation's loop; its root cause is the last category its checklist holds."""
    causes = [cause for _, cause in entries if cause]
    return ClosedLoop(
        ref,
        module,
        causes[-1] if causes else None,
        closed_at,
        not missing(state for state, _ in entries),
    )


def _escalation(s: Session, ref: str) -> t.Escalation:
    esc = s.scalar(select(t.Escalation).where(t.Escalation.ref == ref))
    if esc is None:
        raise ValueError(f"There is no escalation {ref}.")
    return esc


def _entry(esc: t.Escalation, item: str) -> t.ChecklistEntry:
    entry = next((e for e in esc.checklist if e.name == item), None)
    if entry is None:
        names = ", ".join(e.name for e in esc.checklist) or "none"
        raise ValueError(f"{esc.ref} has no closure item called {item} (it has: {names}).")
    return entry
