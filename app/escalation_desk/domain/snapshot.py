"""The matrix as one value: levels, routing and directory, as edited, published and linted."""

from __future__ import annotations

from dataclasses import dataclass

from escalation_desk.domain.directory import Person, Role, Team
from escalation_desk.domain.matrix import SeverityLevel
from escalation_desk.domain.routing import RoutingRule


@dataclass(frozen=True, slots=True)
class MatrixSnapshot:
    """Everything that decides where an escalation goes and how fast, at one moment.

    ``levels`` are ordered most severe first (rank 1 first); ``routing`` in rule order.
    ``used_modules`` and ``used_issue_types`` are what escalations in the workspace name, so
    that the linter can point at those no rule routes.
    """

    levels: tuple[SeverityLevel, ...] = ()
    routing: tuple[RoutingRule, ...] = ()
    roles: tuple[Role, ...] = ()
    teams: tuple[Team, ...] = ()
    people: tuple[Person, ...] = ()
    used_modules: tuple[str, ...] = ()
    used_issue_types: tuple[str, ...] = ()

    def level(self, code: str) -> SeverityLevel | None:
        """The level with this code."""
        return next((lv for lv in self.levels if lv.code == code), None)

    def role(self, name: str) -> Role | None:
        """The role with this name."""
        return next((r for r in self.roles if r.name == name), None)

    def team(self, name: str) -> Team | None:
        """The team with this name."""
        return next((t for t in self.teams if t.name == name), None)
