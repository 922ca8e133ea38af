"""Help > About: the version, what the app is for, and the licences of the bundled libraries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

ABOUT_SENTENCE = (
    "Escalation Desk writes down when to escalate, to whom, how and by when, keeps every "
    "escalation in sight until its team has learned from it, and measures whether the process "
    "works: the escalation matrix, board and closure loop for customer-support leads."
)
_CLASSIFIER_PREFIX = "License :: OSI Approved :: "
_SHORT_LICENCE = 60  # longer License fields hold the whole licence text, not its name


@dataclass(frozen=True, slots=True)
class Library:
    """A library the app ships with, the names its package goes by, and its licence when the
    installed package does not say (a frozen build may carry no metadata)."""

    title: str
    distributions: tuple[str, ...]
    fallback_licence: str
    note: str = ""


BUNDLED = (
    Library(
        "Qt for Python (PySide6) and Qt",
        ("PySide6-Essentials", "PySide6"),
        "LGPL-3.0-only",
        "used under the LGPLv3",
    ),
    Library("SQLAlchemy", ("SQLAlchemy",), "MIT"),
    Library("Alembic", ("alembic",), "MIT"),
    Library("openpyxl", ("openpyxl",), "MIT"),
    Library("python-calamine", ("python-calamine",), "MIT"),
    Library("matplotlib", ("matplotlib",), "Matplotlib licence", "its own, PSF-based"),
    Library("defusedxml", ("defusedxml",), "PSF-2.0"),
    Library("platformdirs", ("platformdirs",), "MIT"),
    Library("NumPy", ("numpy",), "BSD-3-Clause"),
)


@dataclass(frozen=True, slots=True)
class LibraryLine:
    """What the About dialog says of one library."""

    title: str
    version: str
    licence: str


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    """A metadata field, "" when absent (indexing a missing one is deprecated)."""
    values = meta.get_all(name) or []
    return str(values[0]).strip() if values else ""


def _licence(meta: metadata.PackageMetadata) -> str:
    """The licence as the package declares it: its SPDX expression, a short License field,
    or its licence classifier; "" when it says none of these."""
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    field = _field(meta, "License")
    if field and "\n" not in field and len(field) <= _SHORT_LICENCE and field != "UNKNOWN":
        return field
    classifiers = meta.get_all("Classifier") or []
    prefix = _CLASSIFIER_PREFIX
    return ", ".join(c.removeprefix(prefix) for c in classifiers if c.startswith(prefix))


def describe(
    library: Library,
    read: Callable[[str], metadata.PackageMetadata] = metadata.metadata,
) -> LibraryLine:
    """The version and licence of ``library`` from the installed package where it can be read."""
    for name in library.distributions:
        try:
            meta = read(name)
        except metadata.PackageNotFoundError:
            continue
        licence = _licence(meta) or library.fallback_licence
        if library.note:
            licence = f"{licence} ({library.note})"
        return LibraryLine(library.title, _field(meta, "Version"), licence)
    licence = library.fallback_licence + (f" ({library.note})" if library.note else "")
    return LibraryLine(library.title, "", licence)


class AboutDialog(QDialog):
    """The version, a sentence on the app, a table of libraries, and the log folder's button."""

    def __init__(
        self, version: str, open_log_folder: Callable[[], object], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Escalation Desk")
        self.setObjectName("aboutDialog")
        heading = QLabel(f"<b>Escalation Desk {version}</b>")
        heading.setObjectName("aboutVersion")
        sentence = QLabel(ABOUT_SENTENCE)
        sentence.setWordWrap(True)
        self.lines = [describe(library) for library in BUNDLED]
        self.table = QTableWidget(len(self.lines), 3)
        self.table.setObjectName("bundledLibraries")
        self.table.setAccessibleName("Bundled libraries and their licences")
        self.table.setHorizontalHeaderLabels(["Library", "Version", "Licence"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, line in enumerate(self.lines):
            for column, text in enumerate((line.title, line.version or "—", line.licence)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        # Licence expressions run long ("LGPL-3.0-only OR GPL-2.0-only OR ..."): they wrap in
        # their column instead of pushing the table into sideways scrolling.
        self.table.setWordWrap(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.log_button = QPushButton("Open the &log folder")
        self.log_button.setObjectName("aboutOpenLogFolder")
        self.log_button.setToolTip("Show the folder with Escalation Desk's log files")
        self.log_button.clicked.connect(open_log_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(sentence)
        layout.addWidget(QLabel("Built with these libraries, each under its own licence:"))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 520)
        self.table.resizeRowsToContents()
