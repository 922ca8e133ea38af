"""The workspace file: migrated on open, newer schemas refused, SQLite configured safely."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError, OperationalError

from escalation_desk.store import core, db, schema
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace, open_workspace
from escalation_desk.store.errors import WorkspaceError, WorkspaceTooNewError
from escalation_desk.store.migrate import alembic_config, script_revisions
from tests.workspaces import sqlite_only


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_file_is_migrated_to_the_newest_schema(empty_workspace: Workspace) -> None:
    with empty_workspace.read() as s:
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
        tables = set(inspect(s.connection()).get_table_names())
    assert {"severity_levels", "escalations", "escalation_events", "routing_rules"} <= tables


def test_the_known_revisions_match_the_migration_scripts() -> None:
    assert list(schema.REVISIONS) == script_revisions()


@sqlite_only
def test_every_connection_has_foreign_keys_wal_and_a_busy_timeout(
    empty_workspace: Workspace,
) -> None:
    with empty_workspace.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.BUSY_TIMEOUT_MS


def test_foreign_keys_are_enforced(empty_workspace: Workspace) -> None:
    with pytest.raises(IntegrityError), empty_workspace.write() as s:
        s.add(t.Role(name="Ghost", team_id=999))
    with empty_workspace.read() as s:
        assert s.query(t.Role).count() == 0


@sqlite_only
def test_a_write_takes_the_lock_at_once(empty_workspace: Workspace) -> None:
    with empty_workspace.write() as s:
        s.execute(text("SELECT 1"))
        other = sqlite3.connect(empty_workspace.path, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_a_newer_schema_is_refused_and_the_file_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "future.escdesk"
    open_workspace(path).close()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
        # A single-file database, as "Save a copy" writes: opening must not turn it to WAL.
        conn.execute("PRAGMA journal_mode = DELETE")
    before = digest(path)
    with pytest.raises(WorkspaceTooNewError) as refused:
        open_workspace(path)
    assert "newer Escalation Desk" in str(refused.value)
    assert "update the app" in str(refused.value)
    assert digest(path) == before
    assert not path.with_name("future.escdesk-wal").exists()


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.escdesk"
    path.write_text("this is not a database, just a note someone renamed\n" * 40)
    with pytest.raises(WorkspaceError, match="not an Escalation Desk workspace"):
        open_workspace(path)


def test_someone_elses_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.escdesk"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(WorkspaceError, match="not an Escalation Desk workspace"):
        open_workspace(path)


def test_an_older_workspace_is_copied_aside_then_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.escdesk"
    engine = db.make_engine(path)
    config = alembic_config()
    with engine.begin() as connection:  # a workspace as the first release wrote it
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO severity_levels (code, name, rank, colour, target_response_minutes,"
            " target_response_business, update_every_business, target_resolution_business,"
            " method, updates_by, hand_back, version)"
            " VALUES ('P1', 'Critical', 1, '#D55E00', 30, 0, 0, 0, '', 'liaison', '', 1)"
        )
    engine.dispose()
    workspace = open_workspace(path)
    try:
        with workspace.query() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == (
                schema.HEAD
            )
            assert conn.exec_driver_sql("SELECT name FROM severity_levels").scalar() == "Critical"
    finally:
        workspace.close()
    copies = list(tmp_path.glob(f"old.before-{schema.HEAD}-*.escdesk"))
    assert len(copies) == 1
    with closing(sqlite3.connect(copies[0])) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"


def test_the_timeline_is_append_only(example_workspace: Workspace) -> None:
    # A file's triggers refuse it; on a team server the member's role has not the privilege.
    refused = "append-only|permission denied for table escalation_events"
    with pytest.raises(Exception, match=refused), example_workspace.write() as s:
        s.execute(text("UPDATE escalation_events SET actor = 'someone else'"))
    with pytest.raises(Exception, match=refused), example_workspace.write() as s:
        s.execute(text("DELETE FROM escalation_events"))
    with example_workspace.read() as s:
        assert s.query(t.EscalationEvent).filter_by(actor="someone else").count() == 0


def test_timestamps_come_back_aware_in_utc(empty_workspace: Workspace) -> None:
    moment = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    with empty_workspace.write() as s:
        s.add(t.MatrixVersion(number=1, published_at=moment, snapshot="{}"))
    with empty_workspace.read() as s:
        stored = s.query(t.MatrixVersion).one().published_at
    assert stored == moment
    assert stored.tzinfo is UTC


def test_naive_timestamps_are_refused(empty_workspace: Workspace) -> None:
    with pytest.raises(Exception, match="timezone-aware"), empty_workspace.write() as s:
        s.add(t.MatrixVersion(number=1, published_at=datetime(2026, 1, 1), snapshot="{}"))


def test_a_failed_migration_says_so_and_keeps_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.escdesk"
    open_workspace(path).close()
    monkeypatch.setattr(schema, "REVISIONS", (schema.HEAD, "future"))
    monkeypatch.setattr(schema, "HEAD", "future")

    def failing_upgrade(engine: object) -> None:
        raise OperationalError("ALTER TABLE", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(db, "_upgrade", failing_upgrade)
    with pytest.raises(WorkspaceError) as refused:
        open_workspace(path)
    message = str(refused.value)
    assert message.startswith("old.escdesk could not be brought up to date (disk I/O error).")
    copy = next(tmp_path.glob("old.before-future-*.escdesk"))
    assert copy.name in message


def test_the_core_schema_is_what_the_migrations_build(empty_workspace: Workspace) -> None:
    # A table or column changed in core.py without a migration (or the reverse) shows here.
    with empty_workspace.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), core.metadata) == []


def test_escalations_from_before_0004_get_their_longest_wait_for_an_update(tmp_path: Path) -> None:
    path = tmp_path / "old.escdesk"
    engine = db.make_engine(path)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.exec_driver_sql(
            "INSERT INTO severity_levels (id, code, name, rank, colour, target_response_business,"
            " update_every_business, target_resolution_business, method, updates_by, hand_back,"
            " version) VALUES (1, 'P1', 'Critical', 1, '#D55E00', 0, 0, 0, '', 'liaison', '', 1)"
        )
        # Acknowledged at 10:00, updates at 10:40 and 12:00, resolved at 12:30: the longest
        # wait is the 80 minutes from 10:40 to 12:00.
        connection.exec_driver_sql(
            "INSERT INTO escalations (id, ref, title, severity_id, status, customer, module,"
            " issue_type, customers_affected, customer_impact, tried, reproduce, created_at,"
            " escalated_at, acknowledged_at, resolved_at, reopen_count, reassignment_count,"
            " version) VALUES (1, 'OLD-1', 'x', 1, 'resolved', '', '', '', 0, '', '', '',"
            " '2026-01-05 09:00:00.000000', '2026-01-05 09:30:00.000000',"
            " '2026-01-05 10:00:00.000000', '2026-01-05 12:30:00.000000', 0, 0, 1)"
        )
        for at in ("2026-01-05 10:40:00.000000", "2026-01-05 12:00:00.000000"):
            connection.exec_driver_sql(
                "INSERT INTO escalation_events (escalation_id, at, actor, kind, detail)"
                f" VALUES (1, '{at}', 'Ana', 'update_logged', 'still on it')"
            )
    engine.dispose()
    workspace = open_workspace(path)
    try:
        with workspace.query() as conn:
            gap = conn.exec_driver_sql(
                "SELECT longest_update_gap_minutes FROM escalations WHERE ref = 'OLD-1'"
            ).scalar()
            source = conn.exec_driver_sql("SELECT source FROM escalations").scalar()
    finally:
        workspace.close()
    assert gap == pytest.approx(80, abs=0.01)
    assert source == ""
