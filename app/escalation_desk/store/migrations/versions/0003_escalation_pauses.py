"""Pauses of an escalation's clocks (waiting on the customer), one row per pause."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "escalation_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
            name=op.f("fk_escalation_pauses_escalation_id_escalations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_pauses")),
    )
    with op.batch_alter_table("escalation_pauses") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_escalation_pauses_escalation_id"), ["escalation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("escalation_pauses") as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalation_pauses_escalation_id"))
    op.drop_table("escalation_pauses")
