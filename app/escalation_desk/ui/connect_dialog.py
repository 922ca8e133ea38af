"""Asks for a team server's address and password: to connect, or to copy a workspace up."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.services import team
from escalation_desk.services.errors import WorkspaceError

log = logging.getLogger(__name__)

ADDRESS_EXAMPLE = "postgresql://you@server:5432/escalations"
FOUND_PASSWORD = "Found in the system keyring or ESCALATION_DESK_DB_PASSWORD"

#: Tries the address with the password (None: the one found); raises WorkspaceError when
#: the server says no, with the sentence to show.
Attempt = Callable[[str, str | None], object]


class TeamAddressDialog(QDialog):
    """Address, password and "remember"; a refusal is said here and the dialog stays open.

    The work itself (connecting, copying) is ``attempt``'s; the dialog closes only when it
    succeeded, with its result in ``result_value``.
    """

    def __init__(
        self,
        title: str,
        intro: str,
        accept_text: str,
        attempt: Attempt,
        address: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("teamAddressDialog")
        self.setMinimumWidth(520)
        self._attempt = attempt
        self.result_value: object = None
        #: "" or why the password could not be kept in the keyring, after a success.
        self.keyring_note = ""

        heading = QLabel(intro)
        heading.setWordWrap(True)
        self.address = QLineEdit(address)
        self.address.setObjectName("teamAddress")
        self.address.setAccessibleName("Team workspace address")
        self.address.setPlaceholderText(ADDRESS_EXAMPLE)
        self.address.setToolTip(
            "postgresql://LOGIN@HOST:PORT/DATABASE, as your lead or administrator gave it"
        )
        self.password = QLineEdit()
        self.password.setObjectName("teamPassword")
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Remember the password in the system keyring")
        self.remember.setObjectName("rememberPassword")
        self.remember.setToolTip("Never in a file: the desktop's keyring keeps it")
        self.error = QLabel()
        self.error.setObjectName("badText")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()

        form = QFormLayout()
        form.addRow("&Address", self.address)
        form.addRow("&Password", self.password)
        form.addRow("", self.remember)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(accept_text)
        self.ok_button.setObjectName("teamAccept")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.address.textChanged.connect(self._on_address_text_changed)
        self.address.editingFinished.connect(self._on_address_editing_finished)
        self._on_address_text_changed(address)
        self._on_address_editing_finished()
        (self.password if address else self.address).setFocus()

    def typed_password(self) -> str | None:
        """The password typed, or None to use the one found for the address."""
        return self.password.text() or None

    def say(self, sentence: str) -> None:
        """Show why the last try failed."""
        self.error.setText(sentence)
        self.error.show()
        self.adjustSize()  # the server's sentence can take three lines: make room for it

    @Slot(str)
    def _on_address_text_changed(self, text: str) -> None:
        self.ok_button.setEnabled(bool(text.strip()))

    @Slot()
    def _on_address_editing_finished(self) -> None:
        # A password the environment or keyring already has is not asked again, and never
        # shown: the field stays empty and the service looks it up itself.
        address = self.address.text().strip()
        try:
            found = bool(address) and team.password_for(address) is not None
        except WorkspaceError:
            found = False  # not an address yet; said when the user connects
        self.password.setPlaceholderText(FOUND_PASSWORD if found else "")

    @Slot()
    def _on_buttons_accepted(self) -> None:
        address, password = self.address.text().strip(), self.typed_password()
        self.error.hide()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result_value = self._attempt(address, password)
        except WorkspaceError as exc:
            log.info("Team workspace %s refused: %s", address, exc)
            self.say(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        if self.remember.isChecked() and password:
            self.keyring_note = team.remember_password(address, password)
        self.accept()
