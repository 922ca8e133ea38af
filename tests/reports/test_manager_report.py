"""The manager report: a cover and a page per chart, A4 landscape, searchable, nothing cut."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from escalation_desk.domain.kpis import ClosureKpis, KpiReport, SeverityKpis, TeamKpis
from escalation_desk.reports.kpi_charts import charts
from escalation_desk.reports.manager_report import report_pages, write_manager_report
from escalation_desk.services.kpis import KpiService
from escalation_desk.store.db import Workspace
from tests.conftest import NOW
from tests.reports.test_kpi_charts import EMPTY, REPORT

TEAM = "Northwind Support"
PERIOD = "1 Nov 2026 to 26 Nov 2026"
PAGES = 1 + len(charts(REPORT))
A4_LANDSCAPE_POINTS = (842, 595)
PRINTABLE_INSET = 0.25  # inches office printers leave blank at each edge
PDFTOTEXT = shutil.which("pdftotext") or (
    "/usr/bin/pdftotext" if Path("/usr/bin/pdftotext").exists() else None
)


def write(path: Path, report: KpiReport = REPORT) -> bytes:
    """Write the report for the test's team and period; its bytes."""
    write_manager_report(
        path,
        report,
        team_name=TEAM,
        period_text=PERIOD,
        generated_at=datetime(2026, 11, 26, 14, 0, tzinfo=UTC),
    )
    return path.read_bytes()


def page_sizes(pdf: bytes) -> list[tuple[int, int]]:
    """Each page's (width, height) in whole points, read from the page objects."""
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert len(pages) == len(boxes)
    return [(round(float(w)), round(float(h))) for w, h in boxes]


def pdf_text(path: Path) -> str:
    """The PDF's text in the order it was drawn, white space made single spaces."""
    if PDFTOTEXT is None:
        pytest.skip("pdftotext is not installed")
    out = subprocess.run(
        [PDFTOTEXT, "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def text_boxes(figure: Figure) -> list[tuple[str, Bbox]]:
    """The visible texts of a page with their extents in pixels, after a draw."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # type: ignore[no-untyped-call]  # untyped in the stubs
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in figure.findobj(Text)
        if isinstance(t, Text) and t.get_visible() and t.get_text().strip()
    ]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "reports"
    path.mkdir()
    return path


# Written once for the module: a report takes seconds to render and the tests only read it.
@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("example")
    write(folder / "report.pdf")
    return folder / "report.pdf"


@pytest.fixture(scope="module")
def empty_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("empty")
    write(folder / "empty.pdf", EMPTY)
    return folder / "empty.pdf"


def test_the_report_is_a_cover_then_one_a4_landscape_page_per_chart(example_pdf: Path) -> None:
    pdf = example_pdf.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert page_sizes(pdf) == [A4_LANDSCAPE_POINTS] * PAGES
    assert [p.name for p in example_pdf.parent.iterdir()] == ["report.pdf"]  # no temporary file


def test_an_empty_period_still_gives_every_page(empty_pdf: Path) -> None:
    assert len(page_sizes(empty_pdf.read_bytes())) == PAGES


def test_fonts_are_embedded_as_truetype_so_the_text_can_be_searched(example_pdf: Path) -> None:
    pdf = example_pdf.read_bytes()
    assert b"/FontFile2" in pdf
    assert b"/Subtype /Type3" not in pdf


def test_the_cover_and_pages_read_as_text(example_pdf: Path) -> None:
    text = pdf_text(example_pdf)
    for phrase in (
        "Escalation report",
        TEAM,
        PERIOD,
        "Generated 26 Nov 2026, 14:00 by Escalation Desk",
        "32 Escalations",
        "89% SLA met overall",
        "3% Reopen rate",
        "Reassignments per escalation",
        "71% Closure-loop completion",
        "2 Overdue follow-ups",
        "Page 1 of 8",
        "Page 8 of 8",
        "Responses within target, by severity",
        "92% (1 breach in 12)",
        "P2 met its 2 h response target 92% of the time",
    ):
        assert phrase in text, phrase
    for found in charts(REPORT):
        assert found.title in text


def test_an_empty_report_says_so_once_per_page(empty_pdf: Path) -> None:
    text = pdf_text(empty_pdf)
    assert text.count("No escalations in this period.") == PAGES - 1
    assert "0 Escalations" in text


def test_each_chart_page_has_its_title_sentence_and_page_number() -> None:
    pages = report_pages(REPORT, team_name=TEAM, period_text=PERIOD, generated_at=NOW)
    assert len(pages) == PAGES
    for number, (page, found) in enumerate(zip(pages[1:], charts(REPORT), strict=True), 2):
        shown = " ".join(text for text, _ in text_boxes(page))
        assert found.title in shown
        assert " ".join(found.sentence.split()[:6]) in shown
        assert f"Page {number} of {PAGES}" in shown
        assert f"Escalation report \u00b7 {TEAM} \u00b7 {PERIOD}" in shown


def crowded() -> KpiReport:
    """Thirty teams and six levels with long names, and a long checklist."""
    teams = tuple(
        TeamKpis(
            f"Payments engineering and reconciliation, EMEA second line {n}", 40 - n, 0.1, 0.9, 1
        )
        for n in range(30)
    )
    levels = tuple(
        SeverityKpis(
            f"P{n}", f"P{n} A rather long level name", "#0072B2", 100, 30 * n, 90, 80, 25.0 * n, 5.0
        )
        for n in range(1, 7)
    )
    items = tuple((f"Checklist item with a long descriptive name {n}", 0.9) for n in range(8))
    return replace(
        REPORT,
        escalations=600,
        by_team=teams,
        by_severity=levels,
        closure=ClosureKpis(120, 33, items, 17, 4),
    )


@pytest.mark.parametrize("report", [REPORT, EMPTY, crowded()], ids=["example", "empty", "crowded"])
def test_nothing_is_cut_off_or_printed_over(report: KpiReport) -> None:
    long_team = "Northwind Customer Support, Europe, Middle East and Africa, second line " * 2
    pages = report_pages(
        report,
        team_name=long_team,
        period_text=PERIOD,
        generated_at=NOW,
    )
    for number, page in enumerate(pages, 1):
        boxes = text_boxes(page)
        inset = PRINTABLE_INSET * page.dpi
        inside = page.bbox.padded(-inset)
        for text, box in boxes:
            assert inside.x0 <= box.x0, (number, text)
            assert box.x1 <= inside.x1, (number, text)
            assert inside.y0 <= box.y0, (number, text)
            assert box.y1 <= inside.y1, (number, text)
        # A pixel of slack: lines that touch are not overlapping.
        shrunk = [(text, box.padded(-1)) for text, box in boxes]
        clashes = [
            (a, b)
            for i, (a, first) in enumerate(shrunk)
            for b, second in shrunk[i + 1 :]
            if first.overlaps(second)
        ]
        assert not clashes, (number, clashes[:3])


def test_the_chart_stays_below_the_heading(folder: Path) -> None:
    page = report_pages(REPORT, team_name=TEAM, period_text=PERIOD, generated_at=NOW)[2]
    boxes = text_boxes(page)
    sentence_bottom = min(box.y0 for text, box in boxes if text.startswith("P3 met its"))
    canvas = FigureCanvasAgg(page)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    for axes in page.axes:
        assert axes.get_tightbbox(renderer).y1 < sentence_bottom


def test_a_failed_write_leaves_nothing_behind(folder: Path) -> None:
    with pytest.raises(OSError, match=r"^Could not write report\.pdf: .*\.$"):
        write(folder / "missing folder" / "report.pdf")
    assert list(folder.iterdir()) == []


def test_the_example_workspace_report_writes(example_workspace: Workspace, folder: Path) -> None:
    report = KpiService(example_workspace).report(NOW)
    target = folder / "example.pdf"
    write_manager_report(target, report, team_name=TEAM, period_text="All time", generated_at=NOW)
    assert len(page_sizes(target.read_bytes())) == PAGES
    if PDFTOTEXT is not None:
        assert f"{report.escalations} Escalations" in pdf_text(target)
