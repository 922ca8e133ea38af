"""CSV cells are read trimmed, empty as None, without the control characters pasted into them."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_desk.spreadsheets.reading import _clean, _cleaned_row, read_sheets

_CELL = st.text(st.sampled_from("ab ?\t\n\x00\x07\x1f\x7f\xa0é"), max_size=6) | st.text()


@settings(max_examples=400, deadline=None, derandomize=True)
@given(cells=st.lists(_CELL, max_size=8))
def test_a_row_is_cleaned_as_each_of_its_cells(cells: list[str]) -> None:
    assert _cleaned_row(cells) == tuple(_clean(cell) for cell in cells)


def test_csv_cells_are_trimmed_and_control_characters_dropped(tmp_path: Path) -> None:
    source = tmp_path / "tickets.csv"
    source.write_text("Ref,Title,Customer\n SUP-1 ,bell\x07 ringing,\nSUP-2,  ,Acme\n")
    assert read_sheets(source)[0].rows == (
        ("Ref", "Title", "Customer"),
        ("SUP-1", "bell ringing", None),
        ("SUP-2", None, "Acme"),
    )
