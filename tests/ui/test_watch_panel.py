"""The "due to escalate" panel shows the workspace it watches now, whatever was still running."""

from __future__ import annotations

import threading
from datetime import datetime

from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from escalation_desk.domain.watch import WatchItem, WatchKind
from escalation_desk.ui.board.watch import WatchPanel


def item(ref: str) -> WatchItem:
    return WatchItem(ref, WatchKind.BREACHED, "answer overdue", f"{ref}-breached")


def test_a_recalculation_for_the_workspace_before_reports_to_no_one(qtbot: QtBot) -> None:
    panel = WatchPanel()
    qtbot.addWidget(panel)
    release = threading.Event()
    calls = 0

    def old_workspace(_now: datetime) -> list[WatchItem]:
        nonlocal calls
        calls += 1
        if calls > 1:  # the recalculation in the background, still running at the switch
            release.wait(5)
        return [item("OLD-1")]

    panel.watch_with(old_workspace)
    panel.refresh()
    panel.watch_with(lambda _now: [item("NEW-1")])
    assert panel.title.text() == "Due to escalate · 1"
    assert "NEW-1" in panel.list.item(0).text()

    release.set()
    QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)  # the old job's result reaches the window's thread, and is dropped
    assert "NEW-1" in panel.list.item(0).text()
    assert panel._jobs == []
    panel.refresh()  # the new workspace's own recalculations go on
    qtbot.waitUntil(lambda: not panel._running)
    assert "NEW-1" in panel.list.item(0).text()
