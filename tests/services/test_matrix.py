"""Editing a level: the change is saved, and a concurrent edit is refused, not lost."""

from __future__ import annotations

import pytest

from escalation_desk.services.editing import ChangedElsewhereError
from escalation_desk.services.matrix import MatrixService
from escalation_desk.store.db import Workspace
from tests.workspaces import second_window


def test_rename_is_saved_and_bumps_the_version(example_workspace: Workspace) -> None:
    service = MatrixService(example_workspace)
    p1 = service.levels()[0]
    renamed = service.rename_level(p1, "Sev 1 - outage")
    assert renamed.level.name == "Sev 1 - outage"
    assert renamed.version == p1.version + 1
    assert service.levels()[0].level.name == "Sev 1 - outage"


def test_a_second_window_editing_the_same_level_is_told_and_changes_nothing(
    example_workspace: Workspace,
) -> None:
    # Two app instances on one file: each has its own engine and loaded the level at version 1.
    other = second_window(example_workspace)
    try:
        mine, theirs = MatrixService(example_workspace), MatrixService(other)
        seen_by_me, seen_by_them = mine.levels()[0], theirs.levels()[0]
        theirs.rename_level(seen_by_them, "Critical outage")
        with pytest.raises(ChangedElsewhereError) as refused:
            mine.rename_level(seen_by_me, "Blocker")
        assert str(refused.value).startswith("Severity level P1 was changed in another window")
        assert "Reload" in str(refused.value)
        assert mine.levels()[0].level.name == "Critical outage"
    finally:
        other.close()


def test_an_empty_name_is_refused(example_workspace: Workspace) -> None:
    service = MatrixService(example_workspace)
    with pytest.raises(ValueError, match="needs a name"):
        service.rename_level(service.levels()[0], "   ")
    assert service.levels()[0].level.name == "Critical"
