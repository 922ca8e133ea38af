"""Runs the Alembic migrations in this package against an engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """A configuration that needs no alembic.ini on disk."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision, in one transaction.

    The transaction takes the write lock first, so that two instances opening the same new
    file migrate it once: the second waits, then finds the schema current.
    """
    with engine.execution_options(immediate=True).begin() as connection:
        upgrade_on(connection)


def upgrade_on(connection: Connection) -> None:
    """Bring the schema to the newest revision inside the caller's transaction."""
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def script_revisions() -> list[str]:
    """Every revision the scripts define, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
