"""Facts the KPIs need of each escalation, kept when its timeline or checklist changes.

Deriving them at every report (each lane's stay from two parsed timestamps, each closure loop
from its checklist rows) made a report over a hundred thousand escalations take seconds; the
writers that change an escalation keep its facts instead (``keep_facts``), and migration 0005
worked them out for escalations from before. The indexes the report reads through are
declared here too (migrations 0006 and 0007).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Double,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    delete,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from escalation_desk.domain.kpis import LANES, epoch_minutes, lane_stays
from escalation_desk.store import core

# One column per lane of domain.kpis.LANES, in its order.
LANE_COLUMNS = (
    "escalated_stay",
    "acknowledged_stay",
    "in_progress_stay",
    "handed_back_stay",
    "resolved_stay",
)

escalation_facts = Table(
    "escalation_facts",
    core.metadata,
    Column(
        "escalation_id",
        Integer(),
        ForeignKey("escalations.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    # Minutes from opening to escalating, of an escalation raised in the app.
    Column("escalate_minutes", Double()),
    # The finished stay in each lane (domain.kpis.lane_stays), of one raised in the app; None
    # when it has none.
    *(Column(name, Double()) for name in LANE_COLUMNS),
    # The closure loop: its items in order, each with whether it is done or waived (see
    # checklist_state); "" when it has none.
    Column("checklist", Text(), nullable=False, default="", server_default=""),
)

# Every escalations column the KPI report groups or counts by, severity and team first: the
# report then reads this index alone, in its groups' order, and SQLite neither sorts a hundred
# thousand rows nor looks each one up in the table.
KPI_INDEX_COLUMNS = (
    "severity_id",
    "team_id",
    "escalated_at",
    "source",
    "reopen_count",
    "reassignment_count",
    "started_at",
    "handed_back_at",
    "acknowledged_at",
    "last_update_at",
    "resolved_at",
    "longest_update_gap_minutes",
    "made_sla",
)
Index("ix_escalations_kpis", *(core.escalations.c[name] for name in KPI_INDEX_COLUMNS))
# The answered escalations of a severity in order of their time to acknowledge, with what a
# report filters by: a median is read from the middle instead of sorted out. Only answered
# ones, so that an import of tickets without a first response works out no time for it.
RESPONSE_INDEX_COLUMNS = ("severity_id", "response_minutes", "escalated_at", "team_id")
ANSWERED = "acknowledged_at IS NOT NULL"
Index(
    "ix_escalations_response",
    *(core.escalations.c[name] for name in RESPONSE_INDEX_COLUMNS),
    sqlite_where=text(ANSWERED),
    postgresql_where=text(ANSWERED),
)
# The checklist entries holding evidence, the few the repeat incidents are read from.
WITH_EVIDENCE = "evidence != '{}'"
Index(
    "ix_checklist_entries_evidence",
    core.checklist_entries.c.escalation_id,
    sqlite_where=text(WITH_EVIDENCE),
    postgresql_where=text(WITH_EVIDENCE),
)

ESC = core.escalations.c
ENTRY = core.checklist_entries.c
_STAMPS = (
    ESC.escalated_at,
    ESC.acknowledged_at,
    ESC.started_at,
    ESC.handed_back_at,
    ESC.resolved_at,
    ESC.closed_at,
)


def checklist_state(items: Sequence[tuple[int, str, bool]]) -> str:
    """The closure loop as kept: its (position, name, settled) items in position order.

    Most escalations share a loop of the same items, so that a report counts them grouped by
    this text rather than row by row.
    """
    return json.dumps(sorted(items)) if items else ""


def read_checklist_state(text: str) -> list[tuple[int, str, bool]]:
    """The items ``checklist_state`` kept."""
    return [(position, name, settled) for position, name, settled in json.loads(text or "[]")]


def keep_facts(connection: Connection, which: ColumnElement[bool]) -> None:
    """Work out again the facts of the escalations ``which`` picks, from their stamps and
    checklists as they are now."""
    entries: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    settled = or_(ENTRY.done_at.is_not(None), ENTRY.waived_reason != "")
    for escalation_id, position, name, is_settled in connection.execute(
        select(ENTRY.escalation_id, ENTRY.position, ENTRY.name, settled)
        .join(core.escalations, ESC.id == ENTRY.escalation_id)
        .where(which)
    ):
        entries[escalation_id].append((position, name, bool(is_settled)))
    rows = [
        _facts(escalation_id, source, created, stamps, entries.get(escalation_id, ()))
        for escalation_id, source, created, *stamps in connection.execute(
            select(ESC.id, ESC.source, ESC.created_at, *_STAMPS).where(which)
        )
    ]
    ids = select(ESC.id).where(which).scalar_subquery()
    connection.execute(delete(escalation_facts).where(escalation_facts.c.escalation_id.in_(ids)))
    if rows:
        connection.execute(insert(escalation_facts), rows)


def keep_facts_of(session: Session, escalation_id: int) -> None:
    """``keep_facts`` for one escalation changed in ``session`` (its changes flushed first)."""
    session.flush()
    keep_facts(session.connection(), ESC.id == escalation_id)


def _facts(
    escalation_id: int,
    source: str,
    created: datetime,
    stamps: Sequence[datetime | None],
    checklist: Sequence[tuple[int, str, bool]],
) -> dict[str, Any]:
    minutes = [None if m is None else epoch_minutes(m) for m in stamps]
    found: dict[str, Any] = {
        "escalation_id": escalation_id,
        "checklist": checklist_state(checklist),
    }
    found.update(dict.fromkeys((*LANE_COLUMNS, "escalate_minutes")))
    if source == "":  # only the app's own timeline times every step
        stays = dict(lane_stays(*minutes))
        found.update(
            {column: stays.get(lane) for lane, column in zip(LANES, LANE_COLUMNS, strict=True)}
        )
        if minutes[0] is not None:
            found["escalate_minutes"] = minutes[0] - epoch_minutes(created)
    return found
