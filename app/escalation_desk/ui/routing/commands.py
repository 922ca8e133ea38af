"""Undo commands for routing and directory edits; each step calls a service through the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from escalation_desk.domain.routing import RoutingRule
from escalation_desk.ui.undo import AppliedOnce


class RoutingEditor(Protocol):
    """What the commands need from the page."""

    def write_rule(self, order: int, rule: RoutingRule) -> None: ...
    def insert_rule(self, rule: RoutingRule, position: int) -> None: ...
    def delete_rule(self, order: int) -> RoutingRule: ...
    def place_rule(self, order: int, position: int) -> None: ...


class EditRuleCommand(AppliedOnce):
    """A rule's match, pattern, team or role changed; undo writes it back."""

    def __init__(self, editor: RoutingEditor, before: RoutingRule, after: RoutingRule) -> None:
        super().__init__(f"Change routing rule {before.order}")
        self._editor = editor
        self._before = before
        self._after = after

    def apply(self) -> None:
        """Write the edited rule."""
        self._editor.write_rule(self._before.order, self._after)

    def revert(self) -> None:
        """Write the rule as it was."""
        self._editor.write_rule(self._after.order, self._before)


class AddRuleCommand(AppliedOnce):
    """A new rule; undo removes it."""

    def __init__(self, editor: RoutingEditor, rule: RoutingRule) -> None:
        super().__init__(f"Add routing rule {rule.order}")
        self._editor = editor
        self._rule = rule

    def apply(self) -> None:
        """Insert the rule again."""
        self._editor.insert_rule(self._rule, self._rule.order)

    def revert(self) -> None:
        """Remove the rule."""
        self._editor.delete_rule(self._rule.order)


class RemoveRuleCommand(AppliedOnce):
    """A removed rule; undo puts it back in its place."""

    def __init__(self, editor: RoutingEditor, removed: RoutingRule) -> None:
        super().__init__(f"Remove routing rule {removed.order}")
        self._editor = editor
        self._removed = removed

    def apply(self) -> None:
        """Remove the rule again."""
        self._editor.delete_rule(self._removed.order)

    def revert(self) -> None:
        """Put the rule back."""
        self._editor.insert_rule(self._removed, self._removed.order)


class MoveRuleCommand(AppliedOnce):
    """A rule dragged to another place; undo moves it back."""

    def __init__(self, editor: RoutingEditor, old: int, new: int) -> None:
        super().__init__(f"Move routing rule {old} to position {new}")
        self._editor = editor
        self._old = old
        self._new = new

    def apply(self) -> None:
        """Move the rule to its new place."""
        self._editor.place_rule(self._old, self._new)

    def revert(self) -> None:
        """Move it back."""
        self._editor.place_rule(self._new, self._old)


class EditEntryCommand(AppliedOnce):
    """A directory entry changed (a role's cover, a team's tier or hours); undo writes back.

    ``write(seen, value)`` stores ``value`` over ``seen``, the entry as the user saw it.
    """

    def __init__(
        self, text: str, write: Callable[[Any, Any], None], before: object, after: object
    ) -> None:
        super().__init__(text)
        self._write = write
        self._before = before
        self._after = after

    def apply(self) -> None:
        """Store the change again."""
        self._write(self._before, self._after)

    def revert(self) -> None:
        """Store the entry as it was."""
        self._write(self._after, self._before)


class AddToDirectoryCommand(AppliedOnce):
    """Someone or a role added to the directory; undo takes it out while nothing names it."""

    def __init__(self, name: str, add: Callable[[], object], remove: Callable[[], None]) -> None:
        super().__init__(f"Add {name} to the directory")
        self._add = add
        self._remove = remove

    def apply(self) -> None:
        """Add it again."""
        self._add()

    def revert(self) -> None:
        """Take it out."""
        self._remove()
