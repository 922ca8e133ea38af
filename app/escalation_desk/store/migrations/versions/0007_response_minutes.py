"""Each escalation's minutes from escalating to acknowledging, worked out by the database and
indexed by severity (the answered ones), so that the KPIs read their medians in order instead
of sorting them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# As store.timesql writes them when this revision was written.
MINUTES = {
    "sqlite": (
        "CAST(strftime('%s', acknowledged_at) AS INTEGER) / 60.0"
        " - CAST(strftime('%s', escalated_at) AS INTEGER) / 60.0"
    ),
    "postgresql": (
        "CAST(floor(extract(epoch FROM acknowledged_at)) / 60.0 AS DOUBLE PRECISION)"
        " - CAST(floor(extract(epoch FROM escalated_at)) / 60.0 AS DOUBLE PRECISION)"
    ),
}
ANSWERED = "acknowledged_at IS NOT NULL"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # SQLite adds only a virtual generated column to a table that has rows; PostgreSQL (before
    # 18) makes only stored ones.
    generated = sa.Computed(sa.text(MINUTES[dialect]), persisted=dialect == "postgresql")
    op.add_column("escalations", sa.Column("response_minutes", sa.Double(), generated))
    op.create_index(
        op.f("ix_escalations_response"),
        "escalations",
        ["severity_id", "response_minutes", "escalated_at", "team_id"],
        sqlite_where=sa.text(ANSWERED),
        postgresql_where=sa.text(ANSWERED),
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_escalations_response"), table_name="escalations")
    with op.batch_alter_table("escalations") as batch:
        batch.drop_column("response_minutes")
