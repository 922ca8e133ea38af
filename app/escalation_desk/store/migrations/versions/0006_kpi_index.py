"""Indexes for the KPI report: the escalations in severity and team order with every column
it counts by, and the checklist entries that hold evidence."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# As store.facts declares them when this revision was written.
COLUMNS = (
    "severity_id",
    "team_id",
    "escalated_at",
    "source",
    "reopen_count",
    "reassignment_count",
    "started_at",
    "handed_back_at",
    "acknowledged_at",
    "last_update_at",
    "resolved_at",
    "longest_update_gap_minutes",
    "made_sla",
)


WITH_EVIDENCE = "evidence != '{}'"


def upgrade() -> None:
    op.create_index(op.f("ix_escalations_kpis"), "escalations", list(COLUMNS))
    op.create_index(
        op.f("ix_checklist_entries_evidence"),
        "checklist_entries",
        ["escalation_id"],
        sqlite_where=sa.text(WITH_EVIDENCE),
        postgresql_where=sa.text(WITH_EVIDENCE),
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_checklist_entries_evidence"), table_name="checklist_entries")
    op.drop_index(op.f("ix_escalations_kpis"), table_name="escalations")
