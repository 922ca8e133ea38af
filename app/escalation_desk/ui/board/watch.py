"""The "due to escalate" panel: refreshed off the GUI thread, a tray message per new item."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.watch import WatchItem, WatchKind
from escalation_desk.ui import theme

log = logging.getLogger(__name__)

REFRESH_MS = 60_000
KIND_WORDS = {
    WatchKind.BREACHED: "Breached",
    WatchKind.TRIGGER_FIRED: "Escalate",
    WatchKind.UPDATE_OVERDUE: "Update due",
    WatchKind.BOUNCING: "Bouncing",
    WatchKind.AT_RISK: "At risk",
}


class _Signals(QObject):
    """Carries a finished computation back to the GUI thread, with the job that made it."""

    done = Signal(object, object)
    failed = Signal(object, object)


class _WatchJob(QRunnable):
    """Computes the watch list on a pool thread; the database session is the job's own."""

    def __init__(self, compute: Callable[[datetime], list[WatchItem]]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the panel keeps it until it has reported
        self.signals = _Signals()
        self.compute = compute

    def run(self) -> None:
        """Compute, and hand the result (or the error) to the GUI thread."""
        try:
            self.signals.done.emit(self, self.compute(datetime.now(UTC)))
        except Exception as exc:  # handed to the GUI thread, which shows it
            self.signals.failed.emit(self, exc)


class WatchPanel(QWidget):
    """Lists what needs the lead now; clicking an item selects its card."""

    #: ref: an item was clicked.
    ref_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("watchPanel")
        self._compute: Callable[[datetime], list[WatchItem]] | None = None
        self._notified: set[str] = set()
        self._running = False
        self._jobs: list[_WatchJob] = []
        self.title = QLabel("Due to escalate")
        self.title.setObjectName("cardTitle")
        self.list = QListWidget()
        self.list.setObjectName("watchList")
        self.list.setAccessibleName("Due to escalate")
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._on_list_item_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        self._tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(self.windowIcon(), self)
            self._tray.setToolTip("Escalation Desk")
            self._tray.show()
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def watch_with(self, compute: Callable[[datetime], list[WatchItem]]) -> None:
        """Watch with ``compute`` (a service call on one workspace that opens its own
        session), from now on: a job still running for the workspace before reports to no
        one."""
        self._compute = compute
        self._running = False
        # What is already due when a workspace opens is shown at once, and not announced.
        items = compute(datetime.now(UTC))
        self._notified = {item.key for item in items}
        self.show_items(items)
        self._timer.start()

    @Slot()
    def refresh(self) -> None:
        """Recompute on a pool thread; the window keeps answering meanwhile."""
        if self._compute is None or self._running:
            return
        self._running = True
        job = _WatchJob(self._compute)
        job.signals.done.connect(self._on_job_done)
        job.signals.failed.connect(self._on_job_failed)
        self._jobs.append(job)  # keeps the job (and its signals) alive until it reports
        QThreadPool.globalInstance().start(job)

    def _settled(self, job: object) -> bool:
        """Forget ``job``, which has reported; whether it was computing for the workspace
        watched now."""
        assert isinstance(job, _WatchJob)
        self._jobs.remove(job)
        current = job.compute is self._compute
        if current:
            self._running = False
        return current

    def show_items(self, items: list[WatchItem]) -> None:
        """Fill the list; a tray message for each item not seen before."""
        self.list.clear()
        for item in items:
            entry = QListWidgetItem(f"{KIND_WORDS[item.kind]:<11} {item.ref}  {item.text}")
            entry.setData(Qt.ItemDataRole.UserRole, item.ref)
            if item.kind in (WatchKind.BREACHED, WatchKind.TRIGGER_FIRED):
                entry.setForeground(QColor(theme.colour("bad")))
            self.list.addItem(entry)
        if not items:
            self.list.addItem("Nothing is due: no trigger has fired and no deadline is at risk.")
        self.title.setText(f"Due to escalate · {len(items)}")
        fresh = [item for item in items if item.key not in self._notified]
        for item in fresh:
            self._notified.add(item.key)
        if fresh and self._tray is not None:
            first = fresh[0]
            more = f" (and {len(fresh) - 1} more)" if len(fresh) > 1 else ""
            self._tray.showMessage("Due to escalate", f"{first.ref}: {first.text}{more}")

    @Slot(object, object)
    def _on_job_done(self, job: object, items: object) -> None:
        if self._settled(job):
            assert isinstance(items, list)
            self.show_items(items)

    @Slot(object, object)
    def _on_job_failed(self, job: object, exc: object) -> None:
        if not self._settled(job):
            return  # the workspace it read has been closed since
        self._timer.stop()  # a failing watch must not raise every minute
        assert isinstance(exc, BaseException)
        raise exc

    @Slot(QListWidgetItem)
    def _on_list_item_clicked(self, item: QListWidgetItem) -> None:
        ref = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(ref, str):
            self.ref_chosen.emit(ref)
