"""What an imported escalation brings from its helpdesk: its source and its SLA verdict."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("escalations") as batch_op:
        batch_op.add_column(sa.Column("made_sla", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("source", sa.String(length=32), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("escalations") as batch_op:
        batch_op.drop_column("source")
        batch_op.drop_column("made_sla")
