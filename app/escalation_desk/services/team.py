"""Team workspaces for the app: connecting with a password kept safe, setting a server up."""

from __future__ import annotations

import logging
import os

from escalation_desk import paths
from escalation_desk.store import team
from escalation_desk.store.db import Workspace
from escalation_desk.store.errors import TeamRole, WorkspaceError
from escalation_desk.store.transfer import copy_workspace

log = logging.getLogger(__name__)

# A password is never written in a file of the app's: it comes from this variable, else the
# system keyring (where "Remember" puts it), else PostgreSQL's own ~/.pgpass or PGPASSWORD.
PASSWORD_VARIABLE = paths.DB_PASSWORD_VARIABLE
KEYRING_SERVICE = "escalation-desk"


def keyring_entry(address: str) -> str:
    """The keyring's name for the login of ``address``: user@host:port/database."""
    url = team.team_url(address)
    return f"{url.username}@{url.host}:{url.port or 5432}/{url.database}"


def password_for(address: str) -> str | None:
    """The password for ``address`` from the environment or the keyring, if either has it."""
    if team.team_url(address).password:
        return None  # the address carries its own
    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    try:
        import keyring  # noqa: PLC0415 - only team workspaces need it

        return keyring.get_password(KEYRING_SERVICE, keyring_entry(address))
    except Exception:  # no keyring on this system means no password, not an error
        log.info("No system keyring to read the password from", exc_info=True)
        return None


def remember_password(address: str, password: str) -> str:
    """Keep ``password`` in the system keyring; returns "" or why it could not be kept."""
    try:
        import keyring  # noqa: PLC0415 - only team workspaces need it

        keyring.set_password(KEYRING_SERVICE, keyring_entry(address), password)
    except Exception as exc:  # said to the user, who can type it next time
        log.warning("Could not keep the password in the keyring: %s", exc)
        return (
            f"The password could not be kept in the system keyring ({exc}); you will be asked "
            f"for it next time, or set {PASSWORD_VARIABLE}."
        )
    return ""


def connect(address: str, password: str | None = None) -> Workspace:
    """Open the team workspace at ``address`` (password given, or found as above)."""
    chosen = password if password is not None else password_for(address)
    return team.open_team_workspace(team.team_url(address, chosen))


def set_up_server(admin_address: str, password: str | None = None) -> None:
    """Create the roles and the schema, or bring them up to this version (administrators)."""
    chosen = password if password is not None else password_for(admin_address)
    team.set_up_server(team.team_url(admin_address, chosen))


def add_member(
    admin_address: str,
    login: str,
    member_password: str,
    role: TeamRole,
    *,
    admin_password: str | None = None,
) -> None:
    """Give a person a login to the team workspace in ``role`` (administrators)."""
    chosen = admin_password if admin_password is not None else password_for(admin_address)
    team.add_member(team.team_url(admin_address, chosen), login, member_password, role)


def copy_up(workspace: Workspace, address: str, password: str | None = None) -> int:
    """Copy a local workspace into the empty team workspace at ``address``; rows copied."""
    if workspace.is_team:
        raise WorkspaceError("This is already a team workspace; save it as a file to copy it.")
    target = connect(address, password)
    try:
        return copy_workspace(workspace, target)
    finally:
        target.close()
