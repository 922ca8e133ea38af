"""The people-and-roles directory: who holds each named role, and who backs them up."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from escalation_desk.services.editing import ChangedElsewhereError, edit, find_named
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace


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


def _cover_of(role: t.Role) -> RoleCover:
    return RoleCover(
        role.holder.name if role.holder else None, role.backup.name if role.backup else None
    )
