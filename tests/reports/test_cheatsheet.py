"""The printable escalation cheat sheet: one page, the right paper, nothing off the page."""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from escalation_desk.domain.matrix import Trigger, TriggerKind
from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.reports.cheatsheet import PAPER_SIZES, cheat_sheet_figure, write_cheat_sheet
from escalation_desk.services.matrix import MatrixService
from escalation_desk.store.db import Workspace

# Office printers leave about a quarter inch unprinted at each edge.
PRINTABLE_INSET = 0.25


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder to save sheets in, apart from the workspace file and its journal."""
    path = tmp_path / "sheets"
    path.mkdir()
    return path


@pytest.fixture
def snapshot(example_workspace: Workspace) -> MatrixSnapshot:
    """The example workspace's matrix: three levels, twelve routing rules."""
    return MatrixService(example_workspace).snapshot()


def crowded(snapshot: MatrixSnapshot) -> MatrixSnapshot:
    """Six levels with long triggers and hand-backs, and forty routing rules."""
    story = (
        "The customer reports that the nightly reconciliation between the ledger and the bank "
        "feed failed again, so refunds over $500 are stuck and finance cannot close the month "
    )
    levels = tuple(
        replace(
            level,
            code=f"{level.code}{suffix}",
            triggers=level.triggers
            + tuple(Trigger(TriggerKind.SCOPE, story * 2 + str(n)) for n in range(4)),
            hand_back=level.hand_back * 3,
        )
        for suffix, level in itertools.product(("", "b"), snapshot.levels)
    )
    rules = (
        *(
            RoutingRule(
                n, MatchOn.MODULE, f"Module with a long name {n}", "Payments engineering", "R"
            )
            for n in range(1, 40)
        ),
        RoutingRule(40, MatchOn.MODULE, "*", "Support Tier 2", "Tier 2 specialist"),
    )
    return replace(snapshot, levels=levels, routing=rules)


def texts(figure: Figure) -> list[Text]:
    """The figure's text artists that show something."""
    return [t for t in figure.findobj(Text) if isinstance(t, Text) and t.get_text().strip()]


def all_text(figure: Figure) -> str:
    """Every text on the page joined into one string, no-break spaces read as spaces."""
    return " ".join(t.get_text().replace("\u00a0", " ") for t in texts(figure))


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """The (width, height) in points of each page object in a PDF."""
    assert data.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert len(boxes) == len(pages)
    return [(float(w), float(h)) for w, h in boxes]


def extents(figure: Figure) -> list[tuple[str, Bbox]]:
    """Each text with its extent in pixels, after drawing the figure with Agg."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # type: ignore[no-untyped-call]  # the stubs leave it untyped
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    return [(t.get_text(), t.get_window_extent(renderer)) for t in texts(figure)]


def assert_tidy(figure: Figure) -> None:
    """Every text lies inside the printable area and no two texts share ink space, so
    nothing spills off the page or into a neighbouring cell."""
    boxes = extents(figure)
    page = figure.bbox
    inset = PRINTABLE_INSET * figure.dpi
    for text, box in boxes:
        assert page.x0 + inset <= box.x0, text
        assert box.x1 <= page.x1 - inset, text
        assert page.y0 + inset <= box.y0, text
        assert box.y1 <= page.y1 - inset, text
    # Half a pixel of slack: lines touching at their edges are not overlapping.
    edges = np.array([[b.x0 + 0.5, b.y0 + 0.5, b.x1 - 0.5, b.y1 - 0.5] for _, b in boxes])
    x0, y0, x1, y1 = (edges[:, i] for i in range(4))
    overlap = (
        (x0[:, None] < x1[None, :])
        & (x0[None, :] < x1[:, None])
        & (y0[:, None] < y1[None, :])
        & (y0[None, :] < y1[:, None])
    )
    np.fill_diagonal(overlap, False)
    clashes = [(boxes[i][0], boxes[j][0]) for i, j in zip(*np.nonzero(overlap), strict=True)]
    assert not clashes, clashes[:5]


@pytest.mark.parametrize(
    ("paper", "size"), [("A4", (842, 595)), ("Letter", (792, 612))], ids=["A4", "Letter"]
)
def test_the_example_sheet_is_one_landscape_page_of_the_paper(
    folder: Path, snapshot: MatrixSnapshot, paper: str, size: tuple[int, int]
) -> None:
    target = folder / "cheat sheet.pdf"
    write_cheat_sheet(
        target, snapshot, paper=paper, title="Quillpay Customer Support", subtitle="Matrix v4"
    )
    pages = pdf_pages(target.read_bytes())
    assert [(round(w), round(h)) for w, h in pages] == [size]
    assert sorted(d / 72 for d in pages[0]) == pytest.approx(sorted(PAPER_SIZES[paper]))
    assert [p.name for p in folder.iterdir()] == ["cheat sheet.pdf"]


def test_the_sheet_names_every_level_team_and_method(snapshot: MatrixSnapshot) -> None:
    figure = cheat_sheet_figure(snapshot, title="Quillpay Customer Support", subtitle="Matrix v4")
    shown = all_text(figure)
    for level in snapshot.levels:
        # The code is in text, not just the swatch colour, which black-and-white print loses.
        assert level.code in {t.get_text() for t in texts(figure)}
        assert level.method in shown
        for trigger in level.triggers:
            assert trigger.sentence() in shown
    for rule in snapshot.routing:
        assert rule.team in shown
    for phrase in (
        "Escalation cheat sheet",
        "Quillpay Customer Support",
        "Matrix v4",
        "Where it goes",
        "Module Payments \u2192 Payments engineering \u2192 Payments on-call engineer (Yusuf Kaya)",
        "Anything else \u2192 Support Tier 2",
        "Escalate when any one trigger fires. Keep the liaison on every escalation.",
    ):
        assert phrase in shown
    assert "more rules" not in shown
    assert "\u2026" not in shown  # the example fits without cutting anything


def test_rules_are_listed_in_order_with_the_catch_all_last(snapshot: MatrixSnapshot) -> None:
    numbers = [t.get_text() for t in texts(cheat_sheet_figure(snapshot))]
    rule_numbers = [n for n in numbers if re.fullmatch(r"\d+\.", n)]
    assert rule_numbers == [f"{n}." for n in range(1, len(snapshot.routing) + 1)]


@pytest.mark.parametrize("paper", list(PAPER_SIZES))
def test_a_crowded_matrix_still_fits_one_page_inside_the_margins(
    folder: Path, snapshot: MatrixSnapshot, paper: str
) -> None:
    busy = crowded(snapshot)
    figure = cheat_sheet_figure(busy, paper=paper, title="Quillpay Customer Support")
    assert_tidy(figure)
    shown = all_text(figure)
    assert re.search(r"\(\+\d+ more rules, see the app\)", shown)
    assert "Anything else \u2192 Support Tier 2" in shown  # the catch-all is kept
    assert "\u2026" in shown
    for level in busy.levels:
        # Long triggers are cut short, but every level and kind of trigger still shows.
        assert level.code in shown
        assert next(t for t in level.triggers if t.kind is TriggerKind.TIME).sentence() in shown

    target = folder / "crowded.pdf"
    write_cheat_sheet(target, busy, paper=paper)
    assert len(pdf_pages(target.read_bytes())) == 1


def test_the_example_sheet_is_tidy(snapshot: MatrixSnapshot) -> None:
    assert_tidy(cheat_sheet_figure(snapshot, title="Quillpay Customer Support", subtitle="v4"))


def test_dollar_signs_are_printed_as_written(snapshot: MatrixSnapshot) -> None:
    money = Trigger(TriggerKind.SCOPE, "Refund over $500 or $1000 stuck")
    first = replace(snapshot.levels[0], triggers=(money,))
    figure = cheat_sheet_figure(replace(snapshot, levels=(first,)))
    assert "Refund over $500 or $1000 stuck" in all_text(figure)


def test_an_empty_matrix_says_where_to_add_levels(folder: Path) -> None:
    figure = cheat_sheet_figure(MatrixSnapshot())
    shown = all_text(figure)
    assert "No severity levels yet: add them on the Matrix screen." in shown
    assert "No routing rules yet" in shown
    target = folder / "empty.pdf"
    write_cheat_sheet(target, MatrixSnapshot(), paper="Letter")
    assert [(round(w), round(h)) for w, h in pdf_pages(target.read_bytes())] == [(792, 612)]


def test_a_failed_render_keeps_the_old_file(
    folder: Path, snapshot: MatrixSnapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = folder / "sheet.pdf"
    target.write_bytes(b"the old sheet")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", fail)
    with pytest.raises(OSError, match="disk full"):
        write_cheat_sheet(target, snapshot)
    assert target.read_bytes() == b"the old sheet"
    assert [p.name for p in folder.iterdir()] == ["sheet.pdf"]


def test_a_failed_replace_keeps_the_old_file_and_leaves_no_temporary(
    folder: Path, snapshot: MatrixSnapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = folder / "sheet.pdf"
    target.write_bytes(b"the old sheet")

    def fail(source: object, destination: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match=r"^Could not write sheet\.pdf: Permission denied\.$"):
        write_cheat_sheet(target, snapshot)
    assert target.read_bytes() == b"the old sheet"
    assert [p.name for p in folder.iterdir()] == ["sheet.pdf"]


def test_an_unknown_paper_is_refused(folder: Path, snapshot: MatrixSnapshot) -> None:
    with pytest.raises(ValueError, match=r"^Paper must be A4 or Letter\.$"):
        cheat_sheet_figure(snapshot, paper="A3")
    with pytest.raises(ValueError, match=r"^Paper must be A4 or Letter\.$"):
        write_cheat_sheet(folder / "sheet.pdf", snapshot, paper="letter")
    assert not list(folder.iterdir())
