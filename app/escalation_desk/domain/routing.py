"""Routing paths: module or issue type -> team -> named role, first matching rule wins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fnmatch import fnmatchcase


class MatchOn(StrEnum):
    """What a routing rule looks at."""

    MODULE = "module"
    ISSUE_TYPE = "issue_type"


@dataclass(frozen=True, slots=True)
class RoutingRule:
    """One ordered rule; ``pattern`` may use shell wildcards ("*" matches anything)."""

    order: int
    match_on: MatchOn
    pattern: str
    team: str
    role: str

    def matches(self, module: str, issue_type: str = "") -> bool:
        """Whether the rule applies; comparison ignores case and surrounding spaces."""
        subject = module if self.match_on is MatchOn.MODULE else issue_type
        subject = subject.strip().casefold()
        pattern = self.pattern.strip().casefold()
        if not pattern:
            return False
        if pattern == "*":
            return True
        return bool(subject) and fnmatchcase(subject, pattern)

    def describe(self) -> str:
        """The rule as a readable line: "module Database -> Infra / SRE -> Infra on-call lead"."""
        what = "module" if self.match_on is MatchOn.MODULE else "issue type"
        return f"{what} {self.pattern} -> {self.team} -> {self.role}"


def route(rules: Iterable[RoutingRule], module: str, issue_type: str = "") -> RoutingRule | None:
    """The first rule, in order, that matches; None when no rule does."""
    for rule in sorted(rules, key=lambda r: r.order):
        if rule.matches(module, issue_type):
            return rule
    return None
