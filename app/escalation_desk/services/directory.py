"""The people-and-roles directory: who holds each named role, and who backs them up."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from escalation_desk.services.editing import ChangedElsewhereError, edit, find_named
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace


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


class DirectoryService:
    """Reads people and changes who covers a role; every change is one transaction."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def people(self) -> list[str]:
        """Everyone who can hold or back up a role, by name."""
        with self._workspace.read() as s:
            return list(s.scalars(select(t.Person.name).order_by(t.Person.name)))

    def cover(self, role: str) -> RoleCover:
        """The holder and backup of ``role`` as stored now."""
        with self._workspace.read() as s:
            return _cover_of(find_named(s, t.Role, role, "role"))

    def set_cover(self, role: str, seen: RoleCover, cover: RoleCover) -> None:
        """Make ``cover`` the role's holder and backup.

        ``seen`` is the cover the user changed; when the stored one differs, someone else
        changed it meanwhile and ChangedElsewhereError says so, with nothing written.
        """
        if cover.holder is not None and cover.holder == cover.backup:
            raise ValueError(
                f"{cover.holder} cannot back up a role they hold: a backup answers when the "
                "holder cannot. Choose someone else as backup, or none."
            )
        with edit(self._workspace, f"The role {role}") as s:
            row = s.scalar(select(t.Role).where(t.Role.name == role))
            if row is None:
                raise ChangedElsewhereError(f"The role {role} was removed in another window.")
            if _cover_of(row) != seen:
                raise ChangedElsewhereError(
                    f"Who covers {role} was changed in another window; the directory now "
                    "shows the latest. Make your change again if it still stands."
                )
            row.holder = find_named(s, t.Person, cover.holder, "person") if cover.holder else None
            row.backup = find_named(s, t.Person, cover.backup, "person") if cover.backup else None

    def add_person(self, person: NewPerson) -> NewPerson:
        """Add someone who can then hold or back up roles; returns them as stored (trimmed)."""
        name, email = " ".join(person.name.split()), person.email.strip()
        if not name:
            raise ValueError("A person needs a name.")
        if email and not _EMAIL.fullmatch(email):
            raise ValueError(f"{email} is not an e-mail address; write it like name@example.com.")
        with edit(self._workspace, f"The person {name}") as s:
            taken = s.scalar(select(t.Person.name).where(func.lower(t.Person.name) == name.lower()))
            if taken is not None:
                raise ValueError(f"There is already someone called {taken} in the directory.")
            team = find_named(s, t.Team, person.team, "team") if person.team else None
            s.add(t.Person(name=name, email=email, team=team))
        return NewPerson(name, person.team or None, email)

    def remove_person(self, name: str) -> None:
        """Take someone out of the directory, refused while a role or an escalation names them."""
        with edit(self._workspace, f"The person {name}") as s:
            row = find_named(s, t.Person, name, "person")
            covers = s.scalar(
                select(func.count())
                .select_from(t.Role)
                .where(or_(t.Role.holder_id == row.id, t.Role.backup_id == row.id))
            )
            works = s.scalar(
                select(func.count())
                .select_from(t.Escalation)
                .where(or_(t.Escalation.owner_id == row.id, t.Escalation.liaison_id == row.id))
            )
            if covers or works:
                raise ValueError(
                    f"{name} still holds or backs up a role, or owns or liaises on an "
                    "escalation; choose someone else there first."
                )
            s.delete(row)


# Something@something.something, no spaces: enough to catch a name typed in the wrong box.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _cover_of(role: t.Role) -> RoleCover:
    return RoleCover(
        role.holder.name if role.holder else None, role.backup.name if role.backup else None
    )
