"""Routing rules (module or issue type -> team -> role): read, edit, reorder and try."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from escalation_desk.domain.routing import MatchOn, RoutingRule, route
from escalation_desk.services.editing import ChangedElsewhereError, edit, fetch_for_edit
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace


@dataclass(frozen=True, slots=True)
class RuleRecord:
    """A rule as the editor holds it, with the holder and backup of its role."""

    id: int
    version: int
    rule: RoutingRule
    holder: str | None
    backup: str | None


@dataclass(frozen=True, slots=True)
class RouteAnswer:
    """Where a module or issue type goes, who answers, and which rule decided."""

    rule: RoutingRule
    person: str | None  # the holder, else the backup; None when the role is vacant


def _record(row: t.RoutingRule) -> RuleRecord:
    rule = RoutingRule(
        row.position, MatchOn(row.match_on), row.pattern, row.team.name, row.role.name
    )
    holder = row.role.holder.name if row.role.holder else None
    backup = row.role.backup.name if row.role.backup else None
    return RuleRecord(row.id, row.version, rule, holder, backup)


class RoutingService:
    """Ordered routing rules; every change is one transaction."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def rules(self) -> list[RuleRecord]:
        """Every rule in order: the first that matches wins."""
        with self._workspace.read() as s:
            rows = s.scalars(select(t.RoutingRule).order_by(t.RoutingRule.position)).all()
            return [_record(r) for r in rows]

    def team_names(self) -> list[str]:
        """Teams a rule can send to."""
        with self._workspace.read() as s:
            return list(s.scalars(select(t.Team.name).order_by(t.Team.tier, t.Team.name)))

    def role_names(self) -> list[str]:
        """Named roles a rule can send to."""
        with self._workspace.read() as s:
            return list(s.scalars(select(t.Role.name).order_by(t.Role.name)))

    def try_route(self, text: str) -> RouteAnswer | None:
        """The rule that a module or issue type called ``text`` would meet first."""
        if not text.strip():
            return None
        records = self.rules()
        rule = route([r.rule for r in records], module=text, issue_type=text)
        if rule is None:
            return None
        record = next(r for r in records if r.rule.order == rule.order)
        return RouteAnswer(rule, record.holder or record.backup)

    def add_rule(self, rule: RoutingRule, position: int | None = None) -> RuleRecord:
        """Insert a rule at ``position`` (1 = first; default: last)."""
        _check(rule)
        with edit(self._workspace, "The routing rules") as s:
            rows = list(s.scalars(select(t.RoutingRule).order_by(t.RoutingRule.position)))
            index = len(rows) if position is None else max(0, min(position - 1, len(rows)))
            row = t.RoutingRule(position=index + 1)
            _write(s, row, rule)
            s.add(row)
            rows.insert(index, row)
            _renumber(rows)
            s.flush()
            return _record(row)

    def update_rule(self, record: RuleRecord, rule: RoutingRule) -> RuleRecord:
        """Change what a rule matches or where it sends (its place stays)."""
        _check(rule)
        what = f"Routing rule {record.rule.order}"
        with edit(self._workspace, what) as s:
            row = fetch_for_edit(s, t.RoutingRule, record.id, record.version, what)
            _write(s, row, rule)
            s.flush()
            return _record(row)

    def remove_rule(self, record: RuleRecord) -> RoutingRule:
        """Delete a rule; returns it so that undo can put it back."""
        what = f"Routing rule {record.rule.order}"
        with edit(self._workspace, what) as s:
            row = fetch_for_edit(s, t.RoutingRule, record.id, record.version, what)
            removed = _record(row).rule
            s.delete(row)
            s.flush()
            _renumber(list(s.scalars(select(t.RoutingRule).order_by(t.RoutingRule.position))))
            return removed

    def move_rule(self, order: int, position: int) -> None:
        """Move the rule now at ``order`` to ``position`` (1 = first)."""
        with edit(self._workspace, f"Routing rule {order}") as s:
            rows = list(s.scalars(select(t.RoutingRule).order_by(t.RoutingRule.position)))
            if not 1 <= order <= len(rows):
                raise ChangedElsewhereError("The routing rules were changed in another window.")
            moving = rows.pop(order - 1)
            rows.insert(max(0, min(position - 1, len(rows))), moving)
            _renumber(rows)


def _check(rule: RoutingRule) -> None:
    if not rule.pattern.strip():
        raise ValueError('A routing rule needs something to match, or "*" for anything.')


def _write(s: Session, row: t.RoutingRule, rule: RoutingRule) -> None:
    team = s.scalar(select(t.Team).where(t.Team.name == rule.team))
    role = s.scalar(select(t.Role).where(t.Role.name == rule.role))
    if team is None:
        raise ValueError(f"No team is called {rule.team}; add it to the directory first.")
    if role is None:
        raise ValueError(f"No role is called {rule.role}; add it to the directory first.")
    row.match_on = rule.match_on.value
    row.pattern = rule.pattern.strip()
    row.team = team
    row.role = role


def _renumber(rows: list[t.RoutingRule]) -> None:
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
