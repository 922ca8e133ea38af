"""Errors the store raises, each carrying a sentence a user can act on."""


class WorkspaceError(Exception):
    """A workspace file that cannot be opened as it is; str() is the user's sentence."""


class WorkspaceTooNewError(WorkspaceError):
    """The file was written by a newer Escalation Desk than this one."""


class ChangedElsewhereError(Exception):
    """Someone saved the same record in another window or app since it was loaded."""
