"""The open workspace of one app window, and what the window asks of it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from escalation_desk.services import workspace as ws
from escalation_desk.services.matrix import MatrixService
from escalation_desk.services.overview import HomeSummary, summarize
from escalation_desk.store.db import Workspace


class AppSession:
    """Holds the current workspace; switching workspaces closes the previous one."""

    def __init__(self, example_source: Path) -> None:
        self._example = example_source
        self._workspace: Workspace | None = None

    @property
    def workspace(self) -> Workspace:
        """The open workspace; asking before one is open is a programming error."""
        if self._workspace is None:
            raise RuntimeError("no workspace is open")
        return self._workspace

    @property
    def is_open(self) -> bool:
        """Whether a workspace is open."""
        return self._workspace is not None

    @property
    def path(self) -> Path | None:
        """The open workspace's file."""
        return self._workspace.path if self._workspace else None

    def open(self, path: Path, *, example_if_new: bool = False) -> None:
        """Open ``path``; a new file starts empty, or as the example when asked."""
        opened = ws.open_existing(path, example=self._example if example_if_new else None)
        self._replace(opened)

    def create(self, path: Path, *, with_example: bool) -> None:
        """Create a workspace at ``path`` and switch to it."""
        self._replace(ws.create_workspace(path, example=self._example if with_example else None))

    def save_copy(self, target: Path) -> Path:
        """Write a consistent copy of the open workspace."""
        return ws.save_copy(self.workspace, target)

    def summary(self, now: datetime | None = None) -> HomeSummary:
        """The Home screen's figures."""
        return summarize(self.workspace, now or datetime.now(UTC))

    def matrix(self) -> MatrixService:
        """The matrix service on the open workspace."""
        return MatrixService(self.workspace)

    def close(self) -> None:
        """Close the open workspace, if any."""
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None

    def _replace(self, opened: Workspace) -> None:
        self.close()
        self._workspace = opened
