"""A severity level may exist before its target response is decided (the linter says so)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("severity_levels") as batch_op:
        batch_op.alter_column("target_response_minutes", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("severity_levels") as batch_op:
        batch_op.alter_column("target_response_minutes", existing_type=sa.Integer(), nullable=False)
