"""Helpers for tests that run on a workspace file and on a team database alike."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from escalation_desk.store import team
from escalation_desk.store.core import metadata
from escalation_desk.store.db import Workspace, open_workspace


def fingerprint(workspace: Workspace) -> str:
    """A digest that changes with any change to the workspace.

    A file's bytes, byte for byte; a team database's every row of every table, in key order.
    """
    if workspace.path is not None:
        return hashlib.sha256(workspace.path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    with workspace.query() as connection:
        for table in metadata.sorted_tables:
            ordered = select(table).order_by(*table.primary_key.columns)
            for row in connection.execute(ordered):
                digest.update(repr((table.name, tuple(row))).encode())
    return digest.hexdigest()


def second_window(workspace: Workspace) -> Workspace:
    """The same workspace opened again, as another window or another person would."""
    if workspace.path is not None:
        return open_workspace(workspace.path)
    return team.open_team_workspace(workspace.engine.url)


# For a test of what only a local file has (its bytes, SQLite's own settings).
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])
