"""Guards user edits against lost updates when two windows edit the same workspace."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace
from escalation_desk.store.errors import ChangedElsewhereError

__all__ = ["ChangedElsewhereError", "edit", "fetch_for_edit", "find_named"]


class _VersionedRow(Protocol):
    version: int


_Row = TypeVar("_Row", bound=_VersionedRow)


def changed_elsewhere_message(what: str) -> str:
    """The sentence a user sees when their copy of a record is out of date."""
    return (
        f"{what} was changed in another window since you opened it. "
        "Reload to see the latest version, then make your change again."
    )


@contextmanager
def edit(workspace: Workspace, what: str) -> Iterator[Session]:
    """One edit transaction; a concurrent save of the same row becomes ChangedElsewhereError."""
    try:
        with workspace.write() as session:
            yield session
    except StaleDataError as exc:
        raise ChangedElsewhereError(changed_elsewhere_message(what)) from exc


def fetch_for_edit(
    session: Session, model: type[_Row], record_id: int, seen_version: int, what: str
) -> _Row:
    """The row to change, refused when it is gone or newer than the version the user saw."""
    row = session.get(model, record_id)
    if row is None:
        raise ChangedElsewhereError(f"{what} was deleted in another window.")
    if row.version != seen_version:
        raise ChangedElsewhereError(changed_elsewhere_message(what))
    return row


_Named = TypeVar("_Named", t.Team, t.Role, t.Person, t.Calendar)


def find_named(session: Session, model: type[_Named], name: str, what: str) -> _Named:
    """The team, role, person or calendar called ``name``; ValueError says when none is."""
    found = session.scalar(select(model).where(model.name == name))
    if found is None:
        raise ValueError(f"There is no {what} called {name}.")
    return found
