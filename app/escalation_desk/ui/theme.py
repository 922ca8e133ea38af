"""The app's look: light and dark palettes, the style sheet filled from them, and the icons."""

from __future__ import annotations

import re
from enum import StrEnum

from PySide6.QtCore import QObject, QSettings, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from escalation_desk import paths


class Scheme(StrEnum):
    """A theme choice: follow the system, or always light or dark."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


#: Where the View > Theme choice is kept in the window's settings.
SETTINGS_KEY = "view/theme"

# One name per role, so that app.qss and the painted widgets share their colours. Status
# colours are tuned per theme to keep WCAG AA (4.5:1) against the surfaces they are drawn on.
LIGHT: dict[str, str] = {
    "window": "#f4f6f9",  # page background
    "surface": "#ffffff",  # cards, tables, board cards
    "surfaceAlt": "#eef2f6",  # table headers, buttons
    "statusBar": "#e9edf2",
    "band": "#e9edf2",  # a board lane's empty cells
    "laneBar": "#dfe6ee",
    "pill": "#e3e8ee",  # count pills on the board's header
    "border": "#dde3ea",
    "grid": "#e3e8ee",
    "text": "#17202b",
    "secondary": "#3b4a5a",
    "muted": "#5d6b7a",
    "dim": "#8a94a0",  # rules that can never fire: meant to recede, like disabled text
    "accent": "#1f3a5f",  # refs, the current card's outline
    "link": "#1f4e8f",
    "selection": "#d7e6f7",
    "selectionText": "#17202b",
    "highlight": "#2f6db5",  # Qt's own selection (menus, combo boxes, item views)
    "highlightText": "#ffffff",
    "rail": "#1f3a5f",
    "railHover": "#2b4c76",
    "railText": "#dbe6f3",
    "railChecked": "#ffffff",
    "railCheckedText": "#1f3a5f",
    "bad": "#b03a2e",
    "badEdge": "#c0392b",
    "warn": "#9a6400",
    "warnEdge": "#d68910",
    "caution": "#8a5a00",
    "good": "#2e7d32",
    # A filled flag ("No liaison", "Breached"): white on red in both themes.
    "flag": "#b03a2e",
    "flagText": "#ffffff",
    "breach": "#c0392b",  # the board's "Breached" pill, white text on it
    "disabledText": "#9099a4",
    # Fusion draws check-box and radio edges from the window colour made darker: see apply().
    "indicatorWindow": "#f4f6f9",
}

DARK: dict[str, str] = {
    "window": "#15191f",
    "surface": "#1e242c",
    "surfaceAlt": "#262d36",
    "statusBar": "#1b2028",
    "band": "#1a1f27",
    "laneBar": "#262d36",
    "pill": "#313a45",
    "border": "#363f4a",
    "grid": "#2c343e",
    "text": "#e6eaef",
    "secondary": "#c3cbd4",
    "muted": "#9aa6b2",
    "dim": "#6f7a86",
    "accent": "#8fb8e8",
    "link": "#8fb8e8",
    "selection": "#2d4a6e",
    "selectionText": "#e6eaef",
    "highlight": "#3d6fa8",
    "highlightText": "#ffffff",
    "rail": "#14243a",
    "railHover": "#22395a",
    "railText": "#dbe6f3",
    # The checked button stays light: its icon is the dark one (resources/icons/<name>.svg).
    "railChecked": "#dbe6f3",
    "railCheckedText": "#1f3a5f",
    "bad": "#f28b82",
    "badEdge": "#e5675c",
    "warn": "#f2b84b",
    "warnEdge": "#d68910",
    "caution": "#e0a84a",
    "good": "#81c995",
    "flag": "#b03a2e",
    "flagText": "#ffffff",
    "breach": "#c0392b",
    "disabledText": "#6b7480",
    # Darkened by Fusion to about #656e79: an edge that shows on the dark window and base.
    "indicatorWindow": "#8e99a8",
}

PALETTES: dict[Scheme, dict[str, str]] = {Scheme.LIGHT: LIGHT, Scheme.DARK: DARK}

#: Every (text, background) pair the app draws, held to WCAG AA by the tests.
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    *(
        (text, ground)
        for text in ("text", "secondary", "muted")
        for ground in ("window", "surface")
    ),
    ("text", "surfaceAlt"),
    ("secondary", "surfaceAlt"),
    ("secondary", "statusBar"),
    ("text", "laneBar"),
    ("text", "pill"),
    ("secondary", "surface"),
    ("accent", "surface"),
    ("accent", "window"),
    ("link", "surface"),
    ("selectionText", "selection"),
    ("highlightText", "highlight"),
    ("railText", "rail"),
    ("railText", "railHover"),
    ("railCheckedText", "railChecked"),
    *(
        (status, ground)
        for status in ("bad", "warn", "caution", "good")
        for ground in ("window", "surface")
    ),
    ("flagText", "flag"),
    ("flagText", "breach"),
)

_INDICATOR_CLASSES = ("QCheckBox", "QRadioButton", "QAbstractItemView")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_current = Scheme.LIGHT


def icon(name: str) -> QIcon:
    """An SVG icon from resources/icons."""
    return QIcon(str(paths.resource("icons", f"{name}.svg")))


def rail_icon(name: str) -> QIcon:
    """A rail icon: light on the navy rail, dark on the light background of the checked button."""
    icon = QIcon()
    icon.addFile(str(paths.resource("icons", f"{name}-light.svg")), state=QIcon.State.Off)
    icon.addFile(str(paths.resource("icons", f"{name}.svg")), state=QIcon.State.On)
    return icon


def current() -> Scheme:
    """The scheme last applied: LIGHT or DARK."""
    return _current


def colour(name: str) -> str:
    """A colour of the current theme by role ("muted", "bad"...), for painting and HTML."""
    return PALETTES[_current][name]


def system_scheme() -> Scheme:
    """The desktop's scheme; Qt says Unknown where it cannot tell, which reads as light."""
    dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return Scheme.DARK if dark else Scheme.LIGHT


def resolve(choice: Scheme) -> Scheme:
    """LIGHT or DARK for a choice, SYSTEM asking the desktop."""
    return system_scheme() if choice is Scheme.SYSTEM else choice


def style_sheet(scheme: Scheme) -> str:
    """resources/styles/app.qss with its ``{{role}}`` placeholders filled from the palette."""
    values = PALETTES[scheme]
    template = paths.resource("styles", "app.qss").read_text(encoding="utf-8")
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def palette(scheme: Scheme) -> QPalette:
    """The Qt palette for what the style sheet does not cover: dialogs, menus, tooltips, inputs."""
    values = PALETTES[scheme]

    def c(name: str) -> QColor:
        return QColor(values[name])

    result = QPalette()
    roles = QPalette.ColorRole
    for role, name in (
        (roles.Window, "window"),
        (roles.WindowText, "text"),
        (roles.Base, "surface"),
        (roles.AlternateBase, "surfaceAlt"),
        (roles.ToolTipBase, "surface"),
        (roles.ToolTipText, "text"),
        (roles.PlaceholderText, "muted"),
        (roles.Text, "text"),
        (roles.Button, "surfaceAlt"),
        (roles.ButtonText, "text"),
        (roles.Highlight, "highlight"),
        (roles.HighlightedText, "highlightText"),
        (roles.Link, "link"),
        (roles.LinkVisited, "link"),
        (roles.Accent, "highlight"),
    ):
        result.setColor(role, c(name))
    result.setColor(roles.BrightText, QColor("#ffffff"))
    # Fusion draws bevels and frames from these: derived from the button so that they suit it.
    button = c("surfaceAlt")
    dark = scheme is Scheme.DARK
    result.setColor(roles.Light, button.lighter(150 if dark else 115))
    result.setColor(roles.Midlight, button.lighter(125 if dark else 105))
    result.setColor(roles.Mid, c("border").darker(100 if dark else 130))
    result.setColor(roles.Dark, button.darker(160 if dark else 150))
    result.setColor(roles.Shadow, QColor("#000000"))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        result.setColor(disabled, role, c("disabledText"))
    result.setColor(disabled, roles.Base, c("window"))
    result.setColor(disabled, roles.Button, c("window"))
    result.setColor(disabled, roles.Highlight, c("border"))
    return result


def apply(app: QApplication, scheme: Scheme = Scheme.SYSTEM) -> Scheme:
    """The app's icon, palette and style sheet in ``scheme``; returns LIGHT or DARK as applied."""
    global _current
    resolved = resolve(scheme)
    _current = resolved
    app.setWindowIcon(icon("escalation-desk"))
    # The palette first: the style sheet's polish then starts from the right colours.
    app.setPalette(palette(resolved))
    # Fusion outlines check boxes, radio buttons and item-view check marks in the window
    # colour made darker, which vanishes on a dark window: those classes get a lighter one.
    indicators = palette(resolved)
    indicators.setColor(QPalette.ColorRole.Window, QColor(PALETTES[resolved]["indicatorWindow"]))
    for name in _INDICATOR_CLASSES:
        # PySide6 6.11's stubs ask for bytes here, but it accepts only str at run time.
        QApplication.setPalette(indicators, name)  # type: ignore[arg-type]
    # A header is an item view too, but paints its empty part in the window colour.
    QApplication.setPalette(palette(resolved), "QHeaderView")  # type: ignore[arg-type]
    app.setStyleSheet(style_sheet(resolved))
    return resolved


class SchemeFollower(QObject):
    """Keeps the app in the chosen scheme, following the desktop's while the choice is SYSTEM."""

    def __init__(self, app: QApplication, choice: Scheme = Scheme.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self._choice = choice
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_hints_color_scheme_changed)
        apply(app, choice)

    def choice(self) -> Scheme:
        """The choice the app follows."""
        return self._choice

    def set_choice(self, choice: Scheme) -> None:
        """Follow ``choice`` from now on, applying it at once."""
        self._choice = choice
        apply(self._app, choice)

    @Slot(Qt.ColorScheme)
    def _on_hints_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice is Scheme.SYSTEM and system_scheme() is not _current:
            apply(self._app, Scheme.SYSTEM)


def follow_system(app: QApplication, choice: Scheme = Scheme.SYSTEM) -> SchemeFollower:
    """Apply ``choice`` now and re-apply the theme whenever the desktop switches scheme."""
    return SchemeFollower(app, choice)


def saved_choice(settings: QSettings) -> Scheme:
    """The View > Theme choice kept in ``settings``; SYSTEM when none or not understood."""
    value = settings.value(SETTINGS_KEY, Scheme.SYSTEM.value, str)
    try:
        return Scheme(str(value))
    except ValueError:
        return Scheme.SYSTEM


def scheme_menu(follower: SchemeFollower, settings: QSettings, parent: QWidget) -> QMenu:
    """View > Theme: System, Light, Dark; the choice is applied at once and remembered."""
    menu = QMenu("&Theme", parent)
    menu.setObjectName("themeMenu")
    group = QActionGroup(menu)
    group.setExclusive(True)
    for choice, text, tip in (
        (Scheme.SYSTEM, "&System", "Follow the desktop's light or dark setting"),
        (Scheme.LIGHT, "&Light", "Always use the light theme"),
        (Scheme.DARK, "&Dark", "Always use the dark theme"),
    ):
        action = QAction(text, menu)
        action.setObjectName(f"theme{choice.value.title()}Action")
        action.setCheckable(True)
        action.setChecked(choice is follower.choice())
        action.setStatusTip(tip)
        action.setData(choice.value)
        group.addAction(action)
        menu.addAction(action)

    def chosen(action: QAction) -> None:
        choice = Scheme(str(action.data()))
        settings.setValue(SETTINGS_KEY, choice.value)
        follower.set_choice(choice)

    group.triggered.connect(chosen)
    return menu
