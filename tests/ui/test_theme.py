"""The light and dark themes: palettes, the style sheet, contrast, every screen in dark."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from escalation_desk import paths
from escalation_desk.ui import theme
from escalation_desk.ui.app import THEME_VARIABLE, build_window, theme_choice
from escalation_desk.ui.board.cards import HEADER_HEIGHT
from escalation_desk.ui.board.view import BoardView
from escalation_desk.ui.screenshot import parse_size

Scheme = theme.Scheme


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two sRGB colours, from 1 to 21."""

    def luminance(name: str) -> float:
        colour = QColor(name)

        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        red, green, blue = (channel(v) for v in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_helper_knows_the_extremes() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#777777") == pytest.approx(1.0)
    # WCAG's own example: #767676 is the lightest grey that passes AA on white.
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("scheme", [Scheme.LIGHT, Scheme.DARK])
def test_every_text_pair_meets_wcag_aa(scheme: Scheme) -> None:
    colours = theme.PALETTES[scheme]
    failing = [
        (text, ground, round(contrast(colours[text], colours[ground]), 2))
        for text, ground in theme.TEXT_PAIRS
        if contrast(colours[text], colours[ground]) < 4.5
    ]
    assert failing == []


def test_both_palettes_name_the_same_roles() -> None:
    assert theme.LIGHT.keys() == theme.DARK.keys()


@pytest.mark.parametrize("scheme", [Scheme.LIGHT, Scheme.DARK])
def test_style_sheet_fills_every_placeholder(scheme: Scheme) -> None:
    sheet = theme.style_sheet(scheme)
    assert "{{" not in sheet
    assert "}}" not in sheet
    assert theme.PALETTES[scheme]["surface"] in sheet


@pytest.fixture
def restore_look(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The application's palettes and style sheet as they were, after the test."""
    palette, sheet = qapp.palette(), qapp.styleSheet()
    # PySide6's stubs want bytes for a class name; only str works at run time.
    names = (*theme._INDICATOR_CLASSES, "QHeaderView")
    classes = {name: QApplication.palette(name) for name in names}  # type: ignore[call-overload]
    monkeypatch.setattr(theme, "_current", theme.current())
    yield
    qapp.setStyleSheet(sheet)
    QApplication.setPalette(palette)
    for name, kept in classes.items():
        QApplication.setPalette(kept, name)  # type: ignore[arg-type]


def shown_colours(qapp: QApplication) -> tuple[str, str]:
    palette = QApplication.palette()
    roles = QPalette.ColorRole
    return palette.color(roles.Window).name(), palette.color(roles.Text).name()


@pytest.mark.usefixtures("restore_look")
def test_applying_a_scheme_switches_palette_and_style_sheet(qapp: QApplication) -> None:
    assert theme.apply(qapp, Scheme.DARK) is Scheme.DARK
    assert shown_colours(qapp) == (theme.DARK["window"], theme.DARK["text"])
    assert theme.DARK["surface"] in qapp.styleSheet()
    assert theme.colour("muted") == theme.DARK["muted"]

    assert theme.apply(qapp, Scheme.LIGHT) is Scheme.LIGHT
    assert shown_colours(qapp) == (theme.LIGHT["window"], theme.LIGHT["text"])
    assert theme.DARK["surface"] not in qapp.styleSheet()
    assert theme.colour("muted") == theme.LIGHT["muted"]


@pytest.mark.usefixtures("restore_look")
def test_dark_check_boxes_get_an_edge_that_shows(qapp: QApplication) -> None:
    theme.apply(qapp, Scheme.DARK)
    # Fusion outlines a check box in its palette's window colour made 1.4 times darker.
    window = QApplication.palette("QCheckBox").color(QPalette.ColorRole.Window)  # type: ignore[call-overload]
    edge = window.darker(140).name()
    assert contrast(edge, theme.DARK["window"]) >= 3.0
    assert contrast(edge, theme.DARK["surface"]) >= 2.8


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        (Qt.ColorScheme.Dark, Scheme.DARK),
        (Qt.ColorScheme.Light, Scheme.LIGHT),
        (Qt.ColorScheme.Unknown, Scheme.LIGHT),
    ],
)
@pytest.mark.usefixtures("restore_look")
def test_following_the_system_scheme(
    qapp: QApplication,
    monkeypatch: pytest.MonkeyPatch,
    system: Qt.ColorScheme,
    expected: Scheme,
) -> None:
    hints = type(qapp.styleHints())
    monkeypatch.setattr(hints, "colorScheme", lambda _self: system)
    follower = theme.follow_system(qapp)
    try:
        assert theme.current() is expected
        # The desktop switches while the app runs: Qt's colorSchemeChanged reaches the slot.
        flipped = Qt.ColorScheme.Light if expected is Scheme.DARK else Qt.ColorScheme.Dark
        monkeypatch.setattr(hints, "colorScheme", lambda _self: flipped)
        follower._on_hints_color_scheme_changed(flipped)
        assert theme.current() is not expected
        assert shown_colours(qapp)[0] == theme.PALETTES[theme.current()]["window"]
    finally:
        follower.deleteLater()


@pytest.mark.usefixtures("restore_look")
def test_a_fixed_choice_ignores_the_system(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    hints = type(qapp.styleHints())
    monkeypatch.setattr(hints, "colorScheme", lambda _self: Qt.ColorScheme.Dark)
    follower = theme.follow_system(qapp, Scheme.LIGHT)
    try:
        follower._on_hints_color_scheme_changed(Qt.ColorScheme.Dark)
        assert theme.current() is Scheme.LIGHT
    finally:
        follower.deleteLater()


@pytest.mark.usefixtures("restore_look")
def test_theme_menu_applies_and_remembers_the_choice(
    qtbot: QtBot, qapp: QApplication, app_paths: paths.AppPaths
) -> None:
    settings = QSettings(str(app_paths.data_dir / "settings.ini"), QSettings.Format.IniFormat)
    parent = QWidget()
    qtbot.addWidget(parent)
    follower = theme.follow_system(qapp, theme.saved_choice(settings))
    try:
        menu = theme.scheme_menu(follower, settings, parent)
        assert [a.text() for a in menu.actions()] == ["&System", "&Light", "&Dark"]
        assert menu.actions()[0].isChecked()
        menu.actions()[2].trigger()
        assert theme.current() is Scheme.DARK
        assert theme.saved_choice(settings) is Scheme.DARK
        menu.actions()[1].trigger()
        assert theme.current() is Scheme.LIGHT
        assert settings.value(theme.SETTINGS_KEY) == "light"
    finally:
        follower.deleteLater()


def test_saved_choice_falls_back_to_the_system(app_paths: paths.AppPaths) -> None:
    settings = QSettings(str(app_paths.data_dir / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(theme.SETTINGS_KEY, "sepia")
    assert theme.saved_choice(settings) is Scheme.SYSTEM


def test_environment_variable_comes_before_the_saved_choice(
    app_paths: paths.AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = QSettings(str(app_paths.data_dir / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(theme.SETTINGS_KEY, "light")
    monkeypatch.setenv(THEME_VARIABLE, "Dark")
    assert theme_choice(settings) is Scheme.DARK
    monkeypatch.setenv(THEME_VARIABLE, "nonsense")
    assert theme_choice(settings) is Scheme.LIGHT


def test_screenshot_size_is_parsed() -> None:
    assert parse_size("1920x1080") == (1920, 1080)
    with pytest.raises(ValueError, match="wide"):
        parse_size("wide")


def board_header_colour(board: BoardView) -> str:
    image = board.viewport().grab().toImage()
    return image.pixelColor(2, HEADER_HEIGHT // 2 - 10).name()


@pytest.mark.usefixtures("restore_look")
def test_every_screen_builds_in_dark_and_the_board_follows_a_switch(
    qtbot: QtBot, qapp: QApplication, app_paths: paths.AppPaths
) -> None:
    theme.apply(qapp, Scheme.DARK)
    window = build_window(app_paths)
    qtbot.addWidget(window)
    window.show()
    assert window.open_initial_workspace()
    for key in window.screen_keys():
        window.show_screen(key)
        QApplication.processEvents()
        assert window.screen_widget(key).isVisible(), key
    board = window.screen_widget("board").findChild(BoardView)
    assert board is not None
    window.show_screen("board")
    assert board_header_colour(board) == theme.DARK["surface"]
    # Cards are kept as pictures: a switch must repaint them, not show the old colours.
    theme.apply(qapp, Scheme.LIGHT)
    assert board_header_colour(board) == theme.LIGHT["surface"]
    window.close()
