"""The directory: who holds and backs up each named role, teams' tiers and hours, new entries."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Column, String, select
from sqlalchemy.orm import Session

from escalation_desk.domain.directory import MAX_TIER
from escalation_desk.services.editing import ChangedElsewhereError, edit, find_named
from escalation_desk.store import core
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace

_Entry = TypeVar("_Entry", t.Person, t.Role)


@dataclass(frozen=True, slots=True)
class NewPerson:
    """Someone added to the directory: a name, the team they are in, and an e-mail address."""

    name: str
    team: str | None = None
    email: str = ""


@dataclass(frozen=True, slots=True)
class RoleCover:
    """Who answers for a named role: its holder, else its backup (None: vacant, none)."""

    holder: str | None
    backup: str | None


@dataclass(frozen=True, slots=True)
class TeamSetup:
    """A team's support tier, and the calendar of its working hours (None: around the clock)."""

    tier: int
    calendar: str | None


@dataclass(frozen=True, slots=True)
class NewRole:
    """A named role added to the directory: its team and who covers it."""

    name: str
    team: str | None = None
    cover: RoleCover = RoleCover(None, None)


class DirectoryService:
    """Reads and changes the directory: people, roles and their cover, teams; each change is
    one transaction."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def people(self) -> list[str]:
        """Everyone who can hold or back up a role, by name."""
        with self._workspace.read() as s:
            return list(s.scalars(select(t.Person.name).order_by(t.Person.name)))

    def calendars(self) -> list[str]:
        """The calendars a team can keep the hours of, by name."""
        with self._workspace.read() as s:
            return list(s.scalars(select(t.Calendar.name).order_by(t.Calendar.name)))

    def team_setup(self, team: str) -> TeamSetup:
        """The tier and hours of ``team`` as stored now."""
        with self._workspace.read() as s:
            return _setup_of(find_named(s, t.Team, team, "team"))

    def set_team_setup(self, team: str, seen: TeamSetup, setup: TeamSetup) -> None:
        """Give ``team`` a tier and hours; ``seen`` guards against a change made meanwhile."""
        if not 1 <= setup.tier <= MAX_TIER:
            raise ValueError(
                f"A support tier is 1 to {MAX_TIER}; {team} cannot be tier {setup.tier}."
            )
        with edit(self._workspace, f"The team {team}") as s:
            row = _as_seen(s, t.Team, team, "team", lambda r: _setup_of(r) == seen)
            if row is None:
                raise ChangedElsewhereError(_changed_meanwhile(f"{team}'s tier or hours"))
            row.tier = setup.tier
            row.calendar = (
                find_named(s, t.Calendar, setup.calendar, "calendar") if setup.calendar else None
            )

    def cover(self, role: str) -> RoleCover:
        """The holder and backup of ``role`` as stored now."""
        with self._workspace.read() as s:
            return _cover_of(find_named(s, t.Role, role, "role"))

    def set_cover(self, role: str, seen: RoleCover, cover: RoleCover) -> None:
        """Make ``cover`` the role's holder and backup.

        ``seen`` is the cover the user changed; when the stored one differs, someone else
        changed it meanwhile and ChangedElsewhereError says so, with nothing written.
        """
        _refuse_double(cover)
        with edit(self._workspace, f"The role {role}") as s:
            row = _as_seen(s, t.Role, role, "role", lambda r: _cover_of(r) == seen)
            if row is None:
                raise ChangedElsewhereError(_changed_meanwhile(f"Who covers {role}"))
            row.holder = _person(s, cover.holder)
            row.backup = _person(s, cover.backup)

    def add_person(self, person: NewPerson) -> NewPerson:
        """Add someone who can then hold or back up roles; returns them as stored (trimmed)."""
        name, email = _one_line(person.name), person.email.strip()
        if not name:
            raise ValueError("A person needs a name.")
        if email and not _EMAIL.fullmatch(email):
            raise ValueError(f"{email} is not an e-mail address; write it like name@example.com.")
        if len(email) > EMAIL_LIMIT:
            raise ValueError(f"An e-mail address is at most {EMAIL_LIMIT} characters.")
        with edit(self._workspace, f"The person {name}") as s:
            _refuse_taken(s, t.Person, name, "someone")
            team = find_named(s, t.Team, person.team, "team") if person.team else None
            s.add(t.Person(name=name, email=email, team=team))
        return NewPerson(name, person.team or None, email)

    def remove_person(self, name: str) -> None:
        """Take someone out of the directory, refused while a role or an escalation names them."""
        self._remove(
            t.Person,
            name,
            f"{name} is still named in the workspace (holding or backing up a role, or on an "
            "escalation); choose someone else there first.",
        )

    def add_role(self, role: NewRole) -> NewRole:
        """Add a named role that levels and routing rules can then send to."""
        name = _one_line(role.name)
        if not name:
            raise ValueError("A role needs a name, e.g. Database on-call.")
        _refuse_double(role.cover)
        with edit(self._workspace, f"The role {name}") as s:
            _refuse_taken(s, t.Role, name, "a role")
            s.add(
                t.Role(
                    name=name,
                    team=find_named(s, t.Team, role.team, "team") if role.team else None,
                    holder=_person(s, role.cover.holder),
                    backup=_person(s, role.cover.backup),
                )
            )
        return NewRole(name, role.team or None, role.cover)

    def remove_role(self, name: str) -> None:
        """Take a role out of the directory, refused while anything sends to it."""
        self._remove(
            t.Role,
            name,
            f"The role {name} is still used (a level's contacts or owners, a routing rule or "
            "an escalation); change those first.",
        )

    def _remove(self, model: type[_Entry], name: str, refusal: str) -> None:
        """Delete the person or role called ``name`` unless a row of any table points at it
        (ValueError(refusal) then); every foreign key is asked, so a table added later is too."""
        what = "person" if model is t.Person else "role"
        with edit(self._workspace, f"The {what} {name}") as s:
            row = find_named(s, model, name, what)
            for other in core.metadata.tables.values():
                for key in other.foreign_keys:
                    if key.column.table is row.__table__:
                        found = s.scalar(select(key.parent).where(key.parent == row.id).limit(1))
                        if found is not None:
                            raise ValueError(refusal)
            s.delete(row)


def _length(column: Column[str]) -> int:
    """The most characters a text column holds."""
    kind = column.type
    assert isinstance(kind, String)
    assert kind.length is not None
    return kind.length


_NAME_LIMITS = {t.Person: _length(core.people.c.name), t.Role: _length(core.roles.c.name)}
EMAIL_LIMIT = _length(core.people.c.email)
# Something@something.something, no spaces: enough to catch a name typed in the wrong box.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


_Kept = TypeVar("_Kept", t.Team, t.Role)


def _as_seen(
    s: Session, model: type[_Kept], name: str, what: str, unchanged: Callable[[_Kept], bool]
) -> _Kept | None:
    """The team or role to change, None when it no longer looks as the user saw it."""
    row = s.scalar(select(model).where(model.name == name))
    if row is None:
        raise ChangedElsewhereError(f"The {what} {name} was removed in another window.")
    return row if unchanged(row) else None


def _changed_meanwhile(what: str) -> str:
    return (
        f"{what} was changed in another window; the directory now shows the latest. Make "
        "your change again if it still stands."
    )


def _setup_of(team: t.Team) -> TeamSetup:
    return TeamSetup(team.tier, team.calendar.name if team.calendar else None)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _person(s: Session, name: str | None) -> t.Person | None:
    return find_named(s, t.Person, name, "person") if name else None


def _refuse_double(cover: RoleCover) -> None:
    if cover.holder is not None and cover.holder == cover.backup:
        raise ValueError(
            f"{cover.holder} cannot back up a role they hold: a backup answers when the "
            "holder cannot. Choose someone else as backup, or none."
        )


def _refuse_taken(s: Session, model: type[t.Person | t.Role], name: str, what: str) -> None:
    """Names are compared as a reader would: "émile durand" is Émile Durand.

    Compared here, not in SQL: SQLite's lower() folds A to Z only.
    """
    limit = _NAME_LIMITS[model]
    if len(name) > limit:
        raise ValueError(f"A name is at most {limit} characters; that one has {len(name)}.")
    folded = name.casefold()
    taken = next((n for n in s.scalars(select(model.name)) if n.casefold() == folded), None)
    if taken is not None:
        raise ValueError(f"There is already {what} called {taken} in the directory.")


def _cover_of(role: t.Role) -> RoleCover:
    return RoleCover(
        role.holder.name if role.holder else None, role.backup.name if role.backup else None
    )
