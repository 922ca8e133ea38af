"""Every row of one workspace into another: a file up to a team server, or a team's down."""

from __future__ import annotations

from itertools import islice

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection

from escalation_desk.store.core import metadata
from escalation_desk.store.db import Workspace
from escalation_desk.store.errors import WorkspaceError

_BATCH = 2000


def copy_workspace(source: Workspace, target: Workspace) -> int:
    """Copy every table's rows from ``source`` into the empty ``target``, in one transaction.

    Keys are kept as they are, so that every reference still points where it did; the target
    is refused unless it is empty, so that nothing of it is overwritten or mixed. Returns the
    number of rows copied.
    """
    copied = 0
    with source.query() as reading, target.engine.begin() as writing:
        if not _is_empty(writing):
            raise WorkspaceError(
                f"{target.name} already holds a workspace; copy into a new, empty one."
            )
        for table in metadata.sorted_tables:  # parents before the rows that refer to them
            # A generated column is the database's to write.
            written = [column for column in table.columns if column.computed is None]
            rows = reading.execute(select(*written).order_by(*table.primary_key.columns))
            while batch := [dict(row) for row in islice(rows.mappings(), _BATCH)]:
                writing.execute(insert(table), batch)
                copied += len(batch)
        if writing.dialect.name == "postgresql":
            _advance_sequences(writing)
    return copied


def _is_empty(connection: Connection) -> bool:
    return not any(
        connection.scalar(select(func.count()).select_from(table))
        for table in metadata.sorted_tables
    )


def _advance_sequences(connection: Connection) -> None:
    """Rows came with their keys, so each key sequence moves past the largest one copied."""
    for table in metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.autoincrement:
            continue
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            ),
            {"table": table.name},
        )
