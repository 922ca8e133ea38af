"""``team-setup``, ``team-add-member`` and ``copy-to-team``: a team workspace on PostgreSQL."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from escalation_desk import paths
from escalation_desk.commands import ExitCode, command
from escalation_desk.commands.summary import open_session
from escalation_desk.store.errors import TeamRole, WorkspaceError

# Where a script gives a new member's password, so that it is never on a command line.
MEMBER_PASSWORD_VARIABLE = "ESCALATION_DESK_MEMBER_PASSWORD"


def _admin_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "admin_address",
        metavar="ADMIN_ADDRESS",
        help="postgresql://ADMIN@HOST[:PORT]/DATABASE, an administrator of the database "
        f"(password from {paths.DB_PASSWORD_VARIABLE}, the keyring or ~/.pgpass)",
    )


@command(
    "team-setup",
    "create the roles and schema of a team workspace, or update them (administrators)",
    _admin_options,
)
def team_setup(args: argparse.Namespace, _app_paths: paths.AppPaths) -> ExitCode:
    """Create or update the team workspace's roles, tables and privileges."""
    from escalation_desk.services import team  # noqa: PLC0415 - SQLAlchemy only when run

    try:
        team.set_up_server(args.admin_address)
    except WorkspaceError as exc:
        print(exc, file=sys.stderr)
        return ExitCode.REJECTED
    print(
        "The team workspace is set up. Add each person with: escalation-desk team-add-member "
        "ADMIN_ADDRESS LOGIN --role lead|agent|manager"
    )
    return ExitCode.OK


def _member_options(parser: argparse.ArgumentParser) -> None:
    _admin_options(parser)
    parser.add_argument("login", help="the person's login name (lower case, digits, _)")
    parser.add_argument(
        "--role",
        required=True,
        choices=[role.value for role in TeamRole],
        help="lead: edits the process; agent: works the board; manager: reads and exports",
    )


@command(
    "team-add-member",
    f"give a person a login in a role (password asked, or from {MEMBER_PASSWORD_VARIABLE})",
    _member_options,
)
def team_add_member(args: argparse.Namespace, _app_paths: paths.AppPaths) -> ExitCode:
    """Create or change a member's login and role."""
    from escalation_desk.services import team  # noqa: PLC0415 - SQLAlchemy only when run

    password = os.environ.get(MEMBER_PASSWORD_VARIABLE) or getpass.getpass(
        f"Password for {args.login}: "
    )
    if not password:
        print("A member needs a password.", file=sys.stderr)
        return ExitCode.REJECTED
    try:
        team.add_member(args.admin_address, args.login, password, TeamRole(args.role))
    except (WorkspaceError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return ExitCode.REJECTED
    print(f"{args.login} can now open the team workspace as {args.role}.")
    return ExitCode.OK


def _copy_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "address",
        metavar="TEAM_ADDRESS",
        help="postgresql://LEAD@HOST[:PORT]/DATABASE of an empty, set-up team workspace",
    )


@command(
    "copy-to-team",
    "copy the local workspace (--db FILE or the default) into an empty team workspace",
    _copy_options,
)
def copy_to_team(args: argparse.Namespace, app_paths: paths.AppPaths) -> ExitCode:
    """Move a lead's local workspace up to the team's server."""
    from escalation_desk.services import team  # noqa: PLC0415 - SQLAlchemy only when run

    session = open_session(app_paths)
    if session is None:
        return ExitCode.REJECTED
    try:
        rows = team.copy_up(session.workspace, args.address)
    except WorkspaceError as exc:
        print(exc, file=sys.stderr)
        return ExitCode.REJECTED
    finally:
        session.close()
    print(f"Copied {rows} rows to the team workspace.")
    return ExitCode.OK
