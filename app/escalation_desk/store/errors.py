"""Errors the store raises, each carrying a sentence a user can act on, and team roles."""

from enum import StrEnum


class WorkspaceError(Exception):
    """A workspace file that cannot be opened as it is; str() is the user's sentence."""


class WorkspaceTooNewError(WorkspaceError):
    """The file was written by a newer Escalation Desk than this one."""


class ChangedElsewhereError(Exception):
    """Someone saved the same record in another window or app since it was loaded."""


class NotAllowedError(Exception):
    """The person's team role does not allow the action; str() says which role would."""


class TeamRole(StrEnum):
    """What a member of a team workspace may do; a local file's owner is its lead."""

    LEAD = "lead"  # edits the matrix, routing, checklists and walkthroughs; works the board
    AGENT = "agent"  # works the board, plays walkthroughs and scenarios; reads the matrix
    MANAGER = "manager"  # reads everything and exports; changes nothing
