"""A dashboard chart card: the matplotlib chart, or the numbers behind it, and its export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.reports.kpi_charts import Chart, save_chart
from escalation_desk.ui.reports.canvas import figure_widget

EXPORT_FILTERS = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ChartCard(QFrame):
    """One chart: title, the chart (or its table), the sentence that reads it, and actions."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.chart = chart
        self.setAccessibleName(chart.title)
        title = QLabel(chart.title)
        title.setObjectName("cardTitle")
        title.setWordWrap(True)
        self.toggle = QPushButton("Numbers")
        self.toggle.setObjectName("chartNumbers")
        self.toggle.setCheckable(True)
        self.toggle.setToolTip("Show the numbers behind the chart as a table")
        self.toggle.toggled.connect(self._on_toggle_toggled)
        export = QPushButton("Export…")
        export.setObjectName("chartExport")
        export.setToolTip("Save the chart as PNG, SVG or PDF")
        export.clicked.connect(self._on_export_clicked)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(self.toggle)
        header.addWidget(export)

        self.canvas = figure_widget(chart.figure(titled=False), f"chart_{chart.key}")
        self.canvas.setAccessibleName(chart.title)
        self.canvas.setAccessibleDescription(chart.sentence)
        self.table = QTableWidget(len(chart.rows), len(chart.headers))
        self.table.setObjectName(f"table_{chart.key}")
        self.table.setHorizontalHeaderLabels(list(chart.headers))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(chart.rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(str(value))
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.canvas)
        self.stack.addWidget(self.table)

        self.sentence = QLabel(chart.sentence)
        self.sentence.setObjectName("chartSentence")
        self.sentence.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.sentence)

    @Slot(bool)
    def _on_toggle_toggled(self, numbers: bool) -> None:
        self.stack.setCurrentWidget(self.table if numbers else self.canvas)
        self.toggle.setText("Chart" if numbers else "Numbers")

    @Slot()
    def _on_export_clicked(self) -> None:
        proposal = str(Path.home() / f"{self.chart.title}.png")
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            self, "Export chart", proposal, EXPORT_FILTERS
        )
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() not in (".png", ".svg", ".pdf"):
            # The filter picked says the format when the name does not.
            target = target.with_suffix("." + chosen_filter.split("*.")[-1].rstrip(")"))
        try:
            save_chart(self.chart, target)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Cannot export the chart", str(exc))
