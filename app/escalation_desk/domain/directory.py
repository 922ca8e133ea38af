"""The people & roles directory: teams with their tier, named roles held by people."""

from __future__ import annotations

from dataclasses import dataclass

MAX_TIER = 9  # support tiers count from 1; an import, a step and a team all stop here


@dataclass(frozen=True, slots=True)
class Team:
    """A group that receives escalations; its tier says how much expertise it brings."""

    name: str
    tier: int
    calendar: str | None = None  # None: works around the clock


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who can hold a role."""

    name: str
    email: str = ""
    team: str | None = None


@dataclass(frozen=True, slots=True)
class Role:
    """A named role ("Infra on-call lead") held by a person, with a backup."""

    name: str
    team: str | None
    holder: str | None
    backup: str | None = None

    def on_duty(self, away: frozenset[str] = frozenset()) -> str | None:
        """Who answers for the role: the holder, else the backup, skipping people away."""
        for person in (self.holder, self.backup):
            if person and person not in away:
                return person
        return None
