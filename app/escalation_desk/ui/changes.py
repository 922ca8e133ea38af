"""Hears, while a team workspace is open, which escalations other people changed."""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QObject, QSocketNotifier, Signal, Slot

log = logging.getLogger(__name__)


class Listener(Protocol):
    """What the session's change listener offers: a socket to watch, and what changed."""

    def fileno(self) -> int: ...

    def changed(self, wait_s: float = 0.0) -> set[int]: ...

    def close(self) -> None: ...


class ChangeWatch(QObject):
    """Wakes when the server's word arrives on the listener's socket; no polling."""

    #: The ids of escalations someone changed (never empty).
    escalations_changed = Signal(object)
    #: The connection that listens was lost, with a sentence; the watch has stopped.
    lost = Signal(str)

    def __init__(self, listener: Listener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._listener = listener
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)

    def stop(self) -> None:
        """Stop listening and let the connection go."""
        self._notifier.setEnabled(False)
        self._listener.close()

    @Slot()
    def _on_notifier_activated(self) -> None:
        try:
            ids = self._listener.changed()
        except Exception as exc:  # a dropped connection keeps the socket readable: stop
            log.warning("Stopped hearing about changes: %s", exc)
            self.stop()
            self.lost.emit(
                "Live updates from the team server stopped; press F5 to read the workspace."
            )
            return
        if ids:
            self.escalations_changed.emit(ids)
