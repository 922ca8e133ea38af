"""Team workspaces on a real PostgreSQL server: roles, privileges, copies and refusals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from escalation_desk.domain.lifecycle import Status
from escalation_desk.services.board import BoardService
from escalation_desk.services.matrix import MatrixService
from escalation_desk.services.workspace import save_copy
from escalation_desk.store import core, permissions, team
from escalation_desk.store.changes import ChangeListener
from escalation_desk.store.db import Workspace, open_workspace
from escalation_desk.store.errors import (
    ChangedElsewhereError,
    NotAllowedError,
    TeamRole,
    WorkspaceError,
)
from escalation_desk.store.transfer import copy_workspace
from tests.conftest import NOW
from tests.postgres import TeamServer
from tests.workspaces import fingerprint

# Each statement, and which roles' logins the server lets run it.
RAW_STATEMENTS = {
    "UPDATE severity_levels SET name = name": {TeamRole.LEAD},
    "UPDATE routing_rules SET pattern = pattern": {TeamRole.LEAD},
    "UPDATE escalations SET title = title": {TeamRole.LEAD, TeamRole.AGENT},
    "INSERT INTO escalation_events (escalation_id, at, actor, kind, detail)"
    " SELECT id, now(), 'x', 'update_logged', 'x' FROM escalations LIMIT 1": {
        TeamRole.LEAD,
        TeamRole.AGENT,
    },
    "UPDATE escalation_events SET actor = 'someone else'": set(),
    "DELETE FROM escalation_events": set(),
    "SELECT count(*) FROM escalations": set(TeamRole),
}


def _dsn(server: TeamServer, database: str, login: tuple[str, str]) -> str:
    return server.server.url(database, *login).replace("postgresql+psycopg", "postgresql")


@pytest.mark.parametrize("role", list(TeamRole))
def test_each_roles_login_may_run_exactly_its_statements(
    postgres: TeamServer, role: TeamRole
) -> None:
    database = postgres.fresh_database("example")
    allowed: set[str] = set()
    with psycopg.connect(_dsn(postgres, database, postgres.MEMBERS[role])) as connection:
        for statement in RAW_STATEMENTS:
            try:
                with connection.transaction():
                    connection.execute(statement)
                allowed.add(statement)
            except psycopg.errors.InsufficientPrivilege:
                pass
    assert allowed == {s for s, roles in RAW_STATEMENTS.items() if role in roles}


def test_every_table_has_a_rule_for_who_changes_it() -> None:
    ruled = permissions.MATRIX_TABLES | permissions.BOARD_TABLES | {permissions.EVENT_LOG}
    assert set(core.metadata.tables) <= ruled
    assert not permissions.MATRIX_TABLES & permissions.BOARD_TABLES


def test_no_member_owns_a_table(postgres: TeamServer) -> None:
    database = postgres.fresh_database("empty")
    with psycopg.connect(_dsn(postgres, database, postgres.LEAD)) as connection:
        owners = {
            row[0]
            for row in connection.execute(
                "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'"
            )
        }
    assert owners == {team.OWNER}


def test_the_services_let_each_role_do_its_part(postgres: TeamServer) -> None:
    database = postgres.fresh_database("example")
    outcomes: dict[TeamRole, tuple[str, str]] = {}
    for role, login in postgres.MEMBERS.items():
        workspace = postgres.open(database, login)
        try:
            assert workspace.role is role
            outcomes[role] = (_attempt(_rename_a_level, workspace), _attempt(_log, workspace))
        finally:
            workspace.close()
    agent, manager = (
        "Not saved: you are signed in as agent",
        "Not saved: you are signed in as manager",
    )
    assert outcomes[TeamRole.LEAD] == ("saved", "saved")
    assert outcomes[TeamRole.AGENT][0].startswith(agent)
    assert "only a lead changes the matrix" in outcomes[TeamRole.AGENT][0]
    assert outcomes[TeamRole.AGENT][1] == "saved"
    assert all(outcome.startswith(manager) for outcome in outcomes[TeamRole.MANAGER])


def _attempt(action: Callable[[Workspace], None], workspace: Workspace) -> str:
    """ "saved", or the sentence the refusal gave."""
    try:
        action(workspace)
    except NotAllowedError as refused:
        return str(refused)
    return "saved"


def _rename_a_level(workspace: Workspace) -> None:
    matrix = MatrixService(workspace)
    matrix.rename_level(matrix.levels()[0], f"Critical ({workspace.member})")


def _log(workspace: Workspace) -> None:
    board = BoardService(workspace)
    ref = next(row.ref for row in board.rows(NOW) if row.status is not Status.CLOSED)
    board.log_update(ref, "Still on it", workspace.member, NOW)


def test_a_database_not_set_up_is_refused_with_what_to_do(postgres: TeamServer) -> None:
    postgres.sql("CREATE DATABASE not_set_up")
    with pytest.raises(WorkspaceError, match="team-setup"):
        team.open_team_workspace(team.team_url(postgres.server.url("not_set_up")))


def test_a_wrong_password_is_refused_in_a_sentence(postgres: TeamServer) -> None:
    url = team.team_url(postgres.server.url("template_empty", postgres.LEAD[0], "wrong"))
    with pytest.raises(WorkspaceError) as refused:
        team.open_team_workspace(url)
    assert str(refused.value).startswith("Could not open the team workspace at 127.0.0.1:")
    assert "password authentication failed" in str(refused.value)


@pytest.mark.parametrize(
    ("address", "sentence"),
    [
        ("sqlite:///x.escdesk", "is not one"),
        ("postgresql://someone@localhost", "names no database"),
        ("not an address", "is not a database address"),
    ],
)
def test_an_address_that_is_not_a_team_database_is_refused(address: str, sentence: str) -> None:
    with pytest.raises(WorkspaceError, match=sentence):
        team.team_url(address)


def test_a_file_copied_up_and_saved_back_down_keeps_every_row(
    postgres: TeamServer, example_workspace: Workspace, tmp_path: Path
) -> None:
    source_before = fingerprint(example_workspace)
    server_copy = postgres.fresh("empty")
    try:
        copied = copy_workspace(example_workspace, server_copy)
        saved = save_copy(server_copy, tmp_path / "down.escdesk")
        # The keys were copied as they were; a new row gets the next one, not a clash.
        matrix = MatrixService(server_copy)
        matrix.add_level(replace(matrix.levels()[-1].level, code="P4", name="Question"))
        assert [r.level.code for r in matrix.levels()] == ["P1", "P2", "P3", "P4"]
    finally:
        server_copy.close()
    with pytest.raises(WorkspaceError, match="already holds a workspace"):
        copy_workspace(example_workspace, example_workspace)
    assert fingerprint(example_workspace) == source_before  # copying changed nothing there
    assert not list(tmp_path.glob(".escdesk-copy-*"))
    down = open_workspace(saved)
    try:
        assert _row_counts(down) == _row_counts(example_workspace)
    finally:
        down.close()
    assert copied == sum(_row_counts(example_workspace).values())


def _row_counts(workspace: Workspace) -> dict[str, int]:
    with workspace.query() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table)) or 0
            for table in core.metadata.sorted_tables
        }


def test_a_listening_board_hears_which_escalation_someone_else_changed(
    postgres: TeamServer,
) -> None:
    database = postgres.fresh_database("example")
    mine, theirs = postgres.open(database), postgres.open(database, postgres.AGENT)
    listener = ChangeListener(mine.engine.url)
    try:
        row = next(r for r in BoardService(theirs).rows(NOW) if r.status is not Status.CLOSED)
        assert listener.changed() == set()
        BoardService(theirs).log_update(row.ref, "Customer called again", "Ana", NOW)
        assert listener.changed(wait_s=5) == {row.id}
        assert listener.changed() == set()  # each word is heard once
    finally:
        listener.close()
        mine.close()
        theirs.close()


def test_two_people_saving_the_same_level_lose_nothing(postgres: TeamServer) -> None:
    database = postgres.fresh_database("example")
    mine, theirs = postgres.open(database), postgres.open(database)
    try:
        my_view, their_view = MatrixService(mine).levels()[0], MatrixService(theirs).levels()[0]
        MatrixService(theirs).rename_level(their_view, "Outage")
        with pytest.raises(ChangedElsewhereError, match="Reload"):
            MatrixService(mine).rename_level(my_view, "Blocker")
        assert MatrixService(mine).levels()[0].level.name == "Outage"
    finally:
        mine.close()
        theirs.close()
