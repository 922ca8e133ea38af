"""Fixtures shared by every suite: a fresh workspace per test, a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from escalation_desk import paths
from escalation_desk.services.example import load_example
from escalation_desk.store.db import Workspace, open_workspace
from tests.postgres import NoServerError, PostgresServer, TeamServer

EXAMPLE = paths.data_file("example-workspace.json")
# A real ServiceNow export (CC BY 4.0, see its README), copied into the repository so that the
# checks against real data run on every clean checkout.
UCI_LOG = Path(__file__).parent / "data" / "uci-incident-event-log" / "incident_event_log.csv"
# The example's times are relative to the moment it is loaded; tests load it at this moment.
NOW = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def private_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-user data folder points into the test's own folder (also for subprocesses)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def backend() -> str:
    """Where a test's workspace lives; the store and service suites also run on PostgreSQL."""
    return "sqlite"


@pytest.fixture(scope="session")
def postgres() -> Iterator[TeamServer]:
    """A real PostgreSQL server for the whole run, with set-up template databases."""
    try:
        server = PostgresServer.start()
    except NoServerError as exc:
        pytest.skip(str(exc))
    team_server = TeamServer(server)
    try:
        team_server.prepare()
        yield team_server
    finally:
        team_server.dispose()
        server.stop()


@pytest.fixture
def empty_workspace(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> Iterator[Workspace]:
    """A new, empty workspace in the test's own folder, or its own team database."""
    with _fresh_workspace(request, backend, tmp_path, "empty") as workspace:
        yield workspace


@pytest.fixture
def example_workspace(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> Iterator[Workspace]:
    """The example workspace, loaded as if it were ``NOW``."""
    with _fresh_workspace(request, backend, tmp_path, "example") as workspace:
        yield workspace


@contextmanager
def _fresh_workspace(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, template: str
) -> Iterator[Workspace]:
    if backend == "postgresql":
        server: TeamServer = request.getfixturevalue("postgres")
        workspace = server.fresh(template)
    else:
        workspace = open_workspace(tmp_path / f"{template}.escdesk")
        if template == "example":
            load_example(workspace, EXAMPLE, NOW)
    try:
        yield workspace
    finally:
        workspace.close()


@pytest.fixture
def app_paths(tmp_path: Path) -> paths.AppPaths:
    """Paths of a run with its own data directory."""
    return paths.resolve(data_dir=str(tmp_path / "data"))


@pytest.fixture(params=["sqlite", "postgresql"])
def both_backends(request: pytest.FixtureRequest) -> str:
    """Overrides ``backend`` where a suite runs on both kinds of workspace."""
    return str(request.param)
