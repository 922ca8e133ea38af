"""Alembic environment: migrations run on the connection the app passes in."""

from __future__ import annotations

from alembic import context

from escalation_desk.store.core import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the app always passes one
    raise RuntimeError("Run migrations through escalation_desk.store.migrate")

# render_as_batch: SQLite alters tables by copying them, which Alembic's batch mode does.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
