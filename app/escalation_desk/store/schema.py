"""The schema revisions this build knows, so that start-up can check one without Alembic."""

# Oldest first; the last one is what this build writes. tests/store checks that this list
# matches the Alembic scripts in migrations/versions.
REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
HEAD = REVISIONS[-1]
