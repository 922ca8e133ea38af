"""The ladder and routing diagrams: what they show, and the PNG and SVG files they export to."""

from __future__ import annotations

import errno
import itertools
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from escalation_desk.domain.directory import Role, Team
from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import EscalationStep, SeverityLevel
from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.ui.diagrams.export import (
    Painter,
    export_png,
    export_svg,
    render_image,
    render_svg,
)
from escalation_desk.ui.diagrams.flow import (
    NO_RULES,
    FlowData,
    FlowView,
    flow_size,
    paint_flow,
    shadowed_by,
    shadowed_rules,
)
from escalation_desk.ui.diagrams.ladder import (
    NO_LEVEL,
    NO_STEPS,
    LadderData,
    LadderView,
    paint_ladder,
)

# Painting text needs the application object, even where no widget is shown.
pytestmark = pytest.mark.usefixtures("qapp")

P1_COLOUR = "#d55e00"
LADDER_SIZE = QSize(420, 520)
FLOW_SIZE = QSize(900, 500)

P1 = SeverityLevel(
    code="P1",
    name="Critical",
    rank=1,
    colour=P1_COLOUR,
    target_response=Duration(30),
    update_every=Duration(60),
    target_resolution=Duration(240),
    engineer_role="Dev Lead",
    liaison_role="Support liaison",
    steps=(
        EscalationStep(0, "Support on-call"),
        EscalationStep(15, "Tier 2 specialist"),
        EscalationStep(30, "Incident commander"),
        EscalationStep(60, "Dev Lead"),
        EscalationStep(120, "Support manager"),
    ),
)
HOLDERS = {
    "Support on-call": "Amara Okafor",
    "Tier 2 specialist": "Priya Raman",
    "Incident commander": "Marcus Adeyemi",
    "Dev Lead": "Oliver Hughes",
    "Support manager": "Hannah Lindqvist",
    "Support liaison": "Sofia Marques",
}
LADDER = LadderData(P1, HOLDERS)

RULES = (
    RoutingRule(1, MatchOn.ISSUE_TYPE, "Security", "Infra / SRE", "Security lead"),
    RoutingRule(2, MatchOn.MODULE, "Database", "Infra / SRE", "Infra on-call lead"),
    RoutingRule(3, MatchOn.MODULE, "Billing", "Backend", "Backend lead"),
    RoutingRule(4, MatchOn.MODULE, "API", "Backend", "Backend lead"),
    RoutingRule(5, MatchOn.MODULE, "*", "Support Tier 2", "Tier 2 specialist"),
    # Never fires: the catch-all above answers for every module first.
    RoutingRule(6, MatchOn.MODULE, "Email delivery", "Infra / SRE", "Infra on-call lead"),
)
ROLES = (
    Role("Security lead", "Infra / SRE", "Nikolai Petrov", "Ingrid Solberg"),
    Role("Infra on-call lead", "Infra / SRE", "Diego Fernández", "Aisha Rahman"),
    Role("Backend lead", "Backend", "Wei Chen", "Fatima Zahra Benali"),
    Role("Tier 2 specialist", "Support Tier 2", "Priya Raman", "Tomasz Nowak"),
)
TEAMS = (Team("Infra / SRE", 3), Team("Backend", 3), Team("Support Tier 2", 2))
FLOW = FlowData(RULES, ROLES, TEAMS)


def ladder_painter(data: LadderData | None) -> Painter:
    def paint(painter: QPainter, rect: QRectF) -> None:
        paint_ladder(painter, rect, data)

    return paint


def flow_painter(data: FlowData | None) -> Painter:
    def paint(painter: QPainter, rect: QRectF) -> None:
        paint_flow(painter, rect, data)

    return paint


def widget_painter(widget: QWidget) -> Painter:
    """Paints what the widget itself paints on screen, through its paintEvent."""

    def paint(painter: QPainter, rect: QRectF) -> None:
        widget.render(painter, QPoint(0, 0))

    return paint


def svg_texts(svg: bytes) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [element for element in root.iter() if element.tag.endswith("}text")]


def words(svg: bytes) -> list[str]:
    return [(element.text or "").strip() for element in svg_texts(svg)]


def distinct_colours(image: QImage) -> set[int]:
    return {
        image.pixel(x, y) for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
    }


# --- the ladder ----------------------------------------------------------------------------


def test_ladder_png_is_twice_the_size_and_shows_the_level_colour(tmp_path: Path) -> None:
    target = tmp_path / "ladder.png"
    export_png(target, LADDER_SIZE, ladder_painter(LADDER))
    image = QImage(str(target))
    assert not image.isNull()
    assert (image.width(), image.height()) == (840, 1040)
    # Marked as 192 dpi, so that a document pastes it at 420 x 520 and it stays sharp.
    assert abs(image.dotsPerMeterX() - 7559) <= 1
    assert len(distinct_colours(image)) > 50
    assert image.pixelColor(0, 0) == QColor("#ffffff")
    level = QColor(P1_COLOUR).rgb()
    assert any(image.pixel(x, y) == level for y in range(image.height()) for x in range(200))


def test_ladder_svg_names_every_step_the_deadline_and_the_owners(tmp_path: Path) -> None:
    target = tmp_path / "ladder.svg"
    export_svg(target, LADDER_SIZE, ladder_painter(LADDER), title="P1 escalation path")
    svg = target.read_bytes()
    root = ET.fromstring(svg)
    assert root.tag.rpartition("}")[2] == "svg"
    assert root.get("viewBox") == "0 0 420 520"
    text = words(svg)
    assert "P1 Critical — escalation path" in text
    for role, holder in HOLDERS.items():
        if role != "Support liaison":
            assert f"{role} ({holder})" in text
    assert "brought in immediately" in text
    assert "brought in at 15 min" in text
    assert "Respond within 30 min" in text
    assert "Resolve within 4 h" in text
    assert {"0", "30 min", "1 h", "2 h"} <= set(text)
    assert "update every 1 h, logged by Support liaison" in text
    assert "Owner: Dev Lead + Support liaison" in text
    assert any(
        element.tag.endswith("}title") and element.text == "P1 escalation path" for element in root
    )


def test_ladder_labels_of_close_steps_do_not_overlap() -> None:
    # Steps at 0, 15 and 30 min are a few pixels apart on the axis, much less than a label.
    svg = render_svg(LADDER_SIZE, ladder_painter(LADDER), title="P1")
    labels = {f"{role} ({holder})" for role, holder in HOLDERS.items()}
    labels |= {"Respond within 30 min", "Resolve within 4 h"}
    lines = [
        element
        for element in svg_texts(svg)
        if (text := (element.text or "").strip()) in labels or text.startswith("brought in")
    ]
    assert len(lines) == 12
    baselines = sorted(float(element.get("y", "0")) for element in lines)
    # A line of 11-12 px text needs at least 12 px; closer, two labels would print on each other.
    assert all(lower - upper >= 12 for upper, lower in itertools.pairwise(baselines))


def test_a_light_level_colour_still_shows_on_white() -> None:
    yellow = SeverityLevel("P3", "Normal", 3, "#f0e442", Duration(240), steps=P1.steps)
    image = render_image(LADDER_SIZE, ladder_painter(LadderData(yellow, {})), scale=1)
    darker = QColor("#f0e442").darker(170).rgb()
    assert any(image.pixel(x, y) == darker for y in range(image.height()) for x in range(200))


def test_ladder_view_paints_what_the_export_paints(qtbot: QtBot) -> None:
    view = LadderView()
    qtbot.addWidget(view)
    view.resize(LADDER_SIZE)
    view.set_data(LADDER)
    assert view.data() is LADDER
    assert view.objectName() == "ladderView"
    assert view.accessibleName() == "Escalation ladder"
    assert "Respond within 30 min" in view.accessibleDescription()
    assert view.sizeHint() == QSize(420, 520)
    on_screen = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    exported = render_image(LADDER_SIZE, ladder_painter(LADDER), scale=1)
    assert on_screen == exported.convertToFormat(QImage.Format.Format_RGB32)


@pytest.mark.parametrize(
    ("data", "sentence"),
    [(None, NO_LEVEL), (LadderData(SeverityLevel("P4", "Low", 4, "#0072b2", None), {}), NO_STEPS)],
    ids=["no level", "no steps"],
)
def test_ladder_view_says_why_it_is_empty(
    qtbot: QtBot, data: LadderData | None, sentence: str
) -> None:
    view = LadderView()
    qtbot.addWidget(view)
    view.resize(LADDER_SIZE)
    view.set_data(data)
    text = words(render_svg(LADDER_SIZE, widget_painter(view), title="empty"))
    assert sentence in text
    assert view.accessibleDescription().endswith(sentence)


# --- the routing flow ----------------------------------------------------------------------


def test_a_catch_all_shadows_every_later_rule() -> None:
    assert shadowed_rules(RULES) == {6}
    assert shadowed_by(RULES) == {6: 5}


def test_rules_an_earlier_pattern_always_catches_are_shadowed() -> None:
    rules = [
        RoutingRule(1, MatchOn.MODULE, "Pay*", "Payments", "Payments on-call"),
        RoutingRule(2, MatchOn.MODULE, "payments ", "Backend", "Backend lead"),  # caught by 1
        RoutingRule(3, MatchOn.ISSUE_TYPE, "Payments", "Backend", "Backend lead"),  # other field
        RoutingRule(4, MatchOn.MODULE, "Pay*links", "Backend", "Backend lead"),  # a pattern
        RoutingRule(5, MatchOn.ISSUE_TYPE, "payments", "Backend", "Backend lead"),  # same as 3
    ]
    assert shadowed_by(reversed(rules)) == {2: 1, 5: 3}


def test_flow_svg_shows_each_team_once_and_who_holds_each_role(tmp_path: Path) -> None:
    target = tmp_path / "routing.svg"
    export_svg(target, flow_size(FLOW), flow_painter(FLOW), title="Routing")
    text = words(target.read_bytes())
    for team in TEAMS:
        assert text.count(team.name) == 1, team.name
    assert "Tier 3" in text
    for role in ROLES:
        assert text.count(role.name) == 1, role.name
        assert f"{role.holder} · backup {role.backup}" in text
    assert {"Security", "Database", "Billing", "API", "Email delivery"} <= set(text)
    assert "* anything else" in text
    assert {"MODULE", "ISSUE TYPE"} <= set(text)


def test_flow_draws_the_rule_that_never_fires_dimmed_and_says_why() -> None:
    svg = render_svg(flow_size(FLOW), flow_painter(FLOW), title="Routing")
    fills = {(e.text or "").strip(): e.get("fill") for e in svg_texts(svg)}
    assert fills["Email delivery"] != fills["Database"]
    assert fills["Database"] == fills["Billing"]
    assert "never fires (rule 5)" in fills


def test_flow_size_grows_with_the_rules() -> None:
    assert flow_size(None).width() >= 880
    one = flow_size(FlowData(RULES[:1], ROLES, TEAMS)).height()
    assert flow_size(FLOW).height() - one == pytest.approx(5 * 36, abs=1)


def test_flow_view_scrolls_when_the_rules_do_not_fit(qtbot: QtBot) -> None:
    view = FlowView()
    area = QScrollArea()
    qtbot.addWidget(area)
    area.setWidgetResizable(True)
    area.setWidget(view)
    view.set_data(FLOW)
    area.resize(700, 150)
    area.show()
    qtbot.waitExposed(area)
    assert view.objectName() == "flowView"
    assert view.data() is FLOW
    assert view.sizeHint() == flow_size(FLOW)
    assert view.height() >= flow_size(FLOW).height()
    assert area.verticalScrollBar().maximum() > 0
    assert "never fires" in view.accessibleDescription()


def test_flow_view_without_rules_says_so(qtbot: QtBot) -> None:
    view = FlowView()
    qtbot.addWidget(view)
    view.set_data(FlowData((), ROLES, TEAMS))
    view.resize(FLOW_SIZE)
    assert NO_RULES in words(render_svg(FLOW_SIZE, widget_painter(view), title="empty"))
    image = render_image(FLOW_SIZE, flow_painter(FLOW), scale=1)
    assert len(distinct_colours(image)) > 20


# --- exporting -----------------------------------------------------------------------------


def test_export_replaces_an_existing_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "diagram.png"
    target.write_bytes(b"old")
    export_png(target, LADDER_SIZE, ladder_painter(LADDER))
    assert target.read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in tmp_path.iterdir()] == ["diagram.png"]


def test_export_into_a_file_instead_of_a_folder_fails_with_a_sentence(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("keep me", encoding="utf-8")
    with pytest.raises(OSError, match=r"^Could not write diagram\.png: .+\.$"):
        export_png(not_a_folder / "diagram.png", LADDER_SIZE, ladder_painter(LADDER))
    with pytest.raises(OSError, match=r"^Could not write diagram\.svg: "):
        export_svg(not_a_folder / "diagram.svg", LADDER_SIZE, ladder_painter(None), title="x")
    assert not_a_folder.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_export_leaves_the_existing_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "diagram.svg"
    target.write_text("<svg>the diagram from last week</svg>", encoding="utf-8")

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(OSError, match=r"^Could not write diagram\.svg: No space left on device\.$"):
        export_svg(target, FLOW_SIZE, flow_painter(FLOW), title="Routing")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "<svg>the diagram from last week</svg>"
    assert [p.name for p in tmp_path.iterdir()] == ["diagram.svg"]
