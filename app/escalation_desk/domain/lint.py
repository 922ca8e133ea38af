"""The matrix linter: findings that say what in a matrix would let an escalation go wrong."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from fnmatch import fnmatchcase

from escalation_desk.domain.durations import Duration, format_duration
from escalation_desk.domain.matrix import SeverityLevel, TriggerKind
from escalation_desk.domain.routing import MatchOn, RoutingRule, route
from escalation_desk.domain.snapshot import MatrixSnapshot

__all__ = ["Finding", "Location", "Severity", "lint"]

# A business minute only ticks in working hours: an 8-hour working day stands for about a
# calendar day, so business time is weighed three times calendar time when levels are compared.
BUSINESS_WEIGHT = 3

_SCREENS = ("matrix", "routing", "directory")
_WILDCARDS = frozenset("*?[")


class Severity(StrEnum):
    """How bad a finding is: an error breaks escalations, a warning makes them fragile."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points, so the UI can jump to the screen, row and column concerned.

    ``screen`` is "matrix", "routing" or "directory"; ``row`` a level code, a routing rule's
    order (or an unrouted module or issue type), or a role name; ``column`` the field.
    """

    screen: str
    row: str
    column: str = ""

    def __str__(self) -> str:
        if self.screen == "routing" and self.row.isdigit():
            parts = [self.screen, "rule", self.row, self.column]
        else:
            parts = [self.screen, self.row, self.column]
        return " ".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem the linter found, with a stable code and a sentence for the support lead."""

    severity: Severity
    code: str
    message: str
    where: Location

    def as_json(self) -> dict[str, str]:
        """The finding as plain strings, for scripts and the command line."""
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "where": str(self.where),
        }


def lint(snapshot: MatrixSnapshot) -> list[Finding]:
    """Every finding on the snapshot: errors first, then in screen and row order."""
    findings = [
        *_level_findings(snapshot),
        *_target_order_findings(snapshot),
        *_single_point_of_failure(snapshot),
        *_calendar_findings(snapshot),
        *_routing_findings(snapshot),
        *_directory_findings(snapshot),
    ]
    rows = _row_positions(snapshot)

    def position(finding: Finding) -> tuple[int, int, int]:
        where = finding.where
        screen = _SCREENS.index(where.screen) if where.screen in _SCREENS else len(_SCREENS)
        row = rows.get((where.screen, where.row), len(rows))
        return (0 if finding.severity is Severity.ERROR else 1, screen, row)

    # sorted() is stable, so findings on one row keep the order the checks produced them in.
    return sorted(findings, key=position)


# --- the matrix -----------------------------------------------------------------------------


def _level_findings(snapshot: MatrixSnapshot) -> Iterator[Finding]:
    for level in snapshot.levels:
        if not _names(level.contacts):
            yield _matrix(
                Severity.ERROR,
                "level-no-contact",
                f"{level.code} has no escalation contact: agents would not know whom to bring "
                "in. Name at least one role.",
                level,
                "contacts",
            )
        if not level.method.strip():
            yield _matrix(
                Severity.WARNING,
                "level-no-method",
                f"{level.code} does not say how to escalate (for example a Jira ticket plus a "
                "Teams post with the link), so agents may fall back on chat or direct messages.",
                level,
                "method",
            )
        if level.target_response is None:
            yield _matrix(
                Severity.ERROR,
                "level-no-target",
                f"{level.code} has no target response time, so nobody can tell when an "
                "escalation is late.",
                level,
                "target_response",
            )
        else:
            yield from _late_triggers(level, level.target_response)


def _late_triggers(level: SeverityLevel, target: Duration) -> Iterator[Finding]:
    limit = _comparable(target)
    for trigger in level.triggers:
        after = trigger.after if trigger.kind is TriggerKind.TIME else None
        if after is not None and _comparable(after) > limit:
            yield _matrix(
                Severity.WARNING,
                "trigger-after-target",
                f'{level.code}: the trigger "{trigger.sentence()}" only fires after the '
                f"target response ({format_duration(target)}) has already passed.",
                level,
                "triggers",
            )
    for step in level.steps:
        # A step's minutes run on the level's own clock, the same clock as its target.
        if step.after_minutes > target.minutes:
            when = format_duration(Duration(step.after_minutes, target.business))
            yield _matrix(
                Severity.WARNING,
                "trigger-after-target",
                f"{level.code}: {step.who()} is only brought in after {when}, later than the "
                f"target response ({format_duration(target)}).",
                level,
                "steps",
            )


def _target_order_findings(snapshot: MatrixSnapshot) -> Iterator[Finding]:
    timed = [
        (level.rank, index, level, level.target_response)
        for index, level in enumerate(snapshot.levels)
        if level.target_response is not None
    ]
    timed.sort(key=lambda entry: entry[:2])
    for position, (rank, _, severe, severe_target) in enumerate(timed):
        for milder_rank, _, milder, milder_target in timed[position + 1 :]:
            if milder_rank == rank:
                continue  # Two levels of equal rank say nothing about which should be faster.
            if _comparable(severe_target) > _comparable(milder_target):
                yield _matrix(
                    Severity.ERROR,
                    "targets-not-faster",
                    f"{severe.code} must be answered faster than {milder.code}, but its target "
                    f"response ({format_duration(severe_target)}) is slower than "
                    f"{milder.code}'s ({format_duration(milder_target)}): a more severe level "
                    "should never wait longer.",
                    severe,
                    "target_response",
                )


def _single_point_of_failure(snapshot: MatrixSnapshot) -> Iterator[Finding]:
    if not snapshot.levels:
        return
    top = snapshot.levels[0]
    holders: set[str] = set()
    for name in _names(top.contacts):
        role = snapshot.role(name)
        holder = _person(role.holder) if role is not None else None
        if holder is not None:
            holders.add(holder)
    if len(holders) == 1:
        (person,) = holders
        yield _matrix(
            Severity.WARNING,
            "single-point-of-failure",
            f"Every {top.code} contact is held by {person}: if they are away, nobody else is "
            f"called for a {top.code}. Make someone else hold at least one of these roles.",
            top,
            "contacts",
        )


def _calendar_findings(snapshot: MatrixSnapshot) -> Iterator[Finding]:
    for level in snapshot.levels:
        if level.business_hours:
            continue
        named: dict[str, str] = {}
        # The first place a role is named is where the finding points.
        for name in _names(level.contacts):
            named.setdefault(name, "contacts")
        for name in _names((level.engineer_role or "",)):
            named.setdefault(name, "owner")
        for name in _names(step.role or "" for step in level.steps):
            named.setdefault(name, "steps")
        for name, column in named.items():
            role = snapshot.role(name)
            team = snapshot.team(role.team) if role is not None and role.team else None
            if team is None or team.calendar is None:
                continue
            yield _matrix(
                Severity.WARNING,
                "calendar-mismatch",
                f"{level.code} runs around the clock, but {name} belongs to {team.name}, a team "
                f'that keeps business hours (calendar "{team.calendar}"), so out of hours '
                "nobody may answer.",
                level,
                column,
            )


# --- routing ----------------------------------------------------------------------------------


def _routing_findings(snapshot: MatrixSnapshot) -> Iterator[Finding]:
    rules = sorted(snapshot.routing, key=lambda rule: rule.order)
    for rule, earlier in _shadowing(rules):
        if earlier is not None:
            yield Finding(
                Severity.WARNING,
                "rule-shadowed",
                f"Rule {rule.order} ({rule.describe()}) never applies: rule {earlier.order} "
                f"({earlier.describe()}) comes first and catches everything it would.",
                Location("routing", str(rule.order), "pattern"),
            )
    for what, names in (
        (MatchOn.MODULE, snapshot.used_modules),
        (MatchOn.ISSUE_TYPE, snapshot.used_issue_types),
    ):
        for name in dict.fromkeys(_names(names)):
            if what is MatchOn.MODULE:
                found, label = route(rules, name), f"the module {name}"
            else:
                found, label = route(rules, "", name), f"the issue type {name}"
            if found is None:
                yield Finding(
                    Severity.WARNING,
                    "unrouted-module",
                    f"No routing rule covers {label}, so its escalations reach nobody. Add a "
                    'rule for it, or a last rule with the pattern "*" to catch the rest.',
                    Location("routing", name),
                )


def _shadowing(rules: list[RoutingRule]) -> Iterator[tuple[RoutingRule, RoutingRule | None]]:
    """Each rule with the first earlier rule that shadows it, if any.

    Only catch-alls, equal patterns and wildcard patterns can shadow, so the earlier rules are
    kept in those three forms rather than compared pairwise: hundreds of rules stay cheap.
    """
    catch_all: RoutingRule | None = None
    literal: dict[tuple[MatchOn, str], RoutingRule] = {}
    globs: list[RoutingRule] = []
    for rule in rules:
        pattern = rule.pattern.strip().casefold()
        candidates = [catch_all, literal.get((rule.match_on, pattern))] if pattern else []
        if pattern and not (_WILDCARDS & set(pattern)):
            candidates += [g for g in globs if _shadows(g, rule)][:1]
        found = [c for c in candidates if c is not None]
        yield rule, min(found, key=lambda c: c.order) if found else None
        if not pattern:
            continue
        if pattern == "*":
            catch_all = catch_all or rule
        literal.setdefault((rule.match_on, pattern), rule)
        if _WILDCARDS & set(pattern):
            globs.append(rule)


def _shadows(earlier: RoutingRule, later: RoutingRule) -> bool:
    """Whether ``earlier`` matches everything ``later`` matches, so ``later`` never fires."""
    first = earlier.pattern.strip().casefold()
    second = later.pattern.strip().casefold()
    if not first or not second:
        return False  # An empty pattern matches nothing, so it neither shadows nor is shadowed.
    if first == "*":
        return True  # RoutingRule.matches lets "*" through before it looks at the subject.
    if earlier.match_on is not later.match_on:
        return False
    if first == second:
        return True
    # A wildcard pattern is a set of subjects; only a literal one is safe to test as a subject.
    return not (_WILDCARDS & set(second)) and fnmatchcase(second, first)


# --- the directory ----------------------------------------------------------------------------


def _directory_findings(snapshot: MatrixSnapshot) -> Iterator[Finding]:
    for role in snapshot.roles:
        holder = _person(role.holder)
        if holder is None:
            yield Finding(
                Severity.ERROR,
                "role-no-holder",
                f"Nobody holds the role {role.name}, so escalations sent to it reach no one.",
                Location("directory", role.name, "holder"),
            )
        if _person(role.backup) is None:
            yield Finding(
                Severity.WARNING,
                "role-no-backup",
                f"{role.name} has no backup: when {holder or 'the holder'} is away, nobody "
                "stands in and escalations to the role wait.",
                Location("directory", role.name, "backup"),
            )


# --- helpers ----------------------------------------------------------------------------------


def _matrix(
    severity: Severity, code: str, message: str, level: SeverityLevel, column: str
) -> Finding:
    return Finding(severity, code, message, Location("matrix", level.code, column))


def _comparable(duration: Duration) -> int:
    return duration.minutes * BUSINESS_WEIGHT if duration.business else duration.minutes


def _names(values: Iterable[str]) -> list[str]:
    """The non-blank names, stripped: a blank cell names nobody."""
    return [value.strip() for value in values if value.strip()]


def _person(name: str | None) -> str | None:
    return name.strip() or None if name else None


def _row_positions(snapshot: MatrixSnapshot) -> dict[tuple[str, str], int]:
    """Each row's position on its screen, as the screen lists it."""
    positions: dict[tuple[str, str], int] = {}
    for index, level in enumerate(snapshot.levels):
        positions.setdefault(("matrix", level.code), index)
    rules = sorted(snapshot.routing, key=lambda rule: rule.order)
    for index, rule in enumerate(rules):
        positions.setdefault(("routing", str(rule.order)), index)
    # Unrouted names have no row of their own yet; they follow the rules, in the order used.
    for index, name in enumerate(
        _names((*snapshot.used_modules, *snapshot.used_issue_types)), start=len(rules)
    ):
        positions.setdefault(("routing", name), index)
    for index, role in enumerate(snapshot.roles):
        positions.setdefault(("directory", role.name), index)
    return positions
