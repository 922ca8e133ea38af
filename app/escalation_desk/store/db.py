"""The workspace database: one engine and session factory per file, migrated on open."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from escalation_desk.store import backup, schema
from escalation_desk.store.errors import (
    ChangedElsewhereError,
    TeamRole,
    WorkspaceError,
    WorkspaceTooNewError,
)
from escalation_desk.store.permissions import refusal

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
# PostgreSQL's serialization failure and deadlock: the action collided with another one.
COLLISION_STATES = frozenset({"40001", "40P01"})
INSUFFICIENT_PRIVILEGE = "42501"
COLLIDED = (
    "Someone else saved a change to the same records at the same moment, so yours was not "
    "saved. Reload and make your change again."
)


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys, WAL and a busy timeout on every connection; writes begin IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # pysqlite's own transaction handling would issue a deferred BEGIN behind our back;
        # turn it off and begin explicitly below (SQLAlchemy's pysqlite "serializable" recipe).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Workspace:
    """An open workspace: a local file, or a team's database on a PostgreSQL server.

    ``write()`` runs one user action as an ORM session; ``read()`` is an ORM look;
    ``query()`` is a Core connection for read-only figures. The ORM is imported on the first
    session, so that a start can show Home (Core only) without paying for it.
    """

    def __init__(
        self,
        path: Path | None,
        engine: Engine,
        *,
        role: TeamRole = TeamRole.LEAD,
        member: str = "",
        write_engine: Engine | None = None,
    ) -> None:
        self.path = path  # None for a team workspace
        self.engine = engine
        # SQLite: the same engine, each write taking the lock from its first statement. A
        # server: a pool of its own whose connections are serializable from the start, so
        # that two people's actions behave as if one came after the other or one is
        # refused, without setting and resetting the level on every checkout.
        self._write_bind = write_engine or engine.execution_options(immediate=True)
        self._closed = False
        pools = {id(e.pool): e.pool for e in (engine, self._write_bind.engine)}
        for pool in pools.values():  # a file's engines share one pool
            event.listen(pool, "checkin", self._close_if_returned_late)
        self.role = role  # what the person using it may do; the owner of a file may do all
        self.member = member  # the login name on a team server

    @property
    def is_team(self) -> bool:
        """Whether this is a shared workspace on a server rather than a local file."""
        return self.path is None

    @property
    def name(self) -> str:
        """A short name for titles: the file's stem, or the team database's name."""
        if self.path is not None:
            return self.path.stem
        return self.engine.url.database or "team workspace"

    @property
    def location(self) -> str:
        """Where it lives, for a person to read: the file's path, or the server and database
        (never the password)."""
        if self.path is not None:
            return str(self.path)
        url = self.engine.url
        return f"{url.username}@{url.host}:{url.port or 5432}/{url.database}"

    @cached_property
    def _writes(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker  # noqa: PLC0415 - see class doc

        from escalation_desk.store.guard import guard_writes  # noqa: PLC0415 - uses the ORM

        sessions = sessionmaker(bind=self._write_bind, expire_on_commit=False)
        guard_writes(sessions, self.role)
        return sessions

    @cached_property
    def _reads(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker  # noqa: PLC0415 - see class doc

        return sessionmaker(bind=self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One user action: a transaction that holds the write lock from its first statement.

        On a team server, an action that collided with someone else's at the same moment is
        refused whole as ChangedElsewhereError, never half-saved.
        """
        try:
            with self._writes.begin() as session:
                yield session
        except (OperationalError, DatabaseError) as exc:
            state = getattr(exc.orig, "sqlstate", None)
            if state in COLLISION_STATES:
                raise ChangedElsewhereError(COLLIDED) from exc
            if state == INSUFFICIENT_PRIVILEGE and self.role is not TeamRole.LEAD:
                raise refusal(self.role) from exc
            raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only look through the ORM; rolled back at the end."""
        with self._reads() as session:
            yield session

    @contextmanager
    def query(self) -> Iterator[Connection]:
        """A read-only Core connection, for figures computed by SQL over plain rows."""
        with self.engine.connect() as connection:
            yield connection

    def close(self) -> None:
        """Release every connection to the workspace."""
        self._closed = True
        self.engine.dispose()
        self._write_bind.engine.dispose()

    def _close_if_returned_late(self, dbapi_connection: Any, record: Any) -> None:
        # A connection a worker thread still held at close() comes back to a pool no engine
        # uses any more, where it would linger open until garbage collection; close it now.
        if self._closed:
            record.invalidate()


def make_engine(path: Path) -> Engine:
    """A configured engine for the SQLite file at ``path``."""
    engine = create_engine(f"sqlite:///{path}", future=True)
    _configure_sqlite(engine)
    return engine


def _current_revision(path: Path) -> str | None:
    """The schema revision of the file, read without changing it; None for a new file.

    A plain read-only connection, not the engine: the engine turns on WAL at connect, which
    would rewrite a file that is then refused.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        with closing(
            sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        ) as conn:
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                return str(row[0]) if row else None
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{path.name} is not an Escalation Desk workspace ({exc}).") from exc
    if tables:
        raise WorkspaceError(
            f"{path.name} is an SQLite database but not an Escalation Desk workspace."
        )
    return None


def open_workspace(path: Path) -> Workspace:
    """Open (creating if needed) and migrate the workspace at ``path``.

    A file written by an older build is copied aside before it is migrated; one written by a
    newer build is refused untouched, so that this build never damages data it does not
    understand.
    """
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    revision = _current_revision(path)
    if revision is not None and revision not in schema.REVISIONS:
        raise WorkspaceTooNewError(
            f"{path.name} was saved by a newer Escalation Desk (schema {revision}); "
            "update the app to open it. The file was not changed."
        )
    engine = make_engine(path)
    if revision != schema.HEAD:
        copy = None
        if revision is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            copy = path.with_name(f"{path.stem}.before-{schema.HEAD}-{stamp}{path.suffix}")
            backup.copy_database(path, copy)
            log.info("Copied %s to %s before migrating it", path, copy)
        try:
            _upgrade(engine)
        except (DatabaseError, OperationalError) as exc:
            engine.dispose()
            kept = f" A copy from before the attempt is in {copy.name}." if copy else ""
            raise WorkspaceError(
                f"{path.name} could not be brought up to date ({exc.orig}).{kept}"
            ) from exc
    return Workspace(path, engine)


def _upgrade(engine: Engine) -> None:
    # Alembic is imported only here: most starts find the schema current and skip it.
    from escalation_desk.store.migrate import upgrade_to_head  # noqa: PLC0415

    upgrade_to_head(engine)
