"""Errors the services raise, importable without loading SQLAlchemy (the window needs them
before the workspace opens)."""

from escalation_desk.store.errors import ChangedElsewhereError, WorkspaceError, WorkspaceTooNewError

__all__ = ["ChangedElsewhereError", "WorkspaceError", "WorkspaceTooNewError"]
