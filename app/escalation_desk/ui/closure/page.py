"""The closure review: what resolved escalations still need, follow-ups, repeat incidents."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.deadlines import say_span
from escalation_desk.ui.closure.templates_dialog import TemplatesDialog
from escalation_desk.ui.screens import ScreenContext
from escalation_desk.ui.tables import TableRowsModel
from escalation_desk.ui.team import Permits, permit

if TYPE_CHECKING:
    from escalation_desk.services.closure import ClosureReview
    from escalation_desk.services.session import AppSession

FOLLOW_UP_DAYS = 7  # a new follow-up is due in a week unless the lead says otherwise


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "—"
    return say_span(max(0, int((now - moment).total_seconds() // 60)))


def _table(model: TableRowsModel, name: str, stretch: int) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # The long text column gives way, so that every column stays in sight.
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setWordWrap(True)
    return view


class ClosurePage(QWidget):
    """Reads the closure review; acting on an escalation happens on the board or here."""

    #: Deadlines and ages move with the clock: the window re-reads this screen every minute.
    changes_with_time = True

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closurePage")
        self._context = context
        self._session: AppSession | None = None
        self._review: ClosureReview | None = None
        self._actor = getpass.getuser()

        self.rate = QLabel()
        self.rate.setObjectName("pageTitle")
        self.templates_button = templates = QPushButton("Checklists…")
        templates.setObjectName("editTemplates")
        templates.setToolTip("Edit each level's closure checklist: items, evidence, gates")
        templates.clicked.connect(self._on_templates_clicked)
        self.summary = QLabel()
        self.summary.setObjectName("muted")

        self.awaiting_model = TableRowsModel(
            ["Ref", "Level", "Still missing", "Resolved", "Title"], self
        )
        self.awaiting = _table(self.awaiting_model, "awaitingTable", stretch=4)
        self.awaiting.setAccessibleName("Resolved, awaiting closure")
        self.awaiting.doubleClicked.connect(self._on_awaiting_double_clicked)
        open_button = QPushButton("Open on the board")
        open_button.setObjectName("openOnBoard")
        open_button.setToolTip("Show the selected escalation on the board")
        open_button.clicked.connect(self._on_open_clicked)
        self.close_button = close_button = QPushButton("Close…")
        close_button.setObjectName("closeEscalation")
        close_button.setToolTip("Close the selected escalation; blocking items must be done")
        close_button.clicked.connect(self._on_close_clicked)

        self.follow_model = TableRowsModel(["Ref", "State", "Due", "Owner", "Action"], self)
        self.follow_ups = _table(self.follow_model, "followUpTable", stretch=4)
        self.follow_ups.setAccessibleName("Follow-up actions")
        self.add_button = add_button = QPushButton("Add follow-up…")
        add_button.setObjectName("addFollowUp")
        add_button.setToolTip("An action for the escalation selected on the left")
        add_button.clicked.connect(self._on_add_follow_up_clicked)
        self.done_button = done_button = QPushButton("Mark done")
        done_button.setObjectName("followUpDone")
        done_button.setToolTip("Mark the selected follow-up done")
        done_button.clicked.connect(self._on_follow_up_done_clicked)

        self.repeats = QListWidget()
        self.repeats.setObjectName("repeatGroups")
        self.repeats.setAccessibleName("Repeat incidents")
        self.repeats.setWordWrap(True)
        self.repeats.setMaximumHeight(120)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(_title("Resolved, awaiting closure"))
        left_layout.addWidget(self.awaiting, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(open_button)
        buttons.addWidget(close_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(_title("Repeat incidents (same root cause and module, 30 days)"))
        left_layout.addWidget(self.repeats)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(_title("Follow-up actions"))
        right_layout.addWidget(self.follow_ups, 1)
        follow_buttons = QHBoxLayout()
        follow_buttons.addWidget(add_button)
        follow_buttons.addWidget(done_button)
        follow_buttons.addStretch(1)
        right_layout.addLayout(follow_buttons)
        body = QSplitter()
        body.addWidget(left)
        body.addWidget(right)
        body.setSizes([640, 560])
        page = QVBoxLayout(self)
        page.setContentsMargins(24, 16, 24, 16)
        head = QHBoxLayout()
        head.addWidget(self.rate)
        head.addStretch(1)
        head.addWidget(templates)
        page.addLayout(head)
        page.addWidget(self.summary)
        page.addWidget(body, 1)

    # -- the window's calls ---------------------------------------------------------------
    def apply_permits(self, permits: Permits) -> None:
        """A lead edits the checklists; leads and agents close and follow up; a manager reads."""
        permit(self.templates_button, permits.edits_process, permits.why_not_process)
        for button in (self.close_button, self.add_button, self.done_button):
            permit(button, permits.works_board, permits.why_not_board)

    def refresh_from(self, session: AppSession, now: datetime) -> None:
        """Read the review again."""
        self._session = session
        self._review = review = session.closure().review(now)
        self.rate.setText(f"Closure-loop completion {review.completion_rate:.0%}")
        overdue = sum(f.overdue for f in review.follow_ups)
        self.summary.setText(
            f"{len(review.awaiting)} resolved escalations awaiting closure · "
            f"{overdue} overdue follow-up{'s' if overdue != 1 else ''} · "
            f"{len(review.repeat_groups)} repeat "
            f"group{'s' if len(review.repeat_groups) != 1 else ''}"
        )
        self.awaiting_model.set_rows(
            [
                (
                    a.ref,
                    a.severity,
                    ", ".join(a.missing) or "ready to close",
                    f"{_ago(a.resolved_at, now)} ago",
                    a.title,
                )
                for a in review.awaiting
            ]
        )
        self.follow_model.set_rows(
            [
                (
                    f.ref,
                    "done" if f.done_at else ("OVERDUE" if f.overdue else "open"),
                    f.due.astimezone().strftime("%a %d %b") if f.due else "—",
                    f.owner or "—",
                    f.title,
                )
                for f in review.follow_ups
            ]
        )
        self.repeats.clear()
        for group in review.repeat_groups:
            times = {2: "twice", 3: "three times"}.get(len(group.refs), f"{len(group.refs)} times")
            self.repeats.addItem(
                f"{group.root_cause} in {group.module}, {times}: {', '.join(group.refs)}"
            )
        if not review.repeat_groups:
            self.repeats.addItem("No root cause has come back within 30 days.")

    def focus_location(self, row: str, column: str) -> None:
        """Select the escalation ``row`` in the awaiting table."""
        found = self.awaiting_model.find(row)
        if found >= 0:
            self.awaiting.selectRow(found)

    # -- slots ---------------------------------------------------------------------------------
    def _selected_ref(self) -> str | None:
        index = self.awaiting.currentIndex()
        return str(self.awaiting_model.index(index.row(), 0).data()) if index.isValid() else None

    @Slot(QModelIndex)
    def _on_awaiting_double_clicked(self, _index: QModelIndex) -> None:
        self._on_open_clicked()

    @Slot()
    def _on_open_clicked(self) -> None:
        ref = self._selected_ref()
        if ref:
            self._context.navigate("board", ref, "")

    @Slot()
    def _on_close_clicked(self) -> None:
        ref = self._selected_ref()
        if ref is None or self._session is None:
            return
        now = datetime.now(UTC)
        try:
            skipped = self._session.closure().close(ref, self._actor, now)
        except ValueError as exc:
            QMessageBox.warning(self, "Not closed", str(exc))
            return
        note = f" Skipped warning items: {', '.join(skipped)}." if skipped else ""
        QMessageBox.information(self, "Closed", f"{ref} is closed.{note}")
        self.refresh_from(self._session, now)

    @Slot()
    def _on_add_follow_up_clicked(self) -> None:
        ref = self._selected_ref()
        if ref is None or self._session is None:
            QMessageBox.information(
                self, "Add follow-up", "Select the escalation on the left that it came out of."
            )
            return
        title, accepted = QInputDialog.getText(self, "Add follow-up", f"What comes out of {ref}?")
        if not accepted:
            return
        owner, accepted = QInputDialog.getText(self, "Add follow-up", "Who owns it?")
        if not accepted:
            return
        link, _ = QInputDialog.getText(self, "Add follow-up", "A link (ticket, document), if any:")
        days, accepted = QInputDialog.getInt(
            self, "Add follow-up", "Due in how many days?", FOLLOW_UP_DAYS, 0, 365
        )
        if not accepted:
            return
        now = datetime.now(UTC)
        try:
            self._session.closure().add_follow_up(
                ref, title, owner, now + timedelta(days=days), link
            )
        except ValueError as exc:
            QMessageBox.warning(self, "Follow-up not added", str(exc))
            return
        self.refresh_from(self._session, now)

    @Slot()
    def _on_templates_clicked(self) -> None:
        if self._session is not None:
            TemplatesDialog(self._session.closure(), self).exec()

    @Slot()
    def _on_follow_up_done_clicked(self) -> None:
        index = self.follow_ups.currentIndex()
        if not index.isValid() or self._review is None or self._session is None:
            return
        follow_up = self._review.follow_ups[index.row()]
        now = datetime.now(UTC)
        self._session.closure().finish_follow_up(follow_up.id, now)
        self.refresh_from(self._session, now)


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("cardTitle")
    return label
