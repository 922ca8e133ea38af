"""The service suite runs on a local file and on a team database on PostgreSQL."""

from tests.conftest import both_backends as backend

__all__ = ["backend"]
