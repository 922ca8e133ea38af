"""The workspace schema as SQLAlchemy Core tables: cheap to import, enough for read-only views.

Home reads its figures through these tables alone, so a start shows data before the ORM
(``tables.py``, which maps its classes onto these tables) has been imported.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Computed,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect

from escalation_desk.store.timesql import response_minutes_sql

# Stable constraint names, so that Alembic batch migrations on SQLite can find them again.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime; SQLite keeps no zone, so naive values are refused on the way in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)

    # On SQLite the text is made and read in one step each, to the same text SQLAlchemy's
    # DATETIME writes ("2024-03-12 08:41:00.000000", UTC): a board or an export reads a
    # hundred thousand timestamps, and the generic two-stage conversion took a third of that.
    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if dialect.name == "sqlite":
            return sqlite_utc_text
        return super().bind_processor(dialect)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        if dialect.name == "sqlite":
            return utc_from_stored
        return super().result_processor(dialect, coltype)


def sqlite_utc_text(moment: datetime | None) -> str | None:
    """An aware time as SQLite keeps a UTC timestamp: "2024-03-12 08:41:00.000000"."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    utc = moment if moment.tzinfo is UTC else moment.astimezone(UTC)
    return utc.isoformat(" ", "microseconds")[:26]


def utc_from_stored(text: str | datetime | None) -> datetime | None:
    """The aware UTC time a workspace keeps: SQLite's text (a bare date is midnight), or the
    naive UTC datetime a raw row from PostgreSQL holds, taken as it is."""
    if text is None:
        return None
    if isinstance(text, datetime):
        return text.replace(tzinfo=UTC)
    if len(text) > len("2024-03-12"):  # a bare date with an offset would read as naive
        try:
            return datetime.fromisoformat(text + "+00:00")
        except ValueError:
            pass
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


agents = Table(
    "agents",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("first_activity", UtcDateTime()),
    Column("last_activity", UtcDateTime()),
)

calendars = Table(
    "calendars",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("timezone", String(64), nullable=False),
    Column("weekly_hours", Text(), nullable=False),
    Column("holidays", Text(), nullable=False, default="[]"),
    Column("version", Integer(), nullable=False, default=1),
)

matrix_versions = Table(
    "matrix_versions",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("number", Integer(), nullable=False, unique=True),
    Column("published_at", UtcDateTime(), nullable=False),
    Column("published_by", String(120), nullable=False, default=""),
    Column("note", Text(), nullable=False, default=""),
    Column("snapshot", Text(), nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text(), nullable=False),
)

walkthroughs = Table(
    "walkthroughs",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("title", String(200), nullable=False, unique=True),
    Column("builtin", Boolean(), nullable=False, default=False),
    Column("version", Integer(), nullable=False, default=1),
)

agent_progress = Table(
    "agent_progress",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("agent_id", Integer(), ForeignKey("agents.id", ondelete="CASCADE"), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("walkthrough_id", Integer(), ForeignKey("walkthroughs.id", ondelete="SET NULL")),
    Column("level_code", String(16), nullable=False, default=""),
    Column("score", Double()),
)

teams = Table(
    "teams",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("tier", Integer(), nullable=False, default=1),
    Column("calendar_id", Integer(), ForeignKey("calendars.id")),
    Column("version", Integer(), nullable=False, default=1),
)

walkthrough_steps = Table(
    "walkthrough_steps",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column(
        "walkthrough_id",
        Integer(),
        ForeignKey("walkthroughs.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("position", Integer(), nullable=False, default=0),
    Column("title", String(200), nullable=False),
    Column("text", Text(), nullable=False, default=""),
    Column("screen", String(64), nullable=False, default=""),
    Column("widget", String(200), nullable=False, default=""),
    Column("question", Text(), nullable=False, default=""),
    Column("answer", Text(), nullable=False, default=""),
)

people = Table(
    "people",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("email", String(200), nullable=False, default=""),
    Column("team_id", Integer(), ForeignKey("teams.id")),
    Column("version", Integer(), nullable=False, default=1),
)

roles = Table(
    "roles",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("team_id", Integer(), ForeignKey("teams.id")),
    Column("holder_id", Integer(), ForeignKey("people.id")),
    Column("backup_id", Integer(), ForeignKey("people.id")),
    Column("version", Integer(), nullable=False, default=1),
)

routing_rules = Table(
    "routing_rules",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("position", Integer(), nullable=False),
    Column("match_on", String(16), nullable=False),
    Column("pattern", String(200), nullable=False),
    Column("team_id", Integer(), ForeignKey("teams.id"), nullable=False),
    Column("role_id", Integer(), ForeignKey("roles.id"), nullable=False),
    Column("version", Integer(), nullable=False, default=1),
)

severity_levels = Table(
    "severity_levels",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("name", String(80), nullable=False, default=""),
    Column("rank", Integer(), nullable=False),
    Column("colour", String(9), nullable=False, default="#0072B2"),
    Column("target_response_minutes", Integer()),
    Column("target_response_business", Boolean(), nullable=False, default=False),
    Column("update_every_minutes", Integer()),
    Column("update_every_business", Boolean(), nullable=False, default=False),
    Column("target_resolution_minutes", Integer()),
    Column("target_resolution_business", Boolean(), nullable=False, default=False),
    Column("calendar_id", Integer(), ForeignKey("calendars.id")),
    Column("method", Text(), nullable=False, default=""),
    Column("engineer_role_id", Integer(), ForeignKey("roles.id")),
    Column("liaison_role_id", Integer(), ForeignKey("roles.id")),
    Column("updates_by", String(16), nullable=False, default="liaison"),
    Column("hand_back", Text(), nullable=False, default=""),
    Column("version", Integer(), nullable=False, default=1),
)

checklist_template_items = Table(
    "checklist_template_items",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column(
        "level_id", Integer(), ForeignKey("severity_levels.id", ondelete="CASCADE"), nullable=False
    ),
    Column("position", Integer(), nullable=False, default=0),
    Column("name", String(200), nullable=False),
    Column("evidence", String(200), nullable=False, default=""),
    Column("gate", String(16), nullable=False, default="warning"),
    Column("version", Integer(), nullable=False, default=1),
)

escalation_steps = Table(
    "escalation_steps",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column(
        "level_id", Integer(), ForeignKey("severity_levels.id", ondelete="CASCADE"), nullable=False
    ),
    Column("after_minutes", Integer(), nullable=False, default=0),
    Column("tier", Integer()),
    Column("role_id", Integer(), ForeignKey("roles.id")),
)

escalations = Table(
    "escalations",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("ref", String(64), nullable=False, unique=True),
    Column("title", String(300), nullable=False),
    Column("customer", String(200), nullable=False, default=""),
    Column("module", String(200), nullable=False, default=""),
    Column("issue_type", String(200), nullable=False, default=""),
    Column("severity_id", Integer(), ForeignKey("severity_levels.id"), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("team_id", Integer(), ForeignKey("teams.id")),
    Column("role_id", Integer(), ForeignKey("roles.id")),
    Column("owner_id", Integer(), ForeignKey("people.id")),
    Column("liaison_id", Integer(), ForeignKey("people.id")),
    Column("routed_by_rule_id", Integer(), ForeignKey("routing_rules.id", ondelete="SET NULL")),
    Column("matrix_version_id", Integer(), ForeignKey("matrix_versions.id")),
    Column("customers_affected", Integer(), nullable=False, default=0),
    Column("customer_impact", Text(), nullable=False),
    Column("tried", Text(), nullable=False),
    Column("reproduce", Text(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("escalated_at", UtcDateTime()),
    Column("acknowledged_at", UtcDateTime()),
    Column("started_at", UtcDateTime()),
    Column("handed_back_at", UtcDateTime()),
    Column("resolved_at", UtcDateTime()),
    Column("closed_at", UtcDateTime()),
    Column("last_update_at", UtcDateTime()),
    Column("reopen_count", Integer(), nullable=False, default=0),
    Column("reassignment_count", Integer(), nullable=False, default=0),
    Column("version", Integer(), nullable=False, default=1),
    # An imported ticket's own SLA verdict; None where the app measures it from the targets.
    Column("made_sla", Boolean()),
    # The export an escalation was imported from ("jira", "servicenow", ...); "" when it was
    # raised in the app, whose timeline then holds every step the KPIs time.
    Column("source", String(32), nullable=False, default="", server_default=""),
    # The longest stretch without an update since acknowledgement, on the level's update
    # clock, as of the last update or the resolution: the KPIs read it instead of replaying
    # every escalation's timeline.
    Column("longest_update_gap_minutes", Double()),
    # Minutes from escalating to acknowledging, worked out by the database as the stamps
    # change (a generated column: virtual on SQLite, stored on PostgreSQL). Indexed in
    # store.facts, so that the KPIs' medians are read in order instead of sorted.
    Column("response_minutes", Double(), Computed(response_minutes_sql())),
)

level_contacts = Table(
    "level_contacts",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column(
        "level_id", Integer(), ForeignKey("severity_levels.id", ondelete="CASCADE"), nullable=False
    ),
    Column("role_id", Integer(), ForeignKey("roles.id"), nullable=False),
    Column("position", Integer(), nullable=False, default=0),
    UniqueConstraint("level_id", "role_id"),
)

triggers = Table(
    "triggers",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column(
        "level_id", Integer(), ForeignKey("severity_levels.id", ondelete="CASCADE"), nullable=False
    ),
    Column("position", Integer(), nullable=False, default=0),
    Column("kind", String(16), nullable=False),
    Column("text", Text(), nullable=False, default=""),
    Column("after_minutes", Integer()),
    Column("business", Boolean(), nullable=False, default=False),
    Column("customers_at_least", Integer()),
    Column("system_wide", Boolean(), nullable=False, default=False),
    Column("version", Integer(), nullable=False, default=1),
)

checklist_entries = Table(
    "checklist_entries",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column(
        "escalation_id", Integer(), ForeignKey("escalations.id", ondelete="CASCADE"), nullable=False
    ),
    Column("position", Integer(), nullable=False, default=0),
    Column("name", String(200), nullable=False),
    Column("evidence_kinds", String(200), nullable=False, default=""),
    Column("gate", String(16), nullable=False, default="warning"),
    Column("done_at", UtcDateTime()),
    Column("done_by", String(120), nullable=False, default=""),
    Column("evidence", Text(), nullable=False, default="{}"),
    Column("waived_reason", Text(), nullable=False, default=""),
    Column("waived_by", String(120), nullable=False, default=""),
    Column("version", Integer(), nullable=False, default=1),
)

escalation_events = Table(
    "escalation_events",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("escalation_id", Integer(), ForeignKey("escalations.id"), nullable=False, index=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(120), nullable=False, default=""),
    Column("kind", String(32), nullable=False),
    Column("detail", Text(), nullable=False, default=""),
)

follow_ups = Table(
    "follow_ups",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column(
        "escalation_id", Integer(), ForeignKey("escalations.id", ondelete="CASCADE"), nullable=False
    ),
    Column("title", String(300), nullable=False),
    Column("owner", String(120), nullable=False, default=""),
    Column("due", UtcDateTime()),
    Column("link", Text(), nullable=False, default=""),
    Column("done_at", UtcDateTime()),
    Column("version", Integer(), nullable=False, default=1),
)
escalation_pauses = Table(
    "escalation_pauses",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column(
        "escalation_id",
        Integer(),
        ForeignKey("escalations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("ended_at", UtcDateTime()),
    Column("reason", Text(), nullable=False, default=""),
)
