"""The walkthrough editor: a lead writes steps, orders them, and points each at a widget."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import cast

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.walkthrough import Question, Step, Walkthrough
from escalation_desk.ui.onboarding.spotlight import WidgetPicker

NO_SCREEN = "(no screen: the step is a card in the middle)"
PICK_HINT = "Click the part of the window this step points at · Esc cancels"
DRAFT = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class StepDraft:
    """A step as typed so far: a half-written question is allowed until Save."""

    title: str = "New step"
    text: str = ""
    screen: str = ""
    widget: str = ""
    prompt: str = ""
    choices: str = ""  # one choice per line
    answer: int = 1  # counted from 1, as the lead reads the choices

    @classmethod
    def of(cls, step: Step) -> StepDraft:
        """The draft of a stored step."""
        question = step.question
        if question is None:
            return cls(step.title, step.text, step.screen, step.widget)
        return cls(
            step.title,
            step.text,
            step.screen,
            step.widget,
            question.prompt,
            "\n".join(question.choices),
            question.answer + 1,
        )

    def step(self, number: int) -> Step:
        """The stored step; ValueError names the step whose question cannot stand."""
        title = self.title.strip()
        if not title:
            raise ValueError(f"Step {number} needs a title.")
        question = None
        choices = tuple(line.strip() for line in self.choices.splitlines() if line.strip())
        if self.prompt.strip() or choices:
            if not self.prompt.strip():
                raise ValueError(f"Step {number}: the question has choices but no question.")
            try:
                question = Question(self.prompt.strip(), choices, self.answer - 1)
            except ValueError as exc:
                raise ValueError(f"Step {number}: {exc}") from exc
        return Step(title, self.text.strip(), self.screen, self.widget.strip(), question)


class WalkthroughEditor(QDialog):
    """Add, reorder and remove steps; point a step at a widget by clicking it in the window.

    Not modal: while a widget is being picked the editor steps aside and the window takes the
    click. ``save`` is called with the finished walkthrough; a ValueError it raises (a
    duplicate title, a question without its answer) is shown and the editor stays open.
    """

    saved = Signal(str)  # the title saved

    def __init__(
        self,
        window: QWidget,
        screens: list[tuple[str, str]],
        show_screen: Callable[[str], None],
        save: Callable[[Walkthrough], None],
        walkthrough: Walkthrough | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("walkthroughEditor")
        self.setWindowTitle("Edit walkthrough" if walkthrough else "New walkthrough")
        self._window = window
        self._show_screen = show_screen
        self._save = save
        self._loading = False
        self.picker = WidgetPicker(window)
        self.picker.picked.connect(self._on_picked)
        self.picker.cancelled.connect(self._end_picking)
        self._hint: QLabel | None = None

        self.title = QLineEdit(walkthrough.title if walkthrough else "")
        self.title.setObjectName("walkthroughTitle")
        self.title.setPlaceholderText("e.g. Billing escalations for new starters")
        self.steps = QListWidget()
        self.steps.setObjectName("stepList")
        self.steps.setAccessibleName("Steps, in the order they are played")
        self.steps.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.steps.currentRowChanged.connect(self._on_current_row_changed)
        self.add_button = self._button("addStep", "&Add step", self.add_step)
        self.remove_button = self._button("removeStep", "&Remove", self.remove_step)
        self.up_button = self._button("moveStepUp", "Move &up", lambda: self.move_step(-1))
        self.down_button = self._button("moveStepDown", "Move &down", lambda: self.move_step(1))
        self.up_button.setShortcut(QKeySequence("Alt+Up"))
        self.down_button.setShortcut(QKeySequence("Alt+Down"))

        self.step_title = QLineEdit()
        self.step_title.setObjectName("stepTitle")
        self.step_text = QPlainTextEdit()
        self.step_text.setObjectName("stepText")
        self.step_text.setTabChangesFocus(True)
        self.screen_choice = QComboBox()
        self.screen_choice.setObjectName("stepScreen")
        self.screen_choice.addItem(NO_SCREEN, "")
        for key, title in screens:
            self.screen_choice.addItem(title, key)
        self.widget = QLineEdit()
        self.widget.setObjectName("stepWidget")
        self.widget.setPlaceholderText("the whole screen")
        self.pick_button = self._button("pickWidget", "&Pick on screen…", self.start_picking)
        self.pick_button.setToolTip("Choose the screen, then click the part the step points at")
        self.prompt = QLineEdit()
        self.prompt.setObjectName("questionPrompt")
        self.prompt.setPlaceholderText("optional: a question to answer before moving on")
        self.choices = QPlainTextEdit()
        self.choices.setObjectName("questionChoices")
        self.choices.setPlaceholderText("one choice per line")
        self.choices.setTabChangesFocus(True)
        self.choices.setMaximumHeight(90)
        self.answer = QSpinBox()
        self.answer.setObjectName("questionAnswer")
        self.answer.setRange(1, 20)
        self.answer.setPrefix("choice ")
        self.error = QLabel()
        self.error.setObjectName("editorError")
        self.error.setWordWrap(True)  # red from app.qss (#editorError), in either theme

        for line in (self.step_title, self.widget, self.prompt):
            line.textEdited.connect(self._store_form)
        for text in (self.step_text, self.choices):
            text.textChanged.connect(self._store_form)
        self.screen_choice.currentIndexChanged.connect(self._on_screen_changed)
        self.answer.valueChanged.connect(self._store_form)

        self._lay_out()
        for step in walkthrough.steps if walkthrough else ():
            self._append(StepDraft.of(step))
        if not self.steps.count():
            self._append(StepDraft("Welcome"))
        self.steps.setCurrentRow(0)
        self.resize(760, 520)

    # -- the steps -------------------------------------------------------------------------
    def drafts(self) -> list[StepDraft]:
        """The steps as typed, in list order."""
        return [self.steps.item(row).data(DRAFT) for row in range(self.steps.count())]

    def walkthrough(self) -> Walkthrough:
        """The walkthrough as it would be saved; ValueError says what keeps it from saving."""
        title = self.title.text().strip()
        if not title:
            raise ValueError("Give the walkthrough a title.")
        steps = tuple(draft.step(n) for n, draft in enumerate(self.drafts(), start=1))
        if not steps:
            raise ValueError("A walkthrough needs at least one step.")
        return Walkthrough(title, steps)

    @Slot()
    def add_step(self) -> None:
        """A new step after the current one, on the same screen."""
        current = self._current()
        screen = current.screen if current else ""
        row = self.steps.currentRow() + 1
        self._append(StepDraft(f"Step {self.steps.count() + 1}", screen=screen), row)
        self.steps.setCurrentRow(row)
        self.step_title.setFocus()
        self.step_title.selectAll()

    @Slot()
    def remove_step(self) -> None:
        """Drop the current step."""
        row = self.steps.currentRow()
        if row >= 0:
            self.steps.takeItem(row)
            self._update_buttons()

    def move_step(self, offset: int) -> None:
        """Move the current step up (-1) or down (+1)."""
        row = self.steps.currentRow()
        target = row + offset
        if row < 0 or not 0 <= target < self.steps.count():
            return
        item = self.steps.takeItem(row)
        self.steps.insertItem(target, item)
        self.steps.setCurrentRow(target)

    # -- picking a widget ----------------------------------------------------------------
    @Slot()
    def start_picking(self) -> None:
        """Show the step's screen, step aside, and wait for a click on the window."""
        screen = str(self.screen_choice.currentData() or "")
        if not screen:
            self.error.setText("Choose the screen first; then pick a part of it.")
            return
        self.error.clear()
        self._show_screen(screen)
        self.hide()
        self._hint = QLabel(PICK_HINT, self._window)
        self._hint.setObjectName("pickHint")
        self._hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._hint.setStyleSheet(
            "background: #1f4e79; color: white; padding: 6px 12px; border-radius: 4px;"
        )
        self._hint.adjustSize()
        self._hint.move((self._window.width() - self._hint.width()) // 2, 8)
        self._hint.show()
        self._window.activateWindow()
        self.picker.start()

    @Slot(str)
    def _on_picked(self, name: str) -> None:
        self.widget.setText(name)
        self._store_form()
        self._end_picking()

    @Slot()
    def _end_picking(self) -> None:
        if self._hint is not None:
            self._hint.hide()
            self._hint.deleteLater()
            self._hint = None
        self.show()
        self.raise_()
        self.activateWindow()

    # -- saving ----------------------------------------------------------------------------
    def accept(self) -> None:
        """Save through the workspace; a refusal is shown and the editor stays open."""
        try:
            walkthrough = self.walkthrough()
            self._save(walkthrough)
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.saved.emit(walkthrough.title)
        super().accept()

    def reject(self) -> None:
        """Close, leaving a pick in progress too."""
        if self.picker.active:
            self.picker.cancel()
        super().reject()

    # -- internals -------------------------------------------------------------------------
    def _button(self, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _lay_out(self) -> None:
        left = QVBoxLayout()
        left.addWidget(QLabel("Steps (drag or Alt+Up/Down to reorder)"))
        left.addWidget(self.steps, 1)
        row = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            row.addWidget(button)
        left.addLayout(row)

        form = QFormLayout()
        form.addRow("Step title", self.step_title)
        form.addRow("What it says", self.step_text)
        form.addRow("Screen", self.screen_choice)
        target = QHBoxLayout()
        target.addWidget(self.widget, 1)
        target.addWidget(self.pick_button)
        form.addRow("Points at", target)
        question = QGroupBox("Question (optional)")
        question_form = QFormLayout(question)
        question_form.addRow("Question", self.prompt)
        question_form.addRow("Choices", self.choices)
        question_form.addRow("Right answer", self.answer)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(question)
        right.addStretch(1)

        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        top = QFormLayout()
        top.addRow("Title", self.title)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _append(self, draft: StepDraft, row: int | None = None) -> None:
        item = QListWidgetItem(draft.title)
        item.setData(DRAFT, draft)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
        self.steps.insertItem(self.steps.count() if row is None else row, item)
        self._update_buttons()

    def _current(self) -> StepDraft | None:
        item = self.steps.currentItem()
        return None if item is None else cast("StepDraft", item.data(DRAFT))

    @Slot(int)
    def _on_current_row_changed(self, _row: int) -> None:
        draft = self._current()
        self._loading = True
        try:
            shown = draft or StepDraft("")
            self.step_title.setText(shown.title)
            self.step_text.setPlainText(shown.text)
            found = self.screen_choice.findData(shown.screen)
            self.screen_choice.setCurrentIndex(max(found, 0))
            self.widget.setText(shown.widget)
            self.prompt.setText(shown.prompt)
            self.choices.setPlainText(shown.choices)
            self.answer.setValue(shown.answer)
        finally:
            self._loading = False
        for field in (self.step_title, self.step_text, self.screen_choice, self.widget):
            field.setEnabled(draft is not None)
        self._update_buttons()

    @Slot()
    def _store_form(self) -> None:
        item = self.steps.currentItem()
        if self._loading or item is None:
            return
        draft = replace(
            item.data(DRAFT),
            title=self.step_title.text(),
            text=self.step_text.toPlainText(),
            screen=str(self.screen_choice.currentData() or ""),
            widget=self.widget.text(),
            prompt=self.prompt.text(),
            choices=self.choices.toPlainText(),
            answer=self.answer.value(),
        )
        item.setData(DRAFT, draft)
        item.setText(draft.title.strip() or "(untitled step)")
        self.pick_button.setEnabled(bool(draft.screen))

    @Slot(int)
    def _on_screen_changed(self, _index: int) -> None:
        if not self._loading:
            self.widget.clear()  # a widget picked on another screen is not on this one
        self._store_form()

    def _update_buttons(self) -> None:
        row, count = self.steps.currentRow(), self.steps.count()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)
        current = self._current()
        self.pick_button.setEnabled(bool(current and current.screen))
