"""The Onboarding screen: the advisor, practice scenarios, walkthroughs and the agents' roster."""

from __future__ import annotations

import getpass
import html
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.advisor import Advice, Decision, Situation, clock_time
from escalation_desk.domain.durations import DurationError, format_duration, parse_duration
from escalation_desk.domain.matrix import TriggerKind
from escalation_desk.domain.routing import MatchOn
from escalation_desk.domain.scenarios import DECISION_WORDS, Answer, Scenario
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.domain.walkthrough import Walkthrough
from escalation_desk.ui import theme
from escalation_desk.ui.onboarding.agent import agent_name, remember_agent

if TYPE_CHECKING:
    from escalation_desk.services.session import AppSession
    from escalation_desk.ui.onboarding.authoring import WalkthroughEditor
    from escalation_desk.ui.screens import ScreenContext
from escalation_desk.ui.team import Permits, permit

DERIVE = "Work it out from the impact"
RERUN_MS = 300
# Added to a practice score that is kept in no record.
NOT_RECORDED = " Not added to any record: you are signed in as {role}."
BUILT_IN = Qt.ItemDataRole.UserRole + 1


def _button(name: str, text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setStatusTip(tip)
    button.clicked.connect(slot)
    return button


def _card(name: str, title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName(name)
    frame.setProperty("card", True)
    layout = QVBoxLayout(frame)
    heading = QLabel(title)
    heading.setObjectName("cardTitle")
    layout.addWidget(heading)
    return frame, layout


def advice_html(advice: Advice, now: datetime) -> str:
    """The answer as labelled rows: why, to whom, how, by when, and who owns it afterwards."""
    why = [advice.severity_reason()]
    why += [f"✓ {f.text}: {f.why}" for f in advice.fired]
    if advice.waiting_for:
        why.append(f"If there is still no progress: {advice.waiting_for}")
    rows: list[tuple[str, list[str]]] = [("Why", why)]
    rule = advice.rule
    if rule is None:
        rows.append(("Send to", ["No routing rule matches: ask your lead."]))
    else:
        person = advice.person or "nobody: the role is vacant"
        backup = f" (backup {advice.backup})" if advice.backup else ""
        rows.append(("Send to", [f"{rule.team} → {rule.role}", f"{person}{backup}"]))
        rows.append(("Because of", [f"routing rule {rule.order}: {rule.describe()}"]))
    level = advice.level
    if level.method:
        rows.append(("How", [level.method]))
    if level.target_response is not None:
        by = f", by {clock_time(advice.respond_by, now)}" if advice.respond_by else ""
        rows.append(("Answer within", [f"{format_duration(level.target_response)}{by}"]))
    if advice.owner_roles:
        rows.append(("Owned after by", [" + ".join(advice.owner_roles)]))
    body = "".join(
        f"<tr><td style='padding:2px 12px 2px 0; color:{theme.colour('muted')};'>{label}</td>"
        f"<td style='padding:2px 0'>{'<br>'.join(html.escape(line) for line in lines)}</td></tr>"
        for label, lines in rows
    )
    return f"<table cellspacing='0'>{body}</table>"


class AdvisorPanel(QFrame):
    """ "Should I escalate?": the facts of a live ticket in, the matrix's answer out."""

    advised = Signal(object)  # the Advice shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("advisorPanel")
        self.setProperty("card", True)
        self.setAccessibleName("Should I escalate? advisor")
        self._session: AppSession | None = None
        self._now: Callable[[], datetime] = lambda: datetime.now().astimezone()
        self.advice: Advice | None = None
        self._permits = Permits()

        layout = QVBoxLayout(self)
        title = QLabel("Should I escalate?")
        title.setObjectName("cardTitle")
        layout.addWidget(title)
        form = QFormLayout()
        self.severity = QComboBox()
        self.severity.setObjectName("adviceSeverity")
        self.elapsed = QLineEdit("30 min")
        self.elapsed.setObjectName("adviceElapsed")
        self.since_progress = QLineEdit()
        self.since_progress.setObjectName("adviceSinceProgress")
        self.since_progress.setPlaceholderText("same as since opened")
        self.module = QComboBox()
        self.module.setEditable(True)
        self.module.setObjectName("adviceModule")
        self.issue_type = QLineEdit()
        self.issue_type.setPlaceholderText("optional, e.g. Security")
        self.customers = QSpinBox()
        self.customers.setObjectName("adviceCustomers")
        self.customers.setRange(0, 10_000_000)
        self.customers.setSpecialValueText("not known")
        self.system_wide = QCheckBox("The whole service is down or degraded")
        self.scope = QListWidget()
        self.scope.setObjectName("adviceScope")
        self.scope.setMaximumHeight(110)
        form.addRow("Severity", self.severity)
        form.addRow("Since the ticket opened", self.elapsed)
        form.addRow("Since the last progress", self.since_progress)
        form.addRow("Module", self.module)
        form.addRow("Issue type", self.issue_type)
        form.addRow("Customers affected", self.customers)
        form.addRow("", self.system_wide)
        form.addRow("What you found", self.scope)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.advise_button = _button(
            "adviseButton", "Advise", "Ask the matrix now; it also answers as you type", self.run
        )
        self.advise_button.setDefault(True)
        self.create_button = QPushButton("Create escalation from this…")
        self.create_button.setObjectName("adviceCreate")
        self.create_button.setEnabled(False)
        buttons.addWidget(self.advise_button)
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.decision = QLabel()
        self.decision.setObjectName("adviceDecision")
        self.answer = QLabel("Fill in what you know; the answer follows.")
        self.answer.setObjectName("adviceAnswer")
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.decision)
        layout.addWidget(self.answer)
        layout.addStretch(1)
        # The answer follows the facts as they are typed, a moment after the last keystroke.
        self._rerun = QTimer(self)
        self._rerun.setSingleShot(True)
        self._rerun.setInterval(RERUN_MS)
        self._rerun.timeout.connect(self.run)
        # Through a lambda: a signal's value (a spin box's count) would become the interval.
        for signal in (
            self.elapsed.textEdited,
            self.since_progress.textEdited,
            self.issue_type.textEdited,
            self.module.currentTextChanged,
            self.severity.currentIndexChanged,
            self.customers.valueChanged,
            self.system_wide.toggled,
            self.scope.itemChanged,
        ):
            signal.connect(lambda *_: self._rerun.start())

    def load(
        self, session: AppSession, snapshot: MatrixSnapshot, now: Callable[[], datetime]
    ) -> None:
        """Fill the choices from the matrix and routing."""
        self._session, self._now = session, now
        chosen = self.severity.currentText()
        self.severity.clear()
        self.severity.addItem(DERIVE, None)
        for level in snapshot.levels:
            self.severity.addItem(level.label, level.code)
        self.severity.setCurrentText(chosen or DERIVE)
        modules = sorted(
            {
                r.pattern
                for r in snapshot.routing
                if r.match_on is MatchOn.MODULE and "*" not in r.pattern
            }
        )
        typed = self.module.currentText()
        self.module.clear()
        self.module.addItems(modules)
        self.module.setCurrentText(typed if typed else (modules[0] if modules else ""))
        self.scope.clear()
        for level in snapshot.levels:
            for trigger in level.triggers:
                if trigger.kind is TriggerKind.SCOPE and trigger.text:
                    item = QListWidgetItem(trigger.text)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked)
                    self.scope.addItem(item)
        self.run()

    def situation(self) -> Situation:
        """The facts as entered; DurationError names a time it cannot read."""
        elapsed = parse_duration(self.elapsed.text() or "0 min").minutes
        since = self.since_progress.text().strip()
        scope = tuple(
            self.scope.item(i).text()
            for i in range(self.scope.count())
            if self.scope.item(i).checkState() is Qt.CheckState.Checked
        )
        return Situation(
            self.severity.currentData(),
            elapsed,
            parse_duration(since).minutes if since else None,
            self.module.currentText().strip(),
            self.issue_type.text().strip(),
            self.customers.value() or None,
            self.system_wide.isChecked(),
            scope,
        )

    @Slot()
    def run(self) -> None:
        """Ask the advisor and show its answer."""
        self._rerun.stop()
        if self._session is None:
            return
        try:
            advice = self._session.onboarding().advise(self.situation(), self._now())
        except (DurationError, ValueError) as exc:
            self.advice = None
            self.decision.setText("")
            self.answer.setText(str(exc))
            self._update_create_button()
            return
        self.advice = advice
        now = self._now()
        words = {
            Decision.ESCALATE_NOW: "Escalate now",
            Decision.ESCALATE_AT: "Hold the line, escalate at "
            + (clock_time(advice.escalate_at, now) if advice.escalate_at else ""),
            Decision.HOLD: "Hold the line",
        }[advice.decision]
        self.decision.setObjectName(
            "badText" if advice.decision is Decision.ESCALATE_NOW else "strong"
        )
        self.decision.style().polish(self.decision)
        self.decision.setText(f"{words} · {advice.level.label}")
        self.answer.setText(advice_html(advice, now))
        self._update_create_button()
        self.advised.emit(advice)

    def apply_permits(self, permits: Permits) -> None:
        """Everyone asks the advisor; those who work the board raise escalations from it."""
        self._permits = permits
        self._update_create_button()

    def _update_create_button(self) -> None:
        permit(self.create_button, self._permits.works_board, self._permits.why_not_board)
        routed = self.advice is not None and self.advice.rule is not None
        self.create_button.setEnabled(self.create_button.isEnabled() and routed)


class PracticePanel(QFrame):
    """A scenario from the matrix, the agent's answer, the marking and the explanation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practicePanel")
        self._session: AppSession | None = None
        self._now: Callable[[], datetime] = lambda: datetime.now().astimezone()
        self.scenarios: list[Scenario] = []
        self.current = 0
        self._permits = Permits()

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.agent = QLineEdit(getpass.getuser())
        self.agent.setObjectName("practiceAgent")
        self.agent.setAccessibleName("Agent")
        self.agent.setPlaceholderText("Your name")
        self.progress = QLabel()
        self.progress.setObjectName("muted")
        top.addWidget(QLabel("Agent"))
        top.addWidget(self.agent, 1)
        top.addWidget(self.progress)
        layout.addLayout(top)
        self.prompt = QLabel()
        self.prompt.setObjectName("practicePrompt")
        self.prompt.setWordWrap(True)
        layout.addWidget(self.prompt)
        form = QFormLayout()
        self.decision = QComboBox()
        self.decision.setObjectName("practiceDecision")
        for decision, words in DECISION_WORDS.items():
            self.decision.addItem(words, decision)
        self.level = QComboBox()
        self.level.setObjectName("practiceLevel")
        self.role = QComboBox()
        self.role.setObjectName("practiceRole")
        self.method = QComboBox()
        self.method.setObjectName("practiceMethod")
        form.addRow("Escalate?", self.decision)
        form.addRow("Which level?", self.level)
        form.addRow("To whom?", self.role)
        form.addRow("How?", self.method)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.check_button = _button(
            "practiceCheck", "Check my answer", "Mark the answer against the matrix", self.check
        )
        self.next_button = _button(
            "practiceNext", "Next scenario", "Another situation to decide", self.next_scenario
        )
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.result = QLabel()
        self.result.setObjectName("practiceResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.result)
        layout.addStretch(1)

    def load(
        self, session: AppSession, snapshot: MatrixSnapshot, now: Callable[[], datetime]
    ) -> None:
        """Scenarios and answer choices from the matrix as it is now."""
        self._session, self._now = session, now
        self.scenarios = session.onboarding().scenarios()
        for combo, values in (
            (self.level, [lv.code for lv in snapshot.levels]),
            (self.role, sorted({r.role for r in snapshot.routing})),
            (self.method, list(dict.fromkeys(lv.method for lv in snapshot.levels if lv.method))),
        ):
            combo.clear()
            combo.addItems(values)
        self.current = min(self.current, max(0, len(self.scenarios) - 1))
        self._show()

    def _show(self) -> None:
        if not self.scenarios:
            self.prompt.setText("No scenarios yet: the matrix needs levels with triggers.")
            self.check_button.setEnabled(False)
            return
        self.check_button.setEnabled(True)
        scenario = self.scenarios[self.current]
        self.prompt.setText(scenario.prompt)
        self.progress.setText(f"Scenario {self.current + 1} of {len(self.scenarios)}")
        self.result.setText("")

    def answer(self) -> Answer:
        """The agent's choices."""
        return Answer(
            self.decision.currentData(),
            self.level.currentText(),
            self.role.currentText(),
            self.method.currentText(),
        )

    def apply_permits(self, permits: Permits) -> None:
        """Anyone practises; the answers of those who change nothing (a manager) are marked
        but kept in no record."""
        self._permits = permits

    @Slot()
    def check(self) -> None:
        """Mark the answer, record it, and explain the right one."""
        if self._session is None or not self.scenarios:
            return
        recorded = self._permits.works_board
        try:
            marking = self._session.onboarding().answer(
                self.agent.text(),
                self.scenarios[self.current],
                self.answer(),
                self._now(),
                record=recorded,
            )
        except ValueError as exc:
            self.result.setText(str(exc))
            return
        lines = [
            f"{'✓' if p.right else '✗'} {p.question} "
            + ("Right." if p.right else f"The matrix says: {p.expected}.")
            for p in marking.parts
        ]
        kept = "" if recorded else NOT_RECORDED.format(role=self._permits.role.value)
        self.result.setText(
            f"Score {marking.score:.0%}.{kept}\n"
            + "\n".join(lines)
            + "\n\n"
            + marking.explanation()
        )

    @Slot()
    def next_scenario(self) -> None:
        """Move on to the next scenario, round to the first after the last."""
        if self.scenarios:
            self.current = (self.current + 1) % len(self.scenarios)
            self._show()


class OnboardingPage(QWidget):
    """Everything a new agent needs in the first week, from the team's own matrix."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("onboardingPage")
        self._context = context
        self._session: AppSession | None = None
        self._now: Callable[[], datetime] = lambda: datetime.now().astimezone()
        self.last_dialog: QWidget | None = None
        self._permits = Permits()

        self.advisor = AdvisorPanel()
        self.advisor.create_button.clicked.connect(self._create_from_advice)
        self.practice = PracticePanel()
        # One name on this computer for answers and completed walkthroughs alike.
        self.practice.agent.setText(agent_name(context.settings))
        self.practice.agent.editingFinished.connect(
            lambda: remember_agent(context.settings, self.practice.agent.text())
        )
        self.walkthroughs = QListWidget()
        self.walkthroughs.setObjectName("walkthroughList")
        self.walkthroughs.setAccessibleName("Walkthroughs")
        self.walkthroughs.setSpacing(3)
        self.walkthroughs.itemActivated.connect(lambda _item: self._play())
        self.walkthroughs.currentRowChanged.connect(lambda _row: self._update_walk_buttons())
        self.play_button = _button(
            "playWalkthrough", "&Play", "Play it over the window", self._play
        )
        self.new_button = _button(
            "newWalkthrough", "&New…", "Write a walkthrough for your team", self._new
        )
        self.edit_button = _button(
            "editWalkthrough", "&Edit…", "Change your team's walkthrough", self._edit
        )
        self.delete_button = _button(
            "deleteWalkthrough", "&Delete", "Remove your team's walkthrough", self._delete
        )
        export = _button(
            "exportWalkthrough", "E&xport…", "Save it as a file for another team", self._export
        )
        self.import_button = import_button = _button(
            "importWalkthrough", "&Import…", "Add a walkthrough another team shared", self._import
        )
        walk_page = QWidget()
        walk_layout = QVBoxLayout(walk_page)
        walk_layout.addWidget(self.walkthroughs, 1)
        row = QHBoxLayout()
        for button in (self.play_button, self.new_button, self.edit_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(export)
        row.addWidget(import_button)
        walk_layout.addLayout(row)
        self.editor: WalkthroughEditor | None = None

        self.roster = QTableWidget(0, 0)
        self.roster.setObjectName("rosterTable")
        self.roster.setAccessibleName("Roster")
        self.roster.verticalHeader().hide()
        self.roster.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.threshold = QDoubleSpinBox()
        self.threshold.setObjectName("readyThreshold")
        self.threshold.setAccessibleName("Ready at a mean score per level of")
        self.threshold.setRange(1, 100)
        self.threshold.setSuffix(" %")
        self.threshold.setDecimals(0)
        self.threshold.editingFinished.connect(self._set_threshold)
        roster_export = QPushButton("Export roster…")
        roster_export.setObjectName("exportRoster")
        roster_export.clicked.connect(self._export_roster)
        roster_page = QWidget()
        roster_layout = QVBoxLayout(roster_page)
        line = QHBoxLayout()
        line.addWidget(QLabel("Ready at a mean score per level of"))
        line.addWidget(self.threshold)
        line.addStretch(1)
        line.addWidget(roster_export)
        roster_layout.addLayout(line)
        roster_layout.addWidget(self.roster, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("onboardingTabs")
        self.tabs.addTab(self.practice, "Practice")
        self.tabs.addTab(walk_page, "Walkthroughs")
        self.tabs.addTab(roster_page, "Roster")
        right, right_layout = _card("onboardingRight", "Learn the matrix")
        right_layout.addWidget(self.tabs, 1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(16)
        layout.addWidget(self.advisor, 5)
        layout.addWidget(right, 6)

    def apply_permits(self, permits: Permits) -> None:
        """Everyone plays walkthroughs, asks the advisor and practises; a lead alone writes
        walkthroughs and sets the ready mark."""
        self._permits = permits
        permit(self.new_button, permits.edits_process, permits.why_not_process)
        permit(self.import_button, permits.edits_process, permits.why_not_process)
        permit(self.threshold, permits.edits_process, permits.why_not_process)
        self.advisor.apply_permits(permits)
        self.practice.apply_permits(permits)
        self._update_walk_buttons()

    def refresh_from(self, session: AppSession, now: datetime) -> None:
        """Reload choices, scenarios, walkthroughs and the roster from the workspace."""
        self._session = session
        snapshot = session.onboarding().snapshot()
        self.advisor.load(session, snapshot, self._now)
        self.practice.load(session, snapshot, self._now)
        self._load_walkthroughs(self.selected_walkthrough())
        self._load_roster()

    def _load_walkthroughs(self, select: str | None) -> None:
        assert self._session is not None
        self.walkthroughs.clear()
        for walkthrough in self._session.onboarding().walkthroughs():
            kind = "built in" if walkthrough.builtin else "your team's"
            item = QListWidgetItem(
                f"{walkthrough.title}  ·  {len(walkthrough.steps)} steps, {kind}"
            )
            item.setData(Qt.ItemDataRole.UserRole, walkthrough.title)
            item.setData(BUILT_IN, walkthrough.builtin)
            self.walkthroughs.addItem(item)
            if walkthrough.title == select:
                self.walkthroughs.setCurrentItem(item)
        if self.walkthroughs.currentRow() < 0:
            self.walkthroughs.setCurrentRow(0)
        self._update_walk_buttons()

    def _update_walk_buttons(self) -> None:
        item = self.walkthroughs.currentItem()
        own = item is not None and not item.data(BUILT_IN)
        self.play_button.setEnabled(item is not None)
        for button in (self.edit_button, self.delete_button):
            permit(button, self._permits.edits_process, self._permits.why_not_process)
            button.setEnabled(button.isEnabled() and own)

    def _load_roster(self) -> None:
        assert self._session is not None
        service = self._session.onboarding()
        self.threshold.setValue(round(service.ready_threshold() * 100))
        headers, rows = service.roster_sheet()
        shown = [h for h in headers if h not in ("First activity",)]
        self.roster.setColumnCount(len(shown))
        self.roster.setHorizontalHeaderLabels(shown)
        self.roster.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [v for h, v in zip(headers, row, strict=True) if h in shown]
            for c, value in enumerate(values):
                text = (
                    f"{value:.0%}"
                    if isinstance(value, float)
                    else f"{value:%d %b %H:%M}"
                    if isinstance(value, datetime)
                    else ""
                    if value is None
                    else str(value)
                )
                self.roster.setItem(r, c, QTableWidgetItem(text))
        self.roster.resizeColumnsToContents()
        self.roster.horizontalHeader().setStretchLastSection(True)

    @Slot()
    def _create_from_advice(self) -> None:
        """The New escalation dialog, filled in from the advice; it lands on the board."""
        from escalation_desk.ui.board.new_dialog import NewEscalationDialog  # noqa: PLC0415

        advice = self.advisor.advice
        if self._session is None or advice is None:
            return
        snapshot = self._session.onboarding().snapshot()
        dialog = NewEscalationDialog(
            self._session.escalations(),
            [lv.code for lv in snapshot.levels],
            [p.name for p in snapshot.people],
            getpass.getuser(),
            self._now,
            self,
        )
        situation = self.advisor.situation()
        dialog.module.setText(situation.module)
        dialog.issue_type.setText(situation.issue_type)
        dialog.severity.setCurrentText(advice.level.code)
        dialog.customers.setValue(situation.customers or 0)
        dialog.impact.setPlainText("; ".join(f"{f.text} ({f.why})" for f in advice.fired))
        dialog.escalate_now.setChecked(advice.decision is Decision.ESCALATE_NOW)
        self.last_dialog = dialog
        if dialog.exec() == NewEscalationDialog.DialogCode.Accepted and dialog.created_ref:
            self._context.navigate("board", dialog.created_ref, "")

    def selected_walkthrough(self) -> str | None:
        """The title of the walkthrough chosen in the list."""
        item = self.walkthroughs.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    @Slot()
    def _play(self) -> None:
        title = self.selected_walkthrough()
        if title:
            self._context.play_walkthrough(title)

    @Slot()
    def _new(self) -> None:
        self.open_editor(None)

    @Slot()
    def _edit(self) -> None:
        title = self.selected_walkthrough()
        if self._session is not None and title:
            self.open_editor(self._session.onboarding().walkthrough(title))

    def open_editor(self, walkthrough: Walkthrough | None) -> WalkthroughEditor | None:
        """The walkthrough editor, on a new walkthrough (None) or on one of the team's."""
        if self._session is None:
            return None
        from escalation_desk.ui.onboarding.authoring import WalkthroughEditor  # noqa: PLC0415
        from escalation_desk.ui.screens import SCREENS  # noqa: PLC0415 - screens imports us

        service = self._session.onboarding()
        replacing = walkthrough.title if walkthrough else None
        editor = WalkthroughEditor(
            self._context.window or self.window(),
            [(spec.key, spec.title) for spec in SCREENS],
            lambda key: self._context.navigate(key, "", ""),
            lambda saved: service.save_walkthrough(saved, replacing=replacing),
            walkthrough,
            self,
        )
        editor.setWindowFlag(Qt.WindowType.Window)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._on_walkthrough_saved)
        self.editor = editor
        editor.show()
        return editor

    @Slot(str)
    def _on_walkthrough_saved(self, title: str) -> None:
        if self._session is not None:
            self._load_walkthroughs(title)
            self._load_roster()

    @Slot()
    def _delete(self) -> None:
        title = self.selected_walkthrough()
        if self._session is None or not title:
            return
        answer = QMessageBox.question(
            self,
            "Delete walkthrough",
            f"Delete the walkthrough {title!r}? It also leaves the agents' records.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._session.onboarding().delete_walkthrough(title)
            self._load_walkthroughs(None)

    @Slot()
    def _export(self) -> None:
        title = self.selected_walkthrough()
        if self._session is None or not title:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export walkthrough", f"{title}.json", "Walkthroughs (*.json)"
        )
        service = self._session.onboarding()
        if path:
            self._report("Export failed", lambda: service.export_walkthrough(title, Path(path)))

    @Slot()
    def _import(self) -> None:
        if self._session is None:
            return
        session = self._session
        path, _ = QFileDialog.getOpenFileName(
            self, "Import walkthrough", "", "Walkthroughs (*.json)"
        )
        if path and self._report(
            "Import refused", lambda: session.onboarding().import_walkthrough(Path(path))
        ):
            self.refresh_from(session, self._now())

    @Slot()
    def _set_threshold(self) -> None:
        if self._session is not None:
            self._session.onboarding().set_ready_threshold(self.threshold.value() / 100)
            self._load_roster()

    @Slot()
    def _export_roster(self) -> None:
        if self._session is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export roster", "onboarding-roster.xlsx", "Excel workbook (*.xlsx)"
        )
        if path:
            service = self._session.onboarding()
            self._report("Export failed", lambda: service.export_roster(Path(path)))

    def _report(self, title: str, action: Callable[[], object]) -> bool:
        """Run a file action; a refusal is one sentence in a message box."""
        try:
            action()
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, title, str(exc))
            return False
        return True
