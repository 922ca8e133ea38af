"""The detail pane: one escalation's owners, deadlines with their reasons, moves and timeline."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.clock import BusinessCalendar, DeadlineState
from escalation_desk.domain.closure import Gate
from escalation_desk.domain.deadlines import explain
from escalation_desk.domain.handoff import Format
from escalation_desk.domain.lifecycle import Status, allowed_moves
from escalation_desk.services.board import BoardRow
from escalation_desk.services.closure import ChecklistLine
from escalation_desk.ui import theme
from escalation_desk.ui.team import permit
from escalation_desk.ui.widgets import ElidedLabel, SeverityChip, clear_layout

MOVE_WORDS = {
    Status.ESCALATED: "Escalate",
    Status.ACKNOWLEDGED: "Acknowledge",
    Status.IN_PROGRESS: "Start work",
    Status.HANDED_BACK: "Hand back",
    Status.RESOLVED: "Resolve",
    Status.CLOSED: "Close",
}
STATE_WORDS = {
    DeadlineState.ON_TRACK: "on track",
    DeadlineState.AT_RISK: "at risk",
    DeadlineState.CRITICAL: "critical",
    DeadlineState.BREACHED: "breached",
    DeadlineState.MET: "met",
}
EVENT_WORDS = {
    "created": "Created",
    "escalated": "Escalated",
    "acknowledged": "Acknowledged",
    "started": "Work started",
    "reassigned": "Reassigned",
    "update_logged": "Update",
    "handed_back": "Handed back",
    "resolved": "Resolved",
    "closed": "Closed",
    "reopened": "Reopened",
    "checklist_item_done": "Checklist item done",
    "checklist_item_waived": "Checklist item waived",
}
HANDOFF_TITLES = {
    Format.JIRA: "for Jira",
    Format.TEAMS: "for Teams",
    Format.SLACK: "for Slack",
    Format.EMAIL: "for e-mail",
}


class DetailPane(QFrame):
    """Shows the selected escalation; its buttons ask the page to act."""

    #: (ref, target status value): a move button was pressed.
    move_requested = Signal(str, str)
    #: (ref, text): Log update was pressed with a note.
    update_requested = Signal(str, str)
    #: (ref, waiting): the clock pause was switched.
    waiting_requested = Signal(str, bool)
    #: (ref, format value): a hand-off summary was asked for.
    handoff_requested = Signal(str, str)
    #: ref: Reassign… was pressed.
    reassign_requested = Signal(str)
    #: (ref, item): Complete… was pressed on a closure item.
    complete_requested = Signal(str, str)
    #: (ref, item): Waive… was pressed on a closure item.
    waive_requested = Signal(str, str)
    #: ref: Follow-up… was pressed.
    follow_up_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setMinimumWidth(320)
        self._ref = ""
        self._waiting = False
        self._acting_refused = ""  # why the person may not act on escalations ("" if they may)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)

        head = QHBoxLayout()
        self.chip = SeverityChip("", "#ffffff")
        self.ref_label = QLabel()
        self.ref_label.setObjectName("ref")
        self.status_label = QLabel()
        self.status_label.setObjectName("muted")
        head.addWidget(self.chip)
        head.addWidget(self.ref_label)
        head.addStretch(1)
        head.addWidget(self.status_label)
        layout.addLayout(head)
        self.title = QLabel()
        self.title.setObjectName("strong")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        self.fields: dict[str, QLabel] = {}
        for row, (key, caption) in enumerate(
            (
                ("customer", "Customer"),
                ("owner", "Engineer side"),
                ("liaison", "Support liaison"),
                ("route", "Team / role"),
                ("version", "Matrix"),
            )
        ):
            label = QLabel(caption)
            label.setObjectName("muted")
            value = ElidedLabel()
            grid.addWidget(label, row, 0)
            grid.addWidget(value, row, 1)
            self.fields[key] = value
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        self.moves = QHBoxLayout()
        self.moves.setSpacing(6)
        layout.addLayout(self.moves)
        extra = QHBoxLayout()
        self.wait_button = QPushButton("Pause clocks")
        self.wait_button.setObjectName("waitingButton")
        self.wait_button.setToolTip("Waiting on the customer: stop the clocks until they answer")
        self.wait_button.clicked.connect(self._on_wait_clicked)
        self.reassign_button = QPushButton("Reassign…")
        self.reassign_button.setObjectName("reassignButton")
        self.reassign_button.clicked.connect(self._on_reassign_clicked)
        self.handoff_button = QToolButton()
        self.handoff_button.setObjectName("handoffButton")
        self.handoff_button.setText("Copy hand-off")
        self.handoff_button.setToolTip(
            "Copy a ready-to-paste hand-off summary for Jira, Teams, Slack or e-mail"
        )
        self.handoff_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.handoff_button)
        for fmt, title in HANDOFF_TITLES.items():
            action = QAction(f"Copy {title}", menu)
            action.setObjectName(f"handoff_{fmt.value}")
            action.triggered.connect(lambda _c=False, f=fmt: self._on_handoff_chosen(f))
            menu.addAction(action)
        self.handoff_button.setMenu(menu)
        extra.addWidget(self.wait_button)
        extra.addWidget(self.reassign_button)
        extra.addWidget(self.handoff_button)
        extra.addStretch(1)
        layout.addLayout(extra)

        deadlines_title = QLabel("Deadlines")
        deadlines_title.setObjectName("cardTitle")
        layout.addWidget(deadlines_title)
        self.deadlines = QListWidget()
        self.deadlines.setObjectName("deadlineList")
        self.deadlines.setAccessibleName("Deadlines")
        self.deadlines.setWordWrap(True)
        self.deadlines.setMaximumHeight(96)
        layout.addWidget(self.deadlines)

        closure_title = QLabel("Closure loop")
        closure_title.setObjectName("cardTitle")
        layout.addWidget(closure_title)
        self.checklist = QListWidget()
        self.checklist.setObjectName("checklist")
        self.checklist.setAccessibleName("Closure loop")
        self.checklist.setMaximumHeight(78)
        layout.addWidget(self.checklist)
        self.complete_button = QPushButton("Complete…")
        self.complete_button.setObjectName("completeItem")
        self.complete_button.setToolTip("Tick the selected item, with the evidence it asks for")
        self.waive_button = QPushButton("Waive…")
        self.waive_button.setObjectName("waiveItem")
        self.waive_button.setToolTip("Let the selected item go, with the reason on record")
        self.complete_button.clicked.connect(self._on_complete_clicked)
        self.waive_button.clicked.connect(self._on_waive_clicked)
        self.follow_up_button = QPushButton("Follow-up…")
        self.follow_up_button.setObjectName("addFollowUpHere")
        self.follow_up_button.setToolTip("Track an action that comes out of this escalation")
        self.follow_up_button.clicked.connect(self._on_follow_up_clicked)
        closure_row = QHBoxLayout()
        closure_row.addWidget(self.complete_button)
        closure_row.addWidget(self.waive_button)
        closure_row.addStretch(1)
        closure_row.addWidget(self.follow_up_button)
        layout.addLayout(closure_row)

        self.update_text = QPlainTextEdit()
        self.update_text.setObjectName("updateText")
        self.update_text.setAccessibleName("Update text")
        self.update_text.setPlaceholderText("What happened since the last update?")
        self.update_text.setFixedHeight(56)
        self.update_button = QPushButton("Log update")
        self.update_button.setObjectName("logUpdate")
        self.update_button.setToolTip("Add the text as an update on the timeline")
        self.update_button.clicked.connect(self._on_update_clicked)
        update_row = QHBoxLayout()
        update_row.addWidget(self.update_text, 1)
        update_row.addWidget(self.update_button)
        layout.addLayout(update_row)

        timeline_title = QLabel("Timeline")
        timeline_title.setObjectName("cardTitle")
        layout.addWidget(timeline_title)
        self.timeline = QListWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.setAccessibleName("Timeline")
        self.timeline.setWordWrap(True)
        layout.addWidget(self.timeline, 1)
        self.show_row(None, [], None, "UTC")

    @property
    def ref(self) -> str:
        """The escalation on show ("" for none)."""
        return self._ref

    def refuse_acting(self, why: str) -> None:
        """Disable every control that changes an escalation, saying ``why`` ("": allow them).

        Takes effect when the next row is shown.
        """
        self._acting_refused = why

    def _acting_widgets(self) -> tuple[QWidget, ...]:
        return (
            self.wait_button,
            self.reassign_button,
            self.update_text,
            self.update_button,
            self.complete_button,
            self.waive_button,
            self.follow_up_button,
        )

    def show_row(
        self,
        row: BoardRow | None,
        timeline: list[tuple[datetime, str, str, str]],
        calendar: BusinessCalendar | None,
        tz: str,
        checklist: list[ChecklistLine] | None = None,
    ) -> None:
        """Fill the pane from ``row`` (None: say that nothing is selected)."""
        clear_layout(self.moves)
        self.deadlines.clear()
        self.timeline.clear()
        self.checklist.clear()
        self.handoff_button.setEnabled(row is not None)  # copying a summary changes nothing
        for widget in self._acting_widgets():
            permit(widget, not self._acting_refused, self._acting_refused)
            widget.setEnabled(widget.isEnabled() and row is not None)
        if row is None:
            self._ref = ""
            self.ref_label.setText("No escalation selected")
            self.title.setText("Select a card to see its owners, deadlines and timeline.")
            self.status_label.setText("")
            self.chip.hide()
            for value in self.fields.values():
                value.setText("")
            return
        self._ref = row.ref
        self.chip.show()
        self.chip.set_level(row.severity, row.severity_colour)
        self.ref_label.setText(row.ref)
        waiting = " · waiting on customer" if row.paused_since else ""
        self.status_label.setText(row.status.heading + waiting)
        self.title.setText(row.title)
        self.fields["customer"].setText(row.customer or "—")
        self.fields["owner"].setText(row.owner or "nobody yet")
        self.fields["liaison"].setText(row.liaison or "⚠ no support liaison")
        self.fields["route"].setText(" / ".join(p for p in (row.team, row.role) if p) or "—")
        self.fields["version"].setText(
            f"version {row.matrix_version}" if row.matrix_version else "unpublished draft"
        )
        for target in sorted(allowed_moves(row.status), key=list(Status).index):
            reopening = target is Status.IN_PROGRESS and not row.status.is_open
            button = QPushButton("Reopen" if reopening else MOVE_WORDS[target])
            button.setObjectName(f"move_{target.value}")
            permit(button, not self._acting_refused, self._acting_refused)
            button.clicked.connect(
                lambda _c=False, ref=row.ref, s=target: self.move_requested.emit(ref, s.value)
            )
            self.moves.addWidget(button)
        self.moves.addStretch(1)
        self._waiting = row.paused_since is not None
        self.wait_button.setText("Resume clocks" if self._waiting else "Pause clocks")
        self.wait_button.setEnabled(self.wait_button.isEnabled() and row.status.is_open)
        for deadline in row.deadlines:
            clock = calendar if deadline.target.business else None
            reason = explain(
                deadline, row.severity, clock, paused_minutes=deadline.paused_minutes, tz=tz
            )
            self.deadlines.addItem(
                f"{deadline.kind.value.capitalize()}: {STATE_WORDS[deadline.state]} — {reason}"
            )
        if not row.deadlines:
            self.deadlines.addItem("No deadline runs until the escalation is escalated.")
        for line in checklist or []:
            if line.state == "done":
                text = f"✓ {line.name} — {line.done_by or 'done'}"
            elif line.state == "waived":
                text = f"~ {line.name} — waived"
            else:
                gate = "blocks closing" if line.gate is Gate.BLOCKING else "warning"
                text = f"○ {line.name} — {gate}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, line.name)
            if line.waived_reason:
                item.setToolTip(f"Waived by {line.waived_by}: {line.waived_reason}")
            if line.state == "missing" and line.gate is Gate.BLOCKING:
                item.setForeground(QColor(theme.colour("bad")))
            self.checklist.addItem(item)
        if self.checklist.count():
            first_missing = next(
                (i for i, line in enumerate(checklist or []) if line.state == "missing"), 0
            )
            self.checklist.setCurrentRow(first_missing)
        for at, kind, actor, detail in reversed(timeline):
            when = at.astimezone().strftime("%a %d %b %H:%M")
            who = f" by {actor}" if actor else ""
            text = f"{when}  {EVENT_WORDS.get(kind, kind)}{who}"
            self.timeline.addItem(f"{text}: {detail}" if detail else text)

    @Slot()
    def _on_update_clicked(self) -> None:
        if self._ref:
            self.update_requested.emit(self._ref, self.update_text.toPlainText())

    @Slot()
    def _on_wait_clicked(self) -> None:
        if self._ref:
            self.waiting_requested.emit(self._ref, not self._waiting)

    @Slot()
    def _on_reassign_clicked(self) -> None:
        if self._ref:
            self.reassign_requested.emit(self._ref)

    def _selected_item(self) -> str | None:
        item = self.checklist.currentItem()
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return name if isinstance(name, str) else None

    @Slot()
    def _on_complete_clicked(self) -> None:
        item = self._selected_item()
        if self._ref and item:
            self.complete_requested.emit(self._ref, item)

    @Slot()
    def _on_waive_clicked(self) -> None:
        item = self._selected_item()
        if self._ref and item:
            self.waive_requested.emit(self._ref, item)

    @Slot()
    def _on_follow_up_clicked(self) -> None:
        if self._ref:
            self.follow_up_requested.emit(self._ref)

    def _on_handoff_chosen(self, fmt: Format) -> None:
        if self._ref:
            self.handoff_requested.emit(self._ref, fmt.value)
