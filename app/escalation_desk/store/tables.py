"""SQLAlchemy 2.0 tables of a workspace: the matrix, directory, routing, escalations, learning."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so that Alembic batch migrations on SQLite can find them again.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


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


class Base(DeclarativeBase):
    """Base of every table."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime}


class Setting(Base):
    """Workspace-wide values: its name, default calendar, deadline thresholds."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Calendar(Base):
    """Working hours and holidays for business-hours deadlines."""

    __tablename__ = "calendars"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    weekly_hours: Mapped[str] = mapped_column(Text)  # JSON {"mon": ["09:00", "17:30"], ...}
    holidays: Mapped[str] = mapped_column(Text, default="[]")  # JSON ["2026-12-25", ...]
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}


class Team(Base):
    """A group that receives escalations, at a support tier."""

    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    tier: Mapped[int] = mapped_column(default=1)
    calendar_id: Mapped[int | None] = mapped_column(ForeignKey("calendars.id"))
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    calendar: Mapped[Calendar | None] = relationship()


class Person(Base):
    """Someone who holds or backs up a role, or acts as a support liaison."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    email: Mapped[str] = mapped_column(String(200), default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    team: Mapped[Team | None] = relationship()


class Role(Base):
    """A named role ("Infra on-call lead") with a holder and a backup."""

    __tablename__ = "roles"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    backup_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    team: Mapped[Team | None] = relationship()
    holder: Mapped[Person | None] = relationship(foreign_keys=[holder_id])
    backup: Mapped[Person | None] = relationship(foreign_keys=[backup_id])


class SeverityLevel(Base):
    """One row of the escalation matrix."""

    __tablename__ = "severity_levels"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    rank: Mapped[int] = mapped_column()  # 1 is the most severe
    colour: Mapped[str] = mapped_column(String(9), default="#0072B2")
    target_response_minutes: Mapped[int] = mapped_column()
    target_response_business: Mapped[bool] = mapped_column(Boolean, default=False)
    update_every_minutes: Mapped[int | None] = mapped_column()
    update_every_business: Mapped[bool] = mapped_column(Boolean, default=False)
    target_resolution_minutes: Mapped[int | None] = mapped_column()
    target_resolution_business: Mapped[bool] = mapped_column(Boolean, default=False)
    calendar_id: Mapped[int | None] = mapped_column(ForeignKey("calendars.id"))
    method: Mapped[str] = mapped_column(Text, default="")
    engineer_role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id"))
    liaison_role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id"))
    updates_by: Mapped[str] = mapped_column(String(16), default="liaison")
    hand_back: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    calendar: Mapped[Calendar | None] = relationship()
    engineer_role: Mapped[Role | None] = relationship(foreign_keys=[engineer_role_id])
    liaison_role: Mapped[Role | None] = relationship(foreign_keys=[liaison_role_id])
    triggers: Mapped[list[Trigger]] = relationship(
        order_by="Trigger.position", cascade="all, delete-orphan"
    )
    steps: Mapped[list[EscalationStep]] = relationship(
        order_by="EscalationStep.after_minutes", cascade="all, delete-orphan"
    )
    contacts: Mapped[list[LevelContact]] = relationship(
        order_by="LevelContact.position", cascade="all, delete-orphan"
    )
    checklist: Mapped[list[ChecklistTemplateItem]] = relationship(
        order_by="ChecklistTemplateItem.position", cascade="all, delete-orphan"
    )


class LevelContact(Base):
    """A named role to contact when escalating at a level."""

    __tablename__ = "level_contacts"
    __table_args__ = (UniqueConstraint("level_id", "role_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("severity_levels.id", ondelete="CASCADE"))
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"))
    position: Mapped[int] = mapped_column(default=0)

    role: Mapped[Role] = relationship()


class Trigger(Base):
    """A time, scope or impact condition of a level."""

    __tablename__ = "triggers"
    id: Mapped[int] = mapped_column(primary_key=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("severity_levels.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(16))  # time | scope | impact
    text: Mapped[str] = mapped_column(Text, default="")
    after_minutes: Mapped[int | None] = mapped_column()
    business: Mapped[bool] = mapped_column(Boolean, default=False)
    customers_at_least: Mapped[int | None] = mapped_column()
    system_wide: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}


class EscalationStep(Base):
    """Who is brought in how many minutes after escalation, at a level."""

    __tablename__ = "escalation_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("severity_levels.id", ondelete="CASCADE"))
    after_minutes: Mapped[int] = mapped_column(default=0)
    tier: Mapped[int | None] = mapped_column()
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id"))

    role: Mapped[Role | None] = relationship()


class RoutingRule(Base):
    """Module or issue type -> team -> role; the lowest position that matches wins."""

    __tablename__ = "routing_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column()
    match_on: Mapped[str] = mapped_column(String(16))  # module | issue_type
    pattern: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"))
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    team: Mapped[Team] = relationship()
    role: Mapped[Role] = relationship()


class ChecklistTemplateItem(Base):
    """A closure-loop item a level requires, with its evidence and gate."""

    __tablename__ = "checklist_template_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("severity_levels.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    evidence: Mapped[str] = mapped_column(String(200), default="")  # "category,text"
    gate: Mapped[str] = mapped_column(String(16), default="warning")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}


class MatrixVersion(Base):
    """A published snapshot of the matrix and routing, with its change note."""

    __tablename__ = "matrix_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    published_at: Mapped[datetime] = mapped_column()
    published_by: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[str] = mapped_column(Text)  # the matrix JSON


class Escalation(Base):
    """An escalated ticket, with its two owners and the hand-off context."""

    __tablename__ = "escalations"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    customer: Mapped[str] = mapped_column(String(200), default="")
    module: Mapped[str] = mapped_column(String(200), default="")
    issue_type: Mapped[str] = mapped_column(String(200), default="")
    severity_id: Mapped[int] = mapped_column(ForeignKey("severity_levels.id"))
    status: Mapped[str] = mapped_column(String(16), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    liaison_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    routed_by_rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("routing_rules.id", ondelete="SET NULL")
    )
    matrix_version_id: Mapped[int | None] = mapped_column(ForeignKey("matrix_versions.id"))
    customers_affected: Mapped[int] = mapped_column(default=0)
    customer_impact: Mapped[str] = mapped_column(Text)
    tried: Mapped[str] = mapped_column(Text)
    reproduce: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()
    escalated_at: Mapped[datetime | None] = mapped_column()
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    started_at: Mapped[datetime | None] = mapped_column()
    handed_back_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    last_update_at: Mapped[datetime | None] = mapped_column()
    reopen_count: Mapped[int] = mapped_column(default=0)
    reassignment_count: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    severity: Mapped[SeverityLevel] = relationship()
    team: Mapped[Team | None] = relationship()
    role: Mapped[Role | None] = relationship()
    owner: Mapped[Person | None] = relationship(foreign_keys=[owner_id])
    liaison: Mapped[Person | None] = relationship(foreign_keys=[liaison_id])
    events: Mapped[list[EscalationEvent]] = relationship(
        order_by="EscalationEvent.at", viewonly=True
    )
    checklist: Mapped[list[ChecklistEntry]] = relationship(
        order_by="ChecklistEntry.position", cascade="all, delete-orphan"
    )


class EscalationEvent(Base):
    """One line of an escalation's timeline; the database refuses to change or delete it."""

    __tablename__ = "escalation_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(120), default="")
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")


class ChecklistEntry(Base):
    """An escalation's copy of a closure item: done by whom and when, with evidence."""

    __tablename__ = "checklist_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    evidence_kinds: Mapped[str] = mapped_column(String(200), default="")
    gate: Mapped[str] = mapped_column(String(16), default="warning")
    done_at: Mapped[datetime | None] = mapped_column()
    done_by: Mapped[str] = mapped_column(String(120), default="")
    evidence: Mapped[str] = mapped_column(Text, default="{}")  # JSON by evidence kind
    waived_reason: Mapped[str] = mapped_column(Text, default="")
    waived_by: Mapped[str] = mapped_column(String(120), default="")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}


class FollowUp(Base):
    """An action that came out of an escalation, tracked until done."""

    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(120), default="")
    due: Mapped[datetime | None] = mapped_column()
    link: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column()
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}


class Walkthrough(Base):
    """A guided sequence of steps for onboarding agents."""

    __tablename__ = "walkthroughs"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    steps: Mapped[list[WalkthroughStep]] = relationship(
        order_by="WalkthroughStep.position", cascade="all, delete-orphan"
    )


class WalkthroughStep(Base):
    """A step: text, optionally the screen and widget it points at, optionally a question."""

    __tablename__ = "walkthrough_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    walkthrough_id: Mapped[int] = mapped_column(ForeignKey("walkthroughs.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    screen: Mapped[str] = mapped_column(String(64), default="")
    widget: Mapped[str] = mapped_column(String(200), default="")
    question: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")


class Agent(Base):
    """A support agent being onboarded."""

    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    first_activity: Mapped[datetime | None] = mapped_column()
    last_activity: Mapped[datetime | None] = mapped_column()


class AgentProgress(Base):
    """A walkthrough completed or a practice scenario answered by an agent."""

    __tablename__ = "agent_progress"
    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column()
    walkthrough_id: Mapped[int | None] = mapped_column(
        ForeignKey("walkthroughs.id", ondelete="SET NULL")
    )
    level_code: Mapped[str] = mapped_column(String(16), default="")
    score: Mapped[float | None] = mapped_column()
