"""Opening, creating and copying workspaces."""

from __future__ import annotations

import logging
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import exists, select

from escalation_desk.store import backup, core
from escalation_desk.store.db import Workspace, open_workspace
from escalation_desk.store.errors import WorkspaceError
from escalation_desk.store.transfer import copy_workspace

log = logging.getLogger(__name__)

__all__ = ["Workspace", "WorkspaceError", "create_workspace", "open_existing", "save_copy"]


def open_existing(path: Path, *, example: Path | None = None) -> Workspace:
    """Open the workspace at ``path``; an empty one gets the example when ``example`` is given."""
    workspace = open_workspace(path)
    if example is not None and _looks_empty(workspace):
        # The example (and the ORM it writes with) loads only for an empty file; the check
        # that counts is repeated under the write lock inside load_example.
        from escalation_desk.services.example import load_example  # noqa: PLC0415 - see above

        try:
            loaded = load_example(workspace, example, datetime.now(UTC))
        except Exception:
            workspace.close()  # the transaction rolled back: the file holds no half example
            raise
        if loaded:
            log.info("Filled %s with the example workspace", path)
    return workspace


def _looks_empty(workspace: Workspace) -> bool:
    with workspace.query() as connection:
        return not connection.scalar(
            select(exists(select(core.settings.c.key)) | exists(select(core.severity_levels.c.id)))
        )


def create_workspace(path: Path, *, example: Path | None) -> Workspace:
    """A new workspace at ``path``, empty or filled from the example; refuses to overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.touch(exist_ok=False)  # claims the name atomically: no other instance gets it
    except FileExistsError:
        raise WorkspaceError(f"{path.name} already exists; choose another name.") from None
    try:
        return open_existing(path, example=example)
    except Exception:
        path.unlink(missing_ok=True)  # ours alone: created just above
        raise


def save_copy(workspace: Workspace, target: Path) -> Path:
    """A consistent single-file copy of the open workspace, or of a team's, at ``target``."""
    if workspace.path is not None:
        if target.resolve() == workspace.path:
            raise WorkspaceError(
                "Choose a different file: a copy cannot replace the open workspace."
            )
        backup.copy_database(workspace.path, target)
        return target
    # A team workspace: its rows go into a new file beside the target, which is then copied
    # into place whole, so that a failure leaves no half file under the chosen name.
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".escdesk-copy-") as folder:
        local = open_workspace(Path(folder) / target.name)
        try:
            copy_workspace(workspace, local)
        finally:
            local.close()
        backup.copy_database(local.path or target, target)
    return target
