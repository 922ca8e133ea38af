"""What changed between two matrix snapshots, as sentences a support lead can review."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from escalation_desk.domain.directory import Role, Team
from escalation_desk.domain.durations import Duration, format_duration
from escalation_desk.domain.matrix import EscalationStep, SeverityLevel
from escalation_desk.domain.routing import RoutingRule
from escalation_desk.domain.snapshot import MatrixSnapshot

__all__ = ["Change", "ChangeKind", "diff"]

_T = TypeVar("_T")
_K = TypeVar("_K", bound=Hashable)

_ARROW = "→"


class ChangeKind(StrEnum):
    """Whether something was added, removed or changed."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: what it is about ("level P2", "routing rule 4") and what happened.

    For a part of a level (a contact, a trigger, a step) ``kind`` says what happened to that
    part, while ``subject`` stays the level it belongs to.
    """

    kind: ChangeKind
    subject: str
    text: str


def diff(old: MatrixSnapshot, new: MatrixSnapshot) -> list[Change]:
    """The changes from ``old`` to ``new``: levels, then routing, then roles, then teams.

    Within each part, things appear in the new order, followed by what was removed in the
    old order.
    """
    return [
        *_level_changes(old.levels, new.levels),
        *_routing_changes(old.routing, new.routing),
        *_role_changes(old.roles, new.roles),
        *_team_changes(old.teams, new.teams),
    ]


# --- levels -----------------------------------------------------------------------------------


def _level_changes(
    old: tuple[SeverityLevel, ...], new: tuple[SeverityLevel, ...]
) -> Iterator[Change]:
    before = sorted(old, key=lambda level: level.rank)
    after = sorted(new, key=lambda level: level.rank)
    pairs, removed = _pair(before, after, lambda level: level.code)
    moved = _moved(pairs)
    for index, (old_index, level) in enumerate(pairs):
        subject = f"level {level.code}"
        if old_index is None:
            target = (
                f", target response {format_duration(level.target_response)}"
                if level.target_response is not None
                else ""
            )
            yield Change(ChangeKind.ADDED, subject, f"New level {level.label}{target}")
            continue
        was = before[old_index]
        if index in moved:
            yield Change(
                ChangeKind.CHANGED,
                subject,
                f"Moved from rank {was.rank} to rank {level.rank}",
            )
        yield from _level_fields(subject, was, level)
    for level in removed:
        yield Change(ChangeKind.REMOVED, f"level {level.code}", f"Level {level.label} removed")


def _level_fields(subject: str, was: SeverityLevel, now: SeverityLevel) -> Iterator[Change]:
    def changed(label: str, before: str, after: str) -> Iterator[Change]:
        if before != after:
            yield Change(ChangeKind.CHANGED, subject, f"{label} {before} {_ARROW} {after}")

    yield from changed("Name", _quoted(was.name), _quoted(now.name))
    yield from changed("Colour", was.colour or "none", now.colour or "none")
    yield from changed(
        "Target response", _duration(was.target_response), _duration(now.target_response)
    )
    yield from changed("Update every", _duration(was.update_every), _duration(now.update_every))
    yield from changed(
        "Target resolution", _duration(was.target_resolution), _duration(now.target_resolution)
    )
    yield from changed("Method", _quoted(was.method), _quoted(now.method))
    gone, came = _multiset_diff(was.contacts, now.contacts)
    for name in came:
        yield Change(ChangeKind.ADDED, subject, f"New contact: {name}")
    for name in gone:
        yield Change(ChangeKind.REMOVED, subject, f"Contact removed: {name}")
    gone, came = _multiset_diff(
        [t.sentence() for t in was.triggers], [t.sentence() for t in now.triggers]
    )
    for sentence in came:
        yield Change(ChangeKind.ADDED, subject, f'New trigger: "{sentence}"')
    for sentence in gone:
        yield Change(ChangeKind.REMOVED, subject, f'Trigger removed: "{sentence}"')
    yield from _step_changes(subject, was, now)
    yield from changed("Engineer role", was.engineer_role or "none", now.engineer_role or "none")
    yield from changed("Liaison role", was.liaison_role or "none", now.liaison_role or "none")
    yield from changed("Updates logged by", was.updates_by.value, now.updates_by.value)
    if was.hand_back != now.hand_back:
        if not now.hand_back.strip():
            text = "Hand-back rule cleared"
        else:
            text = f'Hand-back rule now reads: "{now.hand_back.strip()}"'
        yield Change(ChangeKind.CHANGED, subject, text)


def _step_changes(subject: str, was: SeverityLevel, now: SeverityLevel) -> Iterator[Change]:
    def when(level: SeverityLevel, step: EscalationStep) -> str:
        # A step's minutes run on its level's clock, business hours or around the clock.
        if step.after_minutes == 0:
            return "immediately"
        return "after " + format_duration(Duration(step.after_minutes, level.business_hours))

    before = {step.who(): [s for s in was.steps if s.who() == step.who()] for step in was.steps}
    after = {step.who(): [s for s in now.steps if s.who() == step.who()] for step in now.steps}
    for who in after:
        olds, news = before.get(who, []), after[who]
        # One step for the same person on each side is the same step, brought in at a new time.
        if len(olds) == 1 and len(news) == 1:
            if when(was, olds[0]) != when(now, news[0]):
                yield Change(
                    ChangeKind.CHANGED,
                    subject,
                    f"Step {who}: {when(was, olds[0])} {_ARROW} {when(now, news[0])}",
                )
            continue
        gone, came = _multiset_diff([when(was, s) for s in olds], [when(now, s) for s in news])
        for time in came:
            yield Change(ChangeKind.ADDED, subject, f"New step: bring in {who} {time}")
        for time in gone:
            yield Change(ChangeKind.REMOVED, subject, f"Step removed: {who} {time}")
    for who, olds in before.items():
        if who not in after:
            for step in olds:
                yield Change(ChangeKind.REMOVED, subject, f"Step removed: {who} {when(was, step)}")


# --- routing ----------------------------------------------------------------------------------


def _routing_changes(
    old: tuple[RoutingRule, ...], new: tuple[RoutingRule, ...]
) -> Iterator[Change]:
    before = sorted(old, key=lambda rule: rule.order)
    after = sorted(new, key=lambda rule: rule.order)
    pairs, removed = _pair(before, after, lambda rule: (rule.match_on, rule.pattern))
    moved = _moved(pairs)
    for index, (old_index, rule) in enumerate(pairs):
        subject = f"routing rule {rule.order}"
        what = f"{rule.match_on.value.replace('_', ' ')} {rule.pattern}"
        if old_index is None:
            yield Change(ChangeKind.ADDED, subject, f"New rule: {rule.describe()}")
            continue
        was = before[old_index]
        if index in moved:
            yield Change(
                ChangeKind.CHANGED,
                subject,
                f"Rule for {what} moved from position {was.order} to {rule.order}",
            )
        if was.team != rule.team:
            yield Change(
                ChangeKind.CHANGED,
                subject,
                f"Rule for {what}: team {was.team} {_ARROW} {rule.team}",
            )
        if was.role != rule.role:
            yield Change(
                ChangeKind.CHANGED,
                subject,
                f"Rule for {what}: role {was.role} {_ARROW} {rule.role}",
            )
    for rule in removed:
        yield Change(
            ChangeKind.REMOVED, f"routing rule {rule.order}", f"Rule removed: {rule.describe()}"
        )


# --- the directory ----------------------------------------------------------------------------


def _role_changes(old: tuple[Role, ...], new: tuple[Role, ...]) -> Iterator[Change]:
    pairs, removed = _pair(old, new, lambda role: role.name)
    for old_index, role in pairs:
        subject = f"role {role.name}"
        if old_index is None:
            held = f", held by {role.holder}" if role.holder else ", held by nobody yet"
            yield Change(ChangeKind.ADDED, subject, f"New role {role.name}{held}")
            continue
        was = old[old_index]
        for label, before, after, blank in (
            ("Team", was.team, role.team, "none"),
            ("Holder", was.holder, role.holder, "nobody"),
            ("Backup", was.backup, role.backup, "nobody"),
        ):
            if before != after:
                yield Change(
                    ChangeKind.CHANGED,
                    subject,
                    f"{label} {before or blank} {_ARROW} {after or blank}",
                )
    for role in removed:
        yield Change(ChangeKind.REMOVED, f"role {role.name}", f"Role {role.name} removed")


def _team_changes(old: tuple[Team, ...], new: tuple[Team, ...]) -> Iterator[Change]:
    pairs, removed = _pair(old, new, lambda team: team.name)
    for old_index, team in pairs:
        subject = f"team {team.name}"
        if old_index is None:
            yield Change(ChangeKind.ADDED, subject, f"New team {team.name} (Tier {team.tier})")
            continue
        was = old[old_index]
        if was.tier != team.tier:
            yield Change(ChangeKind.CHANGED, subject, f"Tier {was.tier} {_ARROW} Tier {team.tier}")
        if was.calendar != team.calendar:
            yield Change(
                ChangeKind.CHANGED,
                subject,
                f"Working hours {_hours(was)} {_ARROW} {_hours(team)}",
            )
    for team in removed:
        yield Change(ChangeKind.REMOVED, f"team {team.name}", f"Team {team.name} removed")


# --- helpers ----------------------------------------------------------------------------------


def _pair(
    old: Sequence[_T], new: Sequence[_T], key: Callable[[_T], _K]
) -> tuple[list[tuple[int | None, _T]], list[_T]]:
    """Each new item with the index of its old counterpart (None when new), and the old items
    left over.

    Items with the same key are paired in order, so a duplicated key stays a pair per copy.
    """
    waiting: dict[tuple[_K, int], int] = {}
    seen: Counter[_K] = Counter()
    for index, item in enumerate(old):
        waiting[(key(item), seen[key(item)])] = index
        seen[key(item)] += 1
    seen.clear()
    pairs: list[tuple[int | None, _T]] = []
    for item in new:
        pairs.append((waiting.pop((key(item), seen[key(item)]), None), item))
        seen[key(item)] += 1
    return pairs, [old[index] for index in sorted(waiting.values())]


def _moved(pairs: Sequence[tuple[int | None, object]]) -> set[int]:
    """Indexes (into ``pairs``) of the kept items whose order among the kept ones changed.

    The longest run of kept items still in their old relative order stays put and only the
    others count as moved, so adding or removing one item, or moving one item far, does not
    make every item in between look moved too.
    """
    kept = [(index, was) for index, (was, _) in enumerate(pairs) if was is not None]
    # Longest increasing run of old positions, O(n^2): a matrix has a handful of rows. Ties go
    # to the run that ends latest, so of two swapped items the one brought forward is the one
    # reported as moved: raising a level or a rule is the edit leads usually make.
    runs: list[list[int]] = []
    for position, (_, was) in enumerate(kept):
        longest: list[int] = []
        for earlier in range(position):
            if kept[earlier][1] < was and len(runs[earlier]) >= len(longest):
                longest = runs[earlier]
        runs.append([*longest, position])
    staying: set[int] = set()
    for run in runs:
        if len(run) >= len(staying):
            staying = set(run)
    return {index for position, (index, _) in enumerate(kept) if position not in staying}


def _multiset_diff(old: Sequence[str], new: Sequence[str]) -> tuple[list[str], list[str]]:
    """What is in ``old`` but not ``new``, and what is in ``new`` but not ``old``, in order."""
    left, right = Counter(new), Counter(old)
    gone: list[str] = []
    for item in old:
        if left[item]:
            left[item] -= 1
        else:
            gone.append(item)
    came: list[str] = []
    for item in new:
        if right[item]:
            right[item] -= 1
        else:
            came.append(item)
    return gone, came


def _duration(duration: Duration | None) -> str:
    return format_duration(duration) if duration is not None else "none"


def _quoted(text: str) -> str:
    return f'"{text.strip()}"' if text.strip() else "none"


def _hours(team: Team) -> str:
    return "around the clock" if team.calendar is None else team.calendar
