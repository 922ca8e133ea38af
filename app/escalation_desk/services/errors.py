"""Errors the services raise, importable without loading SQLAlchemy (the window needs them
before the workspace opens), and the team roles the window shapes its actions by."""

from escalation_desk.store.errors import (
    ChangedElsewhereError,
    NotAllowedError,
    TeamRole,
    WorkspaceError,
    WorkspaceTooNewError,
)

__all__ = [
    "ChangedElsewhereError",
    "NotAllowedError",
    "TeamRole",
    "WorkspaceError",
    "WorkspaceTooNewError",
]
