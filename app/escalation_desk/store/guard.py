"""The app's own check of team roles: a write session refuses changes the role may not make.

The server refuses them too, by privilege; checking here as well gives the person a sentence
before any SQL is sent, and keeps a local copy of a team workspace just as strict.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from escalation_desk.store.errors import TeamRole
from escalation_desk.store.permissions import may_change, refusal


def guard_writes(sessions: sessionmaker[Session], role: TeamRole) -> None:
    """Refuse, in every session ``sessions`` makes, a change of a table ``role`` may not change."""
    if role is TeamRole.LEAD:
        return

    @event.listens_for(sessions, "before_flush")
    def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
        changed = (
            *session.new,
            *session.deleted,
            *(o for o in session.dirty if session.is_modified(o)),
        )
        tables = {inspect(obj).mapper.persist_selectable.name for obj in changed}
        if not may_change(role, tables):
            raise refusal(role)

    @event.listens_for(sessions, "do_orm_execute")
    def _before_statement(state: ORMExecuteState) -> None:
        if (state.is_insert or state.is_update or state.is_delete) and not may_change(
            role,
            {state.statement.table.name},  # type: ignore[attr-defined]
        ):
            raise refusal(role)
