"""Creating, opening and copying workspaces through the session a window holds."""

from __future__ import annotations

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


def test_a_broken_example_leaves_no_half_made_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "x", "teams": [{"name": "A", "tier": 1, "calendar": "nope"}]}')
    session = AppSession(broken)
    with pytest.raises(ValueError, match="'nope'"):
        session.open(tmp_path / "new.escdesk", example_if_new=True)
    assert not (tmp_path / "new.escdesk").exists()
    assert not session.is_open
