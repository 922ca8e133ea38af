"""Creating, opening and copying workspaces through the session a window holds."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from escalation_desk.services.session import AppSession
from escalation_desk.services.workspace import WorkspaceError
from tests.conftest import EXAMPLE


def test_a_new_file_opens_empty_unless_the_example_is_asked_for(tmp_path: Path) -> None:
    session = AppSession(EXAMPLE)
    session.open(tmp_path / "blank.escdesk")
    assert session.summary().levels == ()
    session.open(tmp_path / "demo.escdesk", example_if_new=True)
    assert len(session.summary().levels) == 3
    session.close()


def test_the_example_is_not_loaded_again_into_an_existing_workspace(tmp_path: Path) -> None:
    session = AppSession(EXAMPLE)
    session.open(tmp_path / "demo.escdesk", example_if_new=True)
    session.open(tmp_path / "demo.escdesk", example_if_new=True)
    assert session.summary().open_total == 23
    session.close()


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    session = AppSession(EXAMPLE)
    session.create(tmp_path / "mine.escdesk", with_example=True)
    with pytest.raises(WorkspaceError, match="already exists"):
        session.create(tmp_path / "mine.escdesk", with_example=False)
    assert session.summary().open_total == 23
    session.close()


def test_save_copy_writes_a_workspace_that_opens(tmp_path: Path) -> None:
    session = AppSession(EXAMPLE)
    session.open(tmp_path / "demo.escdesk", example_if_new=True)
    copy = session.save_copy(tmp_path / "backups" / "copy.escdesk")
    with pytest.raises(WorkspaceError, match="cannot replace the open workspace"):
        session.save_copy(tmp_path / "demo.escdesk")
    session.open(copy)
    assert session.summary().open_total == 23
    session.close()


def test_a_broken_example_leaves_nothing_half_made(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "x", "teams": [{"name": "A", "tier": 1, "calendar": "nope"}]}')
    session = AppSession(broken)
    with pytest.raises(ValueError, match="'nope'"):
        session.open(tmp_path / "default.escdesk", example_if_new=True)
    assert not session.is_open
    session.open(tmp_path / "default.escdesk")
    summary = session.summary()
    assert (summary.name, summary.teams, summary.levels) == ("default", 0, ())
    # A workspace the user asked to create is not left behind at all.
    with pytest.raises(ValueError, match="'nope'"):
        session.create(tmp_path / "new.escdesk", with_example=True)
    assert not (tmp_path / "new.escdesk").exists()
    session.close()


FIRST_START = """
import sys
import sqlite3
import subprocess
import sys
from pathlib import Path
from escalation_desk.services.session import AppSession
session = AppSession(Path(sys.argv[2]))
session.open(Path(sys.argv[1]), example_if_new=True)
print(session.summary().open_total)
"""


def test_two_instances_starting_on_a_new_file_fill_it_once(tmp_path: Path) -> None:
    target = tmp_path / "shared.escdesk"
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", FIRST_START, str(target), str(EXAMPLE)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [start.communicate(timeout=120) for start in starts]
    assert [start.returncode for start in starts] == [0, 0, 0], results
    assert [out.strip() for out, _ in results] == ["23", "23", "23"]
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM escalations").fetchone()[0] == 36
