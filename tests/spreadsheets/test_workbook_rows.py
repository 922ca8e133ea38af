"""A row is written as it stands only when no value of it needs cleaning or keeping literal."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_desk.spreadsheets.workbook import (
    is_formula_like,
    literal,
    needs_nothing,
    rows_need_nothing,
)


class _Word(StrEnum):
    ON_TRACK = "on track"


# Texts rich in what matters here: control characters, formula starts, line breaks.
_TEXT = st.text(st.sampled_from("ab =+-@\t\r\n\x00\x07\x1f\x7f"), max_size=6) | st.text()
_VALUE = st.one_of(
    _TEXT,
    st.none(),
    st.integers(),
    st.floats(allow_nan=False),
    st.datetimes(),
    st.just(_Word.ON_TRACK),
)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(row=st.lists(_VALUE, max_size=8))
def test_a_row_needs_nothing_exactly_when_no_value_is_changed_or_kept_literal(
    row: list[Any],
) -> None:
    untouched = all(
        not is_formula_like(value)
        and literal(value) == value
        and type(literal(value)) is type(value)
        for value in row
    )
    if needs_nothing(row):
        assert untouched
    elif not any(isinstance(value, str) and "\n" in value for value in row):
        # Only a line break inside a text can make the one search say so needlessly.
        assert not untouched


def test_plain_rows_need_nothing_and_formulas_or_control_characters_do() -> None:
    assert needs_nothing(("SUP-1", "Title", None, 3, datetime(2026, 1, 1), "at risk"))
    assert not needs_nothing(("SUP-1", "=HYPERLINK(1)"))
    assert not needs_nothing(("SUP-1", "line\x07bell"))
    assert not needs_nothing((_Word.ON_TRACK,))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(rows=st.lists(st.lists(_VALUE, max_size=5), max_size=6))
def test_rows_need_nothing_only_when_every_row_does(rows: list[list[Any]]) -> None:
    if rows_need_nothing(rows):
        assert all(needs_nothing(row) for row in rows)
    elif all(needs_nothing(row) for row in rows):
        # Only a line break inside a text can make the one search say so needlessly.
        assert any(isinstance(value, str) and "\n" in value for row in rows for value in row)
