"""Migrations 0005 and 0007 work out the KPIs' facts of escalations that were there before."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command

from escalation_desk.store import db
from escalation_desk.store.db import open_workspace
from escalation_desk.store.facts import read_checklist_state
from escalation_desk.store.migrate import alembic_config


def test_escalations_from_before_0005_get_their_facts_and_response_minutes(tmp_path: Path) -> None:
    path = tmp_path / "old.escdesk"
    engine = db.make_engine(path)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.exec_driver_sql(
            "INSERT INTO severity_levels (id, code, name, rank, colour, target_response_business,"
            " update_every_business, target_resolution_business, method, updates_by, hand_back,"
            " version) VALUES (1, 'P1', 'Critical', 1, '#D55E00', 0, 0, 0, '', 'liaison', '', 1)"
        )
        # Opened 09:00, escalated 09:30, acknowledged 10:00, resolved 12:30, closed 13:00; the
        # second was imported, so the app timed none of its steps.
        for ref, source in (("OLD-1", ""), ("OLD-2", "jira")):
            connection.exec_driver_sql(
                "INSERT INTO escalations (ref, title, severity_id, status, customer, module,"
                " issue_type, customers_affected, customer_impact, tried, reproduce, created_at,"
                " escalated_at, acknowledged_at, resolved_at, closed_at, reopen_count,"
                " reassignment_count, version, source) VALUES"
                f" ('{ref}', 'x', 1, 'closed', '', '', '', 0, '', '', '',"
                " '2026-01-05 09:00:00.000000', '2026-01-05 09:30:00.000000',"
                " '2026-01-05 10:00:00.000000', '2026-01-05 12:30:00.000000',"
                f" '2026-01-05 13:00:00.000000', 0, 0, 1, '{source}')"
            )
        for position, name, done_at, waived in (
            (1, "Team debriefed", None, ""),
            (0, "Root cause documented", "2026-01-05 12:50:00.000000", ""),
        ):
            connection.exec_driver_sql(
                "INSERT INTO checklist_entries (escalation_id, position, name, evidence_kinds,"
                " gate, done_at, done_by, evidence, waived_reason, waived_by, version)"
                " VALUES (1, ?, ?, '', 'warning', ?, '', '{}', ?, '', 1)",
                (position, name, done_at, waived),
            )
    engine.dispose()
    workspace = open_workspace(path)
    try:
        with workspace.query() as conn:
            rows = {
                row.ref: row
                for row in conn.exec_driver_sql(
                    "SELECT e.ref, e.response_minutes, f.* FROM escalation_facts AS f"
                    " JOIN escalations AS e ON e.id = f.escalation_id"
                )
            }
    finally:
        workspace.close()
    timed = rows["OLD-1"]
    assert (timed.escalate_minutes, timed.escalated_stay) == pytest.approx((30, 30))
    # Acknowledged, then resolved with no start between: the stay runs to the resolution.
    assert (timed.acknowledged_stay, timed.in_progress_stay) == pytest.approx((150, None))
    assert (timed.handed_back_stay, timed.resolved_stay) == pytest.approx((None, 30))
    assert read_checklist_state(timed.checklist) == [
        (0, "Root cause documented", True),
        (1, "Team debriefed", False),
    ]
    imported = rows["OLD-2"]
    # Escalated 09:30, acknowledged 10:00, whoever timed it.
    assert timed.response_minutes == imported.response_minutes == 30.0
    assert (imported.escalate_minutes, imported.escalated_stay, imported.checklist) == (
        None,
        None,
        "",
    )
