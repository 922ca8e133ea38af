"""Opening, creating and copying workspaces."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from escalation_desk.store import backup
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace, open_workspace
from escalation_desk.store.errors import WorkspaceError

log = logging.getLogger(__name__)

__all__ = ["Workspace", "WorkspaceError", "create_workspace", "open_existing", "save_copy"]


def open_existing(path: Path, *, example: Path | None = None) -> Workspace:
    """Open the workspace at ``path``; a new file gets the example when ``example`` is given."""
    is_new = not path.exists() or path.stat().st_size == 0
    workspace = open_workspace(path)
    if is_new and example is not None:
        from escalation_desk.services.example import load_example  # noqa: PLC0415 - new files only

        try:
            load_example(workspace, example, datetime.now(UTC))
        except Exception:
            workspace.close()
            path.unlink(missing_ok=True)
            raise
        log.info("Created %s from the example workspace", path)
    return workspace


def create_workspace(path: Path, *, example: Path | None) -> Workspace:
    """A new workspace at ``path``, empty or filled from the example; refuses to overwrite."""
    if path.exists() and path.stat().st_size > 0:
        raise WorkspaceError(f"{path.name} already exists; choose another name.")
    return open_existing(path, example=example)


def workspace_name(workspace: Workspace) -> str:
    """The name the lead gave the workspace, or the file's name."""
    with workspace.read() as session:
        name = session.scalar(select(t.Setting.value).where(t.Setting.key == "workspace_name"))
    return name or workspace.path.stem


def save_copy(workspace: Workspace, target: Path) -> Path:
    """A consistent single-file copy of the open workspace at ``target``."""
    if target.resolve() == workspace.path:
        raise WorkspaceError("Choose a different file: a copy cannot replace the open workspace.")
    backup.copy_database(workspace.path, target)
    return target
