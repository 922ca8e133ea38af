"""Persistence: SQLAlchemy tables, engine and sessions, Alembic migrations, backups."""
