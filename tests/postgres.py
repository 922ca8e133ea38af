"""A real PostgreSQL server for the test run, started on loopback in a temporary directory.

The server's own programs (initdb, pg_ctl) are found on PATH or in the usual package folders;
`.ci/run` installs the server package when none is there. PostgreSQL refuses to run as root,
so under root the programs run as the ``postgres`` user the package creates.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from sqlalchemy import create_engine

from escalation_desk.store import team
from escalation_desk.store.db import Workspace
from escalation_desk.store.errors import TeamRole

SUPERUSER = "escadmin"
SUPERUSER_PASSWORD = "admin-secret"
_SEARCHED = (
    "/usr/lib/postgresql/*/bin",
    "/usr/local/pgsql/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
    "/usr/local/opt/postgresql@*/bin",
)


class NoServerError(RuntimeError):
    """PostgreSQL's programs are not on this machine, or the server would not start."""


def server_program(name: str) -> str:
    """The path of one of PostgreSQL's programs, newest version first."""
    found = shutil.which(name)
    if found:
        return found
    for pattern in _SEARCHED:
        for folder in sorted(glob.glob(pattern), reverse=True):
            candidate = Path(folder) / name
            if candidate.exists():
                return str(candidate)
    raise NoServerError(f"PostgreSQL's {name} was not found; install the postgresql package.")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """One running server; ``url(database, user, password)`` names a database on it."""

    folder: Path
    port: int
    _run_as: list[str]

    @classmethod
    def start(cls) -> PostgresServer:
        """initdb a cluster in a new temporary folder and start it on a free loopback port."""
        run_as: list[str] = []
        folder = Path(tempfile.mkdtemp(prefix="escdesk-pg-"))
        if os.geteuid() == 0:
            run_as = ["runuser", "-u", "postgres", "--"]
            user = pwd.getpwnam("postgres")
            os.chown(folder, user.pw_uid, user.pw_gid)
        folder.chmod(0o700)
        password_file = folder / "pw"
        password_file.write_text(SUPERUSER_PASSWORD)
        if run_as:
            os.chown(password_file, pwd.getpwnam("postgres").pw_uid, -1)
        data = folder / "data"
        server = cls(folder, _free_port(), run_as)
        server._run(
            server_program("initdb"),
            "--pgdata",
            str(data),
            "--username",
            SUPERUSER,
            "--pwfile",
            str(password_file),
            "--auth",
            "scram-sha-256",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={server.port} "
            f"-c unix_socket_directories={folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        server._run(
            server_program("pg_ctl"),
            "--pgdata",
            str(data),
            "--log",
            str(folder / "server.log"),
            "--options",
            options,
            "--wait",
            "start",
        )
        return server

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            [*self._run_as, *command], capture_output=True, text=True, check=False, timeout=120
        )
        if done.returncode != 0:
            raise NoServerError(f"{Path(command[0]).name} failed: {done.stderr or done.stdout}")

    def url(
        self, database: str = "postgres", user: str = SUPERUSER, password: str = SUPERUSER_PASSWORD
    ) -> str:
        """A SQLAlchemy URL for ``database`` on this server as ``user``."""
        return f"postgresql+psycopg://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop the server at once and remove its folder."""
        try:
            self._run(
                server_program("pg_ctl"),
                "--pgdata",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "stop",
            )
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


class TeamServer:
    """Team databases on a test server: each test gets a copy of a set-up template."""

    LEAD = ("lead_member", "lead-secret")
    AGENT = ("agent_member", "agent-secret")
    MANAGER = ("manager_member", "manager-secret")
    MEMBERS: ClassVar[dict[TeamRole, tuple[str, str]]] = {
        TeamRole.LEAD: LEAD,
        TeamRole.AGENT: AGENT,
        TeamRole.MANAGER: MANAGER,
    }

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self._admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        self._made = itertools.count()

    def prepare(self) -> None:
        """Two templates: an empty set-up workspace and the example loaded at ``NOW``."""
        from escalation_desk.services.example import load_example  # noqa: PLC0415
        from tests.conftest import EXAMPLE, NOW  # noqa: PLC0415

        for name in ("template_empty", "template_example"):
            self.sql(f"CREATE DATABASE {name}")
            team.set_up_server(team.team_url(self.server.url(name)))
        for role, login in self.MEMBERS.items():
            team.add_member(team.team_url(self.server.url("template_empty")), *login, role)
        workspace = self.open("template_example")
        load_example(workspace, EXAMPLE, NOW)
        workspace.close()

    def sql(self, statement: str) -> None:
        """Run one statement as the superuser, outside a transaction."""
        with self._admin.connect() as connection:
            connection.exec_driver_sql(statement)

    def open(self, database: str, login: tuple[str, str] = LEAD) -> Workspace:
        """The team workspace in ``database``, as the member ``login`` (name, password)."""
        return team.open_team_workspace(team.team_url(self.server.url(database, *login)))

    def fresh(self, template: str, login: tuple[str, str] = LEAD) -> Workspace:
        """A new database copied from template ``template`` ("empty" or "example")."""
        return self.open(self.fresh_database(template), login)

    def fresh_database(self, template: str) -> str:
        """The name of a new database copied from template ``template``."""
        name = f"ws_{next(self._made)}"
        self.sql(f"CREATE DATABASE {name} TEMPLATE template_{template}")
        return name

    def dispose(self) -> None:
        """Close the superuser's connections."""
        self._admin.dispose()
