"""Copies of a workspace are whole, single-file databases."""

import sqlite3
from pathlib import Path

from escalation_desk.store import tables as t
from escalation_desk.store.backup import copy_database
from escalation_desk.store.db import Workspace, open_workspace
from tests.workspaces import sqlite_only


@sqlite_only
def test_a_copy_holds_the_same_data_and_opens_on_its_own(
    example_workspace: Workspace, tmp_path: Path
) -> None:
    target = tmp_path / "copies" / "copy.escdesk"
    copy_database(example_workspace.path, target)
    assert not list(target.parent.glob(".copy.escdesk.*"))  # no temporary file left behind
    with sqlite3.connect(target) as conn:  # a single file: no WAL beside it to forget
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy = open_workspace(target)
    try:
        with copy.read() as s:
            assert s.query(t.Escalation).count() == 36
    finally:
        copy.close()
