"""Team workspaces on PostgreSQL: the server's roles and privileges, and opening one."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from escalation_desk.store import schema
from escalation_desk.store.core import metadata
from escalation_desk.store.db import Workspace
from escalation_desk.store.errors import TeamRole, WorkspaceError, WorkspaceTooNewError
from escalation_desk.store.permissions import ADDS_EVENTS, CHANGES, EVENT_LOG

# Roles are the server's, shared by its databases; the app's members log in as roles of
# their own that belong to one of the three groups, and none of them owns a table.
OWNER = "escalation_desk_owner"
GROUPS = {role: f"escalation_desk_{role.value}" for role in TeamRole}
NOTIFY_CHANNEL = "escalation_desk_changes"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def team_url(address: str, password: str | None = None) -> URL:
    """The SQLAlchemy URL of a team database from what a person types.

    ``postgresql://user@host:port/database`` (with or without ``+psycopg``); a password
    given separately (from the keyring or the environment) is put in.
    """
    try:
        url = make_url(address)
    except ArgumentError as exc:
        raise WorkspaceError(f"{address!r} is not a database address ({exc}).") from exc
    if url.get_backend_name() != "postgresql":
        raise WorkspaceError(
            f"A team workspace is on a PostgreSQL server (postgresql://user@host/database); "
            f"{url.get_backend_name()!r} is not one."
        )
    if not url.database:
        raise WorkspaceError("The address names no database: add /DATABASE at its end.")
    url = url.set(drivername="postgresql+psycopg")
    return url.set(password=password) if password is not None else url


def make_team_engine(url: URL, isolation_level: str = "READ COMMITTED") -> Engine:
    """An engine for a team database; connections check they are alive before use."""
    return create_engine(
        url,
        pool_pre_ping=True,
        isolation_level=isolation_level,
        connect_args={"connect_timeout": 10},
    )


def _connect_error(url: URL, exc: DBAPIError) -> WorkspaceError:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    where = f"{url.host}:{url.port or 5432}/{url.database}"
    return WorkspaceError(f"Could not open the team workspace at {where}: {detail}")


def open_team_workspace(url: URL) -> Workspace:
    """Connect to a team database that its administrator has set up.

    A member's app never migrates the schema (it owns no table); a database that is not set
    up, or set up by a newer version, is refused with a sentence saying what to do.
    """
    engine = make_team_engine(url)
    try:
        with engine.connect() as connection:
            revision = _revision(connection)
            role = member_role(connection)
    except DBAPIError as exc:
        engine.dispose()
        raise _connect_error(url, exc) from exc
    if revision is None or revision != schema.HEAD:
        engine.dispose()
        if revision is not None and revision not in schema.REVISIONS:
            raise WorkspaceTooNewError(
                f"The team workspace {url.database} was set up by a newer Escalation Desk "
                f"(schema {revision}); update the app to open it."
            )
        raise WorkspaceError(
            f"The team workspace {url.database} is not set up for this version of Escalation "
            "Desk; ask its administrator to run: escalation-desk team-setup ADMIN_ADDRESS"
        )
    writes = make_team_engine(url, isolation_level="SERIALIZABLE")
    return Workspace(None, engine, role=role, member=url.username or "", write_engine=writes)


def _revision(connection: Connection) -> str | None:
    exists = connection.scalar(text("SELECT to_regclass('alembic_version') IS NOT NULL"))
    if not exists:
        return None
    value = connection.scalar(text("SELECT version_num FROM alembic_version"))
    return str(value) if value is not None else None


def member_role(connection: Connection) -> TeamRole:
    """The most able group the connected role belongs to (a superuser counts as a lead)."""
    for role in TeamRole:  # lead, agent, manager: most able first
        if connection.scalar(
            text("SELECT pg_has_role(current_user, :group, 'USAGE')"), {"group": GROUPS[role]}
        ):
            return role
    if connection.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")):
        return TeamRole.LEAD
    raise WorkspaceError(
        "Your database login belongs to no Escalation Desk team role; ask the administrator "
        "to add you with: escalation-desk team-add-member"
    )


def set_up_server(admin_url: URL) -> None:
    """Create the roles, bring the schema to this version as its owner, and grant privileges.

    Run by an administrator (a superuser, or a role with CREATEROLE that owns the database);
    running it again after an update migrates the schema and re-grants.
    """
    from escalation_desk.store.migrate import upgrade_on  # noqa: PLC0415 - admin only

    engine = make_team_engine(admin_url)
    try:
        with engine.begin() as connection:
            for role in (OWNER, *GROUPS.values()):
                _create_role(connection, role)
            connection.exec_driver_sql(f"GRANT {OWNER} TO current_user")
            connection.exec_driver_sql(f"GRANT USAGE, CREATE ON SCHEMA public TO {OWNER}")
        with engine.begin() as connection:
            connection.exec_driver_sql(f"SET ROLE {OWNER}")
            upgrade_on(connection)
            _grant(connection)
            _add_notify_trigger(connection)
    except DBAPIError as exc:
        raise _connect_error(admin_url, exc) from exc
    finally:
        engine.dispose()


def _create_role(connection: Connection, role: str) -> None:
    if not connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}):
        connection.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")


def _grant(connection: Connection) -> None:
    """Each group's privileges, from the same rules the app checks before it writes."""
    everyone = _names(GROUPS.values())
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {everyone}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, {everyone}",
        f"GRANT USAGE ON SCHEMA public TO {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {everyone}",
        # A lead copying a file's workspace up moves the key sequences past its keys.
        f"GRANT UPDATE ON ALL SEQUENCES IN SCHEMA public TO {GROUPS[TeamRole.LEAD]}",
    ]
    for role, group in GROUPS.items():
        # Only tables this version's schema has: the rules may name one a newer one adds.
        if tables := CHANGES[role] & metadata.tables.keys():
            statements += [
                f"GRANT INSERT, UPDATE, DELETE ON {_names(tables)} TO {group}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {group}",
            ]
        if role in ADDS_EVENTS:
            statements.append(f"GRANT INSERT ON {EVENT_LOG} TO {group}")
    for statement in statements:
        connection.exec_driver_sql(statement)


def _names(tables: Iterable[str]) -> str:
    return ", ".join(sorted(tables))


def _add_notify_trigger(connection: Connection) -> None:
    """Every change to an escalation, its checklist or follow-ups tells listening boards
    which escalation changed, so that they reload that one and not the whole table."""
    connection.exec_driver_sql(
        f"""
        CREATE OR REPLACE FUNCTION escalation_desk_notify() RETURNS trigger AS $$
        DECLARE
            changed integer;
        BEGIN
            IF TG_TABLE_NAME = 'escalations' THEN
                changed := coalesce(NEW.id, OLD.id);
            ELSE
                changed := coalesce(NEW.escalation_id, OLD.escalation_id);
            END IF;
            PERFORM pg_notify('{NOTIFY_CHANNEL}', changed::text);
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    for table in ("escalations", "checklist_entries", "follow_ups", EVENT_LOG):
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS notify_change ON {table}")
        connection.exec_driver_sql(
            f"CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION escalation_desk_notify()"
        )


def add_member(admin_url: URL, login: str, password: str, role: TeamRole) -> None:
    """Create (or update) a member's login in one team role, able to connect to the database."""
    if not _NAME.fullmatch(login):
        raise ValueError(
            f"{login!r} cannot be a login name: use lower-case letters, digits and underscores, "
            "starting with a letter."
        )
    engine = make_team_engine(admin_url)
    try:
        with engine.begin() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}
            )
            verb = "ALTER" if exists else "CREATE"
            quoted = password.replace("'", "''")
            connection.exec_driver_sql(f"{verb} ROLE {login} LOGIN PASSWORD '{quoted}'")
            for group in GROUPS.values():
                connection.exec_driver_sql(f"REVOKE {group} FROM {login}")
            connection.exec_driver_sql(f"GRANT {GROUPS[role]} TO {login}")
            database = admin_url.database
            connection.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{database}" TO {login}')
    except DBAPIError as exc:
        raise _connect_error(admin_url, exc) from exc
    finally:
        engine.dispose()
