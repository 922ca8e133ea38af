"""Imported escalations' source and SLA verdict, and the longest wait for an update."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


# The wait between two moments in minutes, as each database computes it.
GAP = {
    "sqlite": "(julianday(t) - julianday(lag(t) OVER (ORDER BY t))) * 1440.0",
    "postgresql": "extract(epoch FROM t - lag(t) OVER (ORDER BY t)) / 60.0",
}
BACKFILL = """
UPDATE escalations SET longest_update_gap_minutes = (
    SELECT max(gap) FROM (
        SELECT {gap} AS gap
        FROM (
            SELECT coalesce(escalations.acknowledged_at, escalations.escalated_at) AS t
            UNION ALL
            SELECT e.at FROM escalation_events AS e
            WHERE e.escalation_id = escalations.id AND e.kind = 'update_logged'
              AND e.at >= coalesce(escalations.acknowledged_at, escalations.escalated_at)
              AND (escalations.resolved_at IS NULL OR e.at <= escalations.resolved_at)
            UNION ALL
            SELECT escalations.resolved_at WHERE escalations.resolved_at IS NOT NULL
        ) AS moments
    ) AS gaps
)
WHERE escalated_at IS NOT NULL
"""


def upgrade() -> None:
    with op.batch_alter_table("escalations") as batch_op:
        batch_op.add_column(sa.Column("made_sla", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("source", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("longest_update_gap_minutes", sa.Double(), nullable=True))
    # Escalations raised before: their longest wait is worked out from their timelines, on the
    # wall clock (a migration cannot know the calendars' rules; the app keeps it from now on).
    op.execute(BACKFILL.format(gap=GAP[op.get_bind().dialect.name]))


def downgrade() -> None:
    with op.batch_alter_table("escalations") as batch_op:
        batch_op.drop_column("longest_update_gap_minutes")
        batch_op.drop_column("source")
        batch_op.drop_column("made_sla")
