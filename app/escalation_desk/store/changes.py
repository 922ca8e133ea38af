"""Word from a team server that someone changed escalations: PostgreSQL's LISTEN/NOTIFY."""

from __future__ import annotations

from typing import TYPE_CHECKING

from escalation_desk.store.team import NOTIFY_CHANNEL

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy.engine import URL


class ChangeListener:
    """A connection of its own that hears which escalations other people changed.

    The server sends each changed escalation's id (the trigger set up with the schema), so a
    board reloads those rows instead of polling the whole table. ``fileno()`` becomes readable
    when word arrives, for a Qt socket notifier; ``changed()`` then drains it without waiting.
    """

    def __init__(self, url: URL) -> None:
        import psycopg  # noqa: PLC0415 - only team workspaces listen

        self._connection: psycopg.Connection[tuple[object, ...]] = psycopg.connect(
            url.set(drivername="postgresql").render_as_string(hide_password=False),
            autocommit=True,
        )
        self._connection.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def fileno(self) -> int:
        """The socket to watch for readability."""
        return self._connection.fileno()

    def changed(self, wait_s: float = 0.0) -> set[int]:
        """The ids of escalations changed since the last call (waiting up to ``wait_s`` for
        the first word when there is none yet)."""
        ids = self._drain(wait_s, stop_after=1) if wait_s else set()
        return ids | self._drain(0.0, stop_after=None)

    def _drain(self, wait_s: float, stop_after: int | None) -> set[int]:
        notices = self._connection.notifies(timeout=wait_s, stop_after=stop_after)
        return {int(n.payload) for n in notices if n.payload.isdigit()}

    def close(self) -> None:
        """Stop listening."""
        self._connection.close()
