"""The Reports screen: filters recompute the dashboard, charts show their numbers, the report
and a chart export, and the what-if replay runs from the window."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from PySide6.QtWidgets import QComboBox, QFileDialog, QTableWidget
from pytestqt.qtbot import QtBot

from escalation_desk.ui.main_window import MainWindow
from escalation_desk.ui.reports.page import ReportsPage
from tests.conftest import UCI_LOG


def reports(window: MainWindow) -> ReportsPage:
    window.show_screen("reports")
    return cast(ReportsPage, window.screen_widget("reports"))


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path, chosen_filter: str = "") -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(path), chosen_filter)
    )


def test_the_filters_recompute_tiles_and_charts(window: MainWindow, qtbot: QtBot) -> None:
    page = reports(window)
    everything = page.report
    assert everything is not None
    assert page.tiles["escalations"].value_label.text() == str(everything.escalations)
    assert len(page.cards) >= 6
    assert all(card.canvas.isVisible() for card in page.cards[:2])
    p1 = next(lv.escalations for lv in everything.by_severity if lv.code == "P1")

    page.filters.severity.setCurrentText("P1")
    qtbot.waitUntil(lambda: page.report is not None and page.report.escalations == p1)
    assert page.tiles["escalations"].value_label.text() == str(p1)

    page.filters.severity.setCurrentText("All")
    page.filters.team.setCurrentText("Backend")
    backend = next(t.escalations for t in everything.by_team if t.team == "Backend")
    qtbot.waitUntil(lambda: page.report is not None and page.report.escalations == backend)

    page.filters.team.setCurrentText("All")
    page.filters.period.setCurrentText("Custom…")
    assert page.filters.first.isVisible()
    page.filters.first.setDate(page.filters.first.date().addYears(-20))
    page.filters.last.setDate(page.filters.first.date().addDays(1))
    qtbot.waitUntil(lambda: page.report is not None and page.report.escalations == 0)
    assert page.message.text() == (
        "No escalation in this period and filter; choose a longer period or All."
    )
    assert page.tiles["sla"].value_label.text() == "—"


def test_the_tickets_handled_give_the_escalation_rate(window: MainWindow, qtbot: QtBot) -> None:
    page = reports(window)
    assert page.report is not None
    total = page.report.escalations
    page.filters.tickets.setValue(total * 10)
    qtbot.waitUntil(lambda: page.report is not None and page.report.tickets == total * 10)
    assert page.tiles["escalations"].toolTip() == "10.0% of the tickets handled"


def test_a_chart_shows_its_numbers_and_exports(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = reports(window)
    card = page.cards[0]
    card.toggle.click()
    assert card.stack.currentWidget() is card.table
    assert card.toggle.text() == "Chart"
    table = card.table
    assert isinstance(table, QTableWidget)
    assert table.rowCount() == len(card.chart.rows) > 0
    assert [table.item(0, c).text() for c in range(table.columnCount())] == list(card.chart.rows[0])
    save_as(monkeypatch, tmp_path / "volume", "SVG drawing (*.svg)")
    card.findChild(type(card.toggle), "chartExport").click()
    assert (tmp_path / "volume.svg").read_text().lstrip().startswith(("<?xml", "<svg"))


def test_export_report_writes_the_pdf(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = reports(window)
    save_as(monkeypatch, tmp_path / "november")
    page.export_button.click()
    written = tmp_path / "november.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    assert page.last_export == written
    assert page.message.text() == f"Report written to {written}"


def test_the_replay_runs_from_the_window(window: MainWindow, qtbot: QtBot) -> None:
    window._session.versions().publish("The matrix as the team uses it", "lead")
    page = reports(window)
    panel = page.replay
    panel.load(window._session)
    panel.against.setCurrentIndex(1)  # version 1
    panel.choose_file(UCI_LOG)
    panel.run_button.click()
    qtbot.waitUntil(lambda: panel.result is not None, timeout=30_000)
    assert panel.result is not None
    result = panel.result.replay
    assert panel.summary.text().startswith(f"{result.tickets:,} tickets replayed.")
    assert result.difference is not None  # compared with version 1
    assert panel.by_team.rowCount() == len(result.difference.by_team) > 0
    assert panel.by_team.item(0, 0).text() == next(iter(result.difference.by_team))
    assert panel.canvas is not None
    assert panel.canvas.objectName() == "replayChart"


def test_a_priority_no_level_matches_can_be_given_one(window: MainWindow, qtbot: QtBot) -> None:
    panel = reports(window).replay
    panel.choose_file(UCI_LOG)
    panel.run_button.click()
    qtbot.waitUntil(lambda: panel.result is not None, timeout=30_000)
    assert panel.result is not None
    left_out = panel.result.replay.b.unmapped_priorities
    assert left_out == {"4 - Low": left_out["4 - Low"]}
    assert "choose a level for them below" in panel.summary.text()
    assert not panel.priorities.isHidden()
    assert panel.priorities.item(0, 0).text() == "4 - Low"
    combo = panel.priorities.cellWidget(0, 1)
    assert isinstance(combo, QComboBox)
    replayed = panel.result.replay.b.replayed
    combo.setCurrentText("P3")  # replays at once
    assert panel.result.replay.b.unmapped_priorities == {}
    assert panel.result.replay.b.replayed == replayed + left_out["4 - Low"]
    assert panel.chosen_priorities() == {"4 - Low": "P3"}
    assert "left out" not in panel.summary.text()
