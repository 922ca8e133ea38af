"""The Board screen: escalations in ownership lanes, filters, the detail pane and the watch."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.clock import DeadlineState
from escalation_desk.domain.deadlines import say_span
from escalation_desk.domain.handoff import Format, handoff_summary
from escalation_desk.domain.lifecycle import Status
from escalation_desk.services.board import UNASSIGNED, BoardRow, LaneKind
from escalation_desk.ui.board.cards import BoardData, Card
from escalation_desk.ui.board.detail import DetailPane
from escalation_desk.ui.board.evidence_dialog import EvidenceDialog
from escalation_desk.ui.board.import_dialog import TicketImportDialog
from escalation_desk.ui.board.new_dialog import NewEscalationDialog
from escalation_desk.ui.board.view import BoardView
from escalation_desk.ui.board.watch import WatchPanel
from escalation_desk.ui.screens import ScreenContext
from escalation_desk.ui.team import Permits, permit

if TYPE_CHECKING:
    from escalation_desk.services.session import AppSession

log = logging.getLogger(__name__)

COLUMNS = (
    Status.NEW,
    Status.ESCALATED,
    Status.ACKNOWLEDGED,
    Status.IN_PROGRESS,
    Status.HANDED_BACK,
    Status.RESOLVED,
)
ALL = "All"
NO_LIAISON = "No liaison"
DUE_SOON_MINUTES = 60
# Moves a lead makes often, on keys that do not collide with the menus' Alt letters.
MOVE_SHORTCUTS = {
    Status.ESCALATED: "Ctrl+Alt+E",
    Status.ACKNOWLEDGED: "Ctrl+Alt+A",
    Status.IN_PROGRESS: "Ctrl+Alt+W",
    Status.HANDED_BACK: "Ctrl+Alt+H",
    Status.RESOLVED: "Ctrl+Alt+R",
}


def countdown_of(row: BoardRow, now: datetime) -> tuple[str, DeadlineState | None]:
    """The card's countdown to its most pressing deadline, and that deadline's state."""
    if row.paused_since is not None:
        return "paused: waiting on customer", None
    nearest = row.next_deadline()
    if nearest is None:
        return "", None
    minutes = int((nearest.due - now).total_seconds() // 60)
    if minutes < 0:
        return f"{nearest.kind.value} {say_span(-minutes)} late", nearest.state
    return f"{say_span(minutes)} left", nearest.state


def to_card(row: BoardRow, lanes: LaneKind, now: datetime) -> Card:
    """A board row worded for its card; the countdown comes when the card is shown."""
    if row.last_update_at is not None:
        minutes = int((now - row.last_update_at).total_seconds() // 60)
        last_update = f"updated {say_span(max(minutes, 0))} ago"
    else:
        last_update = "no update yet"
    return Card(
        ref=row.ref,
        title=row.title,
        customer=row.customer,
        severity=row.severity,
        severity_colour=row.severity_colour,
        owner=row.owner,
        liaison=row.liaison,
        status=row.status,
        lane=row.lane(lanes),
        countdown="",
        deadline_state=None,
        last_update=last_update,
    )


def _due_soon(row: BoardRow, now: datetime) -> bool:
    """A deadline at risk, or due within the hour."""
    nearest = row.next_deadline()
    return nearest is not None and (
        nearest.state in (DeadlineState.AT_RISK, DeadlineState.CRITICAL)
        or 0 <= (nearest.due - now).total_seconds() <= DUE_SOON_MINUTES * 60
    )


# Read aloud for each filter box: the label beside it is not its buddy.
_FILTER_NAMES = {
    "severityFilter": "Severity filter",
    "teamFilter": "Team filter",
    "liaisonFilter": "Liaison filter",
}


class BoardPage(QWidget):
    """Reads rows from the board service, filters them in memory, and acts through it."""

    #: Deadlines and ages move with the clock: the window re-reads this screen every minute.
    changes_with_time = True

    def __init__(
        self,
        context: ScreenContext,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("boardPage")
        self._context = context
        self._clock = clock
        self._session: AppSession | None = None
        self._workspace: object = None  # the workspace the board and its watch read
        self._rows: list[BoardRow] = []
        self._actor = getpass.getuser()
        self._permits = Permits()
        self._move_actions: list[QAction] = []

        self.new_button = QPushButton("New escalation…")
        self.new_button.setObjectName("newEscalation")
        self.new_button.setToolTip("Escalate a ticket with its hand-off context (Ctrl+E)")
        self.new_button.setShortcut(QKeySequence("Ctrl+E"))
        self.new_button.clicked.connect(self._on_new_clicked)
        self.import_button = QPushButton("Import…")
        self.import_button.setObjectName("importEscalations")
        self.import_button.setToolTip(
            "Put a ServiceNow, Jira, Zendesk or Freshdesk export on the board"
        )
        self.import_button.clicked.connect(self._on_import_clicked)
        self.search = QLineEdit()
        self.search.setObjectName("boardSearch")
        self.search.setAccessibleName("Search the board")
        self.search.setPlaceholderText("Search ref, title or customer")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.severity = QComboBox()
        self.team = QComboBox()
        self.liaison = QComboBox()
        for combo, name in (
            (self.severity, "severityFilter"),
            (self.team, "teamFilter"),
            (self.liaison, "liaisonFilter"),
        ):
            combo.setObjectName(name)
            combo.setAccessibleName(_FILTER_NAMES[name])
            combo.addItem(ALL)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMaximumWidth(170)
        self.breached_only = QCheckBox("Breached only")
        self.breached_only.setObjectName("breachedOnly")
        self.due_soon = QCheckBox("Due soon")
        self.due_soon.setObjectName("dueSoon")
        self.due_soon.setToolTip(f"A deadline due within {DUE_SOON_MINUTES} min, or at risk")
        self.lanes = QComboBox()
        self.lanes.setObjectName("laneGrouping")
        self.lanes.setAccessibleName("Group the board's lanes by")
        self.lanes.setToolTip("Swimlanes by team, role or person; the choice is remembered")
        for kind, title in (
            (LaneKind.TEAM, "Lanes by team"),
            (LaneKind.ROLE, "Lanes by role"),
            (LaneKind.PERSON, "Lanes by person"),
        ):
            self.lanes.addItem(title, kind.value)
        remembered = str(context.settings.value("board/lanes", LaneKind.TEAM.value))
        self.lanes.setCurrentIndex(max(0, self.lanes.findData(remembered)))
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")

        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addWidget(self.import_button)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.lanes)
        filters = QHBoxLayout()
        for widget in (
            QLabel("Severity"),
            self.severity,
            QLabel("Team"),
            self.team,
            QLabel("Liaison"),
            self.liaison,
            self.breached_only,
            self.due_soon,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)

        self.view = BoardView()
        self.detail = DetailPane()
        self.watch = WatchPanel()
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.view)
        left.addWidget(self.watch)
        left.setSizes([560, 140])
        body = QSplitter()
        body.addWidget(left)
        body.addWidget(self.detail)
        body.setStretchFactor(0, 3)
        body.setSizes([900, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(body, 1)

        for status, keys in MOVE_SHORTCUTS.items():
            action = QAction(f"Move the selected escalation to {status.heading}", self)
            action.setObjectName(f"boardMove_{status.value}")
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, s=status: self._move_selected(s))
            self.addAction(action)
            self._move_actions.append(action)

        # A keystroke in the search box re-filters once typing pauses, not on every letter.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(120)
        self._filter_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._filter_timer.start)
        for combo in (self.severity, self.team, self.liaison):
            combo.currentIndexChanged.connect(self.apply_filters)
        for box in (self.breached_only, self.due_soon):
            box.toggled.connect(self.apply_filters)
        self.lanes.currentIndexChanged.connect(self._on_lanes_changed)
        self.view.current_changed.connect(self._on_view_current_changed)
        self.view.card_activated.connect(self._on_view_card_activated)
        self.view.move_requested.connect(
            self._on_view_move_requested, Qt.ConnectionType.QueuedConnection
        )
        self.detail.move_requested.connect(self._on_detail_move_requested)
        self.detail.update_requested.connect(self._on_detail_update_requested)
        self.detail.waiting_requested.connect(self._on_detail_waiting_requested)
        self.detail.handoff_requested.connect(self._on_detail_handoff_requested)
        self.detail.reassign_requested.connect(self._on_detail_reassign_requested)
        self.detail.complete_requested.connect(self._on_detail_complete_requested)
        self.detail.waive_requested.connect(self._on_detail_waive_requested)
        self.detail.follow_up_requested.connect(self._on_detail_follow_up_requested)
        self.watch.ref_chosen.connect(self.focus_ref)

    # -- the window's calls ---------------------------------------------------------------
    def refresh_from(self, session: AppSession, now: datetime) -> None:
        """Read the board again; on a workspace opened since, watch that one."""
        first = self._workspace is not session.workspace
        self._session, self._workspace = session, session.workspace
        self.reload()
        if first:
            board = session.board()
            self.watch.watch_with(board.watch)
            if self.view.current() is None and self._rows:
                # Open on what most needs attention: the most severe breached escalation.
                urgent = [r for r in self._rows if r.status.is_open and r.breached]
                self.focus_ref((urgent or self._rows)[0].ref)
        else:
            self.watch.refresh()

    def apply_permits(self, permits: Permits) -> None:
        """Leads and agents work the board; a manager reads it and copies hand-offs."""
        self._permits = permits
        allowed, why = permits.works_board, permits.why_not_board
        controls: list[QWidget | QAction] = [self.new_button, self.import_button]
        for control in controls + self._move_actions:
            permit(control, allowed, why)
        self.detail.refuse_acting("" if allowed else why)
        self._show_detail(self.detail.ref or self.view.current() or "")

    def reload_escalations(self, ids: set[int]) -> None:
        """Read again only the escalations ``ids`` that someone else changed.

        One we have not seen is new on the board, and only a full read finds its row.
        """
        if self._session is None or not ids:
            return
        positions = {row.id: index for index, row in enumerate(self._rows)}
        if not ids <= positions.keys():
            self.reload()
            self.watch.refresh()
            return
        board, now = self._session.board(), self._clock()
        closed: set[int] = set()
        for escalation_id in ids:
            index = positions[escalation_id]
            fresh = board.row(self._rows[index].ref, now)
            if fresh is None or fresh.status is Status.CLOSED:
                closed.add(escalation_id)  # the board shows no closed escalations
            else:
                self._rows[index] = fresh
        self._rows = [row for row in self._rows if row.id not in closed]
        self._fill_choices()
        self.apply_filters()
        self._show_detail(self.detail.ref or self.view.current() or "")
        self.watch.refresh()

    def screenshot_parts(self) -> dict[str, QWidget]:
        """The detail pane, pictured on its own for the user guide."""
        return {"detail": self.detail}

    def focus_location(self, row: str, column: str) -> None:
        """Select the escalation ``row`` (a ref)."""
        self.focus_ref(row)

    @Slot(str)
    def focus_ref(self, ref: str) -> None:
        """Select the card of ``ref`` and show it in the detail pane."""
        if not self.view.select(ref):
            self.search.clear()
            self.breached_only.setChecked(False)
            self.due_soon.setChecked(False)
            self.apply_filters()
            self.view.select(ref)
        self._show_detail(ref)

    # -- reading and filtering ----------------------------------------------------------------
    def reload(self) -> None:
        """Read every escalation and redraw with the current filters."""
        if self._session is None:
            return
        self._rows = self._session.board().rows(self._clock())
        self._fill_choices()
        self.apply_filters()
        self._show_detail(self.detail.ref or self.view.current() or "")

    def _fill_choices(self) -> None:
        for combo, values in (
            (self.severity, sorted({(r.severity_rank, r.severity) for r in self._rows})),
            (self.team, sorted({r.team or UNASSIGNED for r in self._rows})),
            (self.liaison, sorted({r.liaison for r in self._rows if r.liaison})),
        ):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL)
            if combo is self.liaison:
                combo.addItem(NO_LIAISON)
            for value in values:
                combo.addItem(value[1] if isinstance(value, tuple) else value)
            combo.setCurrentIndex(max(0, combo.findText(current)))
            combo.blockSignals(False)

    @Slot()
    def apply_filters(self) -> None:
        """Show the rows the filters and search let through."""
        now = self._clock()
        passes = self._filter(now)
        rows = [r for r in self._rows if passes(r)]
        kind = LaneKind(self.lanes.currentData())
        cards = tuple(to_card(r, kind, now) for r in rows)
        lane_names = sorted({c.lane for c in cards}, key=lambda n: (n == UNASSIGNED, n))
        by_ref = {r.ref: r for r in rows}
        self.view.set_timing(lambda card: countdown_of(by_ref[card.ref], now))
        self.view.set_data(BoardData(COLUMNS, tuple(lane_names), cards))
        self.count_label.setText(f"{len(rows)} of {len(self._rows)} escalations")

    def _filter(self, now: datetime) -> Callable[[BoardRow], bool]:
        """The filters' current values, read once, as a test for one row."""
        text = self.search.text().strip().casefold()
        severity, team, liaison = (
            c.currentText() for c in (self.severity, self.team, self.liaison)
        )
        breached_only, due_soon = self.breached_only.isChecked(), self.due_soon.isChecked()

        def passes(row: BoardRow) -> bool:
            if text and not any(text in v.casefold() for v in (row.ref, row.title, row.customer)):
                return False
            if severity != ALL and row.severity != severity:
                return False
            if team != ALL and (row.team or UNASSIGNED) != team:
                return False
            if liaison == NO_LIAISON and row.liaison is not None:
                return False
            if liaison not in (ALL, NO_LIAISON) and row.liaison != liaison:
                return False
            if breached_only and not row.breached:
                return False
            return not due_soon or _due_soon(row, now)

        return passes

    def _show_detail(self, ref: str) -> None:
        row = next((r for r in self._rows if r.ref == ref), None)
        if self._session is None or row is None:
            self.detail.show_row(None, [], None, "UTC")
            return
        board = self._session.board()
        calendar = board.calendar_of(row)
        checklist = self._session.closure().checklist(ref)
        self.detail.show_row(row, board.timeline(ref), calendar, calendar.timezone, checklist)

    # -- acting --------------------------------------------------------------------------------
    def _act(self, title: str, action: Callable[[], object], ref: str) -> bool:
        """Run one service action; a refusal is said in a sentence and changes nothing."""
        try:
            action()
        except ValueError as exc:
            QMessageBox.warning(self, title, str(exc))
            return False
        self.reload()
        self.view.select(ref)
        self._show_detail(ref)
        self.watch.refresh()
        return True

    def _move(self, ref: str, target: Status) -> None:
        assert self._session is not None
        board = self._session.board()
        self._act("Move refused", lambda: board.move(ref, target, self._actor, self._clock()), ref)

    def _move_selected(self, target: Status) -> None:
        ref = self.view.current()
        if ref:
            self._move(ref, target)

    @Slot(str)
    def _on_view_current_changed(self, ref: str) -> None:
        self._show_detail(ref)

    @Slot(str)
    def _on_view_card_activated(self, ref: str) -> None:
        self._show_detail(ref)
        self.detail.update_text.setFocus()

    @Slot(str, str, str)
    def _on_view_move_requested(self, ref: str, status: str, lane: str) -> None:
        row = next((r for r in self._rows if r.ref == ref), None)
        if row is None or self._session is None:
            return
        if not self._permits.works_board:
            self.apply_filters()  # the card goes back where it was
            return
        target = Status(status)
        kind = LaneKind(self.lanes.currentData())
        # A drop that changes both lane and column is one decision: no move without the
        # reassignment (refused or cancelled), so nothing is half done.
        if lane != row.lane(kind) and not self._reassign_to_lane(row, kind, lane):
            return
        if target is not row.status:
            self._move(ref, target)

    def _reassign_to_lane(self, row: BoardRow, kind: LaneKind, lane: str) -> bool:
        """Reassign to the lane dropped on; False when refused or cancelled."""
        assert self._session is not None
        if lane == UNASSIGNED:
            QMessageBox.warning(self, "Reassignment refused", "An escalation always has an owner.")
            return False
        board = self._session.board()
        now, actor = self._clock(), self._actor
        if kind is LaneKind.PERSON:
            return self._act(
                "Reassignment refused",
                lambda: board.reassign(row.ref, actor, now, owner=lane),
                row.ref,
            )
        if kind is LaneKind.ROLE:
            return self._act(
                "Reassignment refused",
                lambda: board.reassign(row.ref, actor, now, role=lane),
                row.ref,
            )
        people = board.people_of_team(lane)
        if not people:
            QMessageBox.warning(self, "Reassignment refused", f"{lane} has nobody in it yet.")
            return False
        owner, accepted = QInputDialog.getItem(
            self, "New owner", f"Who in {lane} takes {row.ref}?", people, 0, False
        )
        return accepted and self._act(
            "Reassignment refused",
            lambda: board.reassign(row.ref, actor, now, team=lane, owner=owner),
            row.ref,
        )

    @Slot(str, str)
    def _on_detail_move_requested(self, ref: str, status: str) -> None:
        self._move(ref, Status(status))

    @Slot(str, str)
    def _on_detail_update_requested(self, ref: str, text: str) -> None:
        assert self._session is not None
        board = self._session.board()
        self._act(
            "Update not logged",
            lambda: board.log_update(ref, text, self._actor, self._clock()),
            ref,
        )
        if self.detail.ref == ref:
            self.detail.update_text.clear()

    @Slot(str, bool)
    def _on_detail_waiting_requested(self, ref: str, waiting: bool) -> None:
        assert self._session is not None
        board = self._session.board()
        self._act(
            "Clock not changed",
            lambda: board.set_waiting(ref, waiting, self._actor, self._clock()),
            ref,
        )

    @Slot(str, str)
    def _on_detail_handoff_requested(self, ref: str, fmt: str) -> None:
        assert self._session is not None
        text = handoff_summary(self._session.escalations().handoff(ref), Format(fmt))
        QGuiApplication.clipboard().setText(text)
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(f"Hand-off summary of {ref} copied ({fmt})", 6000)

    @Slot(str)
    def _on_detail_reassign_requested(self, ref: str) -> None:
        row = next((r for r in self._rows if r.ref == ref), None)
        if row is None or self._session is None:
            return
        roles = self._session.routing().role_names()
        role, accepted = QInputDialog.getItem(
            self,
            "Reassign",
            f"Which role takes {ref} over?",
            roles,
            max(0, roles.index(row.role)) if row.role in roles else 0,
            False,
        )
        if accepted:
            board = self._session.board()
            self._act(
                "Reassignment refused",
                lambda: board.reassign(ref, self._actor, self._clock(), role=role),
                ref,
            )

    @Slot(str, str)
    def _on_detail_complete_requested(self, ref: str, item: str) -> None:
        assert self._session is not None
        closure = self._session.closure()
        line = next((x for x in closure.checklist(ref) if x.name == item), None)
        if line is None:
            return
        dialog = EvidenceDialog(item, line.evidence_kinds, self)
        if dialog.exec() == EvidenceDialog.DialogCode.Accepted:
            evidence = dialog.evidence()
            self._act(
                "Item not completed",
                lambda: closure.complete(ref, item, evidence, self._actor, self._clock()),
                ref,
            )

    @Slot(str, str)
    def _on_detail_waive_requested(self, ref: str, item: str) -> None:
        assert self._session is not None
        reason, accepted = QInputDialog.getText(
            self, f"Waive {item}", f"Why does {ref} not need “{item}”? The reason is kept."
        )
        if accepted:
            closure = self._session.closure()
            self._act(
                "Item not waived",
                lambda: closure.waive(ref, item, reason, self._actor, self._clock()),
                ref,
            )

    @Slot(str)
    def _on_detail_follow_up_requested(self, ref: str) -> None:
        assert self._session is not None
        title, accepted = QInputDialog.getText(self, "Follow-up", f"What comes out of {ref}?")
        if not accepted:
            return
        owner, accepted = QInputDialog.getText(self, "Follow-up", "Who owns it?")
        if not accepted:
            return
        link, _ = QInputDialog.getText(self, "Follow-up", "A link (ticket, document), if any:")
        days, accepted = QInputDialog.getInt(self, "Follow-up", "Due in how many days?", 7, 0, 365)
        if not accepted:
            return
        closure, due = self._session.closure(), self._clock() + timedelta(days=days)
        self._act(
            "Follow-up not added",
            lambda: closure.add_follow_up(ref, title, owner, due, link),
            ref,
        )

    @Slot()
    def _on_lanes_changed(self) -> None:
        self._context.settings.setValue("board/lanes", self.lanes.currentData())
        self.apply_filters()

    @Slot()
    def _on_import_clicked(self) -> None:
        if self._session is None:
            return
        dialog = TicketImportDialog(self._session.ticket_importer(), self)
        if dialog.exec() == TicketImportDialog.DialogCode.Accepted and dialog.report:
            self.reload()
            self.watch.refresh()
            self.count_label.setText(
                f"{self.count_label.text()} · imported {dialog.report.imported}"
            )

    @Slot()
    def _on_new_clicked(self) -> None:
        if self._session is None:
            return
        levels = [r.level.code for r in self._session.matrix().levels()]
        people = [p.name for p in self._session.matrix().snapshot().people]
        dialog = NewEscalationDialog(
            self._session.escalations(), levels, people, self._actor, self._clock, self
        )
        if dialog.exec() == NewEscalationDialog.DialogCode.Accepted and dialog.created_ref:
            self.reload()
            self.focus_ref(dialog.created_ref)
            self.watch.refresh()
