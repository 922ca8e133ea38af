"""Facts the KPIs need of each escalation (lane stays, time to escalate, closure loop), kept."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from escalation_desk.store.facts import LANE_COLUMNS, keep_facts

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "escalation_facts",
        sa.Column("escalation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("escalate_minutes", sa.Double(), nullable=True),
        *(sa.Column(name, sa.Double(), nullable=True) for name in LANE_COLUMNS),
        sa.Column("checklist", sa.Text(), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
            name=op.f("fk_escalation_facts_escalation_id_escalations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("escalation_id", name=op.f("pk_escalation_facts")),
    )
    # Escalations from before: their facts are worked out from their stamps and checklists
    # as the app keeps them from now on (plain arithmetic on the wall clock: no calendar).
    keep_facts(op.get_bind(), sa.true())


def downgrade() -> None:
    op.drop_table("escalation_facts")
