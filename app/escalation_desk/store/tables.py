"""ORM classes of a workspace (matrix, directory, routing, escalations, learning), mapped onto
the Core tables in ``core``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from escalation_desk.store import core

# The facts the KPIs keep of each escalation live in their own module, beside nothing mapped
# here; imported so that core.metadata (the schema the migrations are checked against) has them.
from escalation_desk.store import facts as _facts  # noqa: F401


class Base(DeclarativeBase):
    """Base of every mapped class; the tables themselves are defined in ``core``."""

    metadata = core.metadata


class Setting(Base):
    """Workspace-wide values: its name, default calendar, deadline thresholds."""

    __table__ = core.settings
    key: Mapped[str]
    value: Mapped[str]


class Calendar(Base):
    """Working hours and holidays for business-hours deadlines."""

    __table__ = core.calendars
    id: Mapped[int]
    name: Mapped[str]
    timezone: Mapped[str]
    weekly_hours: Mapped[str]
    holidays: Mapped[str]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": __table__.c.version}


class Team(Base):
    """A group that receives escalations, at a support tier."""

    __table__ = core.teams
    id: Mapped[int]
    name: Mapped[str]
    tier: Mapped[int]
    calendar_id: Mapped[int | None]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": __table__.c.version}

    calendar: Mapped[Calendar | None] = relationship()


class Person(Base):
    """Someone who holds or backs up a role, or acts as a support liaison."""

    __table__ = core.people
    id: Mapped[int]
    name: Mapped[str]
    email: Mapped[str]
    team_id: Mapped[int | None]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": __table__.c.version}

    team: Mapped[Team | None] = relationship()


class Role(Base):
    """A named role ("Infra on-call lead") with a holder and a backup."""

    __table__ = core.roles
    id: Mapped[int]
    name: Mapped[str]
    team_id: Mapped[int | None]
    holder_id: Mapped[int | None]
    backup_id: Mapped[int | None]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": __table__.c.version}

    team: Mapped[Team | None] = relationship()
    holder: Mapped[Person | None] = relationship(foreign_keys=[__table__.c.holder_id])
    backup: Mapped[Person | None] = relationship(foreign_keys=[__table__.c.backup_id])


class SeverityLevel(Base):
    """One row of the escalation matrix."""

    __table__ = core.severity_levels
    id: Mapped[int]
    code: Mapped[str]
    name: Mapped[str]
    rank: Mapped[int]
    colour: Mapped[str]
    target_response_minutes: Mapped[int | None]
    target_response_business: Mapped[bool]
    update_every_minutes: Mapped[int | None]
    update_every_business: Mapped[bool]
    target_resolution_minutes: Mapped[int | None]
    target_resolution_business: Mapped[bool]
    calendar_id: Mapped[int | None]
    method: Mapped[str]
    engineer_role_id: Mapped[int | None]
    liaison_role_id: Mapped[int | None]
    updates_by: Mapped[str]
    hand_back: Mapped[str]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": __table__.c.version}

    calendar: Mapped[Calendar | None] = relationship()
    engineer_role: Mapped[Role | None] = relationship(foreign_keys=[__table__.c.engineer_role_id])
    liaison_role: Mapped[Role | None] = relationship(foreign_keys=[__table__.c.liaison_role_id])
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

    __table__ = core.level_contacts
    id: Mapped[int]
    level_id: Mapped[int]
    role_id: Mapped[int]
    position: Mapped[int]

    role: Mapped[Role] = relationship()


class Trigger(Base):
    """A time, scope or impact condition of a level."""

    __table__ = core.triggers
    id: Mapped[int]
    level_id: Mapped[int]
    position: Mapped[int]
    kind: Mapped[str]
    text: Mapped[str]
    after_minutes: Mapped[int | None]
    business: Mapped[bool]
    customers_at_least: Mapped[int | None]
    system_wide: Mapped[bool]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": __table__.c.version}


class EscalationStep(Base):
    """Who is brought in how many minutes after escalation, at a level."""

    __table__ = core.escalation_steps
    id: Mapped[int]
    level_id: Mapped[int]
    after_minutes: Mapped[int]
    tier: Mapped[int | None]
    role_id: Mapped[int | None]

    role: Mapped[Role | None] = relationship()


class RoutingRule(Base):
    """Module or issue type -> team -> role; the lowest position that matches wins."""

    __table__ = core.routing_rules
    id: Mapped[int]
    position: Mapped[int]
    match_on: Mapped[str]
    pattern: Mapped[str]
    team_id: Mapped[int]
    role_id: Mapped[int]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": __table__.c.version}

    team: Mapped[Team] = relationship()
    role: Mapped[Role] = relationship()


class ChecklistTemplateItem(Base):
    """A closure-loop item a level requires, with its evidence and gate."""

    __table__ = core.checklist_template_items
    id: Mapped[int]
    level_id: Mapped[int]
    position: Mapped[int]
    name: Mapped[str]
    evidence: Mapped[str]
    gate: Mapped[str]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": __table__.c.version}


class MatrixVersion(Base):
    """A published snapshot of the matrix and routing, with its change note."""

    __table__ = core.matrix_versions
    id: Mapped[int]
    number: Mapped[int]
    published_at: Mapped[datetime]
    published_by: Mapped[str]
    note: Mapped[str]
    snapshot: Mapped[str]


class Escalation(Base):
    """An escalated ticket, with its two owners and the hand-off context."""

    __table__ = core.escalations
    id: Mapped[int]
    ref: Mapped[str]
    title: Mapped[str]
    customer: Mapped[str]
    module: Mapped[str]
    issue_type: Mapped[str]
    severity_id: Mapped[int]
    status: Mapped[str]
    team_id: Mapped[int | None]
    role_id: Mapped[int | None]
    owner_id: Mapped[int | None]
    liaison_id: Mapped[int | None]
    routed_by_rule_id: Mapped[int | None]
    matrix_version_id: Mapped[int | None]
    customers_affected: Mapped[int]
    customer_impact: Mapped[str]
    tried: Mapped[str]
    reproduce: Mapped[str]
    created_at: Mapped[datetime]
    escalated_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    handed_back_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    last_update_at: Mapped[datetime | None]
    reopen_count: Mapped[int]
    reassignment_count: Mapped[int]
    version: Mapped[int]
    made_sla: Mapped[bool | None]
    source: Mapped[str]
    longest_update_gap_minutes: Mapped[float | None]
    __mapper_args__ = {"version_id_col": __table__.c.version}

    severity: Mapped[SeverityLevel] = relationship()
    team: Mapped[Team | None] = relationship()
    role: Mapped[Role | None] = relationship()
    owner: Mapped[Person | None] = relationship(foreign_keys=[__table__.c.owner_id])
    liaison: Mapped[Person | None] = relationship(foreign_keys=[__table__.c.liaison_id])
    events: Mapped[list[EscalationEvent]] = relationship(
        order_by="EscalationEvent.at", viewonly=True
    )
    checklist: Mapped[list[ChecklistEntry]] = relationship(
        order_by="ChecklistEntry.position", cascade="all, delete-orphan"
    )


class EscalationEvent(Base):
    """One line of an escalation's timeline; the database refuses to change or delete it."""

    __table__ = core.escalation_events
    id: Mapped[int]
    escalation_id: Mapped[int]
    at: Mapped[datetime]
    actor: Mapped[str]
    kind: Mapped[str]
    detail: Mapped[str]


class ChecklistEntry(Base):
    """An escalation's copy of a closure item: done by whom and when, with evidence."""

    __table__ = core.checklist_entries
    id: Mapped[int]
    escalation_id: Mapped[int]
    position: Mapped[int]
    name: Mapped[str]
    evidence_kinds: Mapped[str]
    gate: Mapped[str]
    done_at: Mapped[datetime | None]
    done_by: Mapped[str]
    evidence: Mapped[str]
    waived_reason: Mapped[str]
    waived_by: Mapped[str]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": __table__.c.version}


class FollowUp(Base):
    """An action that came out of an escalation, tracked until done."""

    __table__ = core.follow_ups
    id: Mapped[int]
    escalation_id: Mapped[int]
    title: Mapped[str]
    owner: Mapped[str]
    due: Mapped[datetime | None]
    link: Mapped[str]
    done_at: Mapped[datetime | None]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": __table__.c.version}


class Walkthrough(Base):
    """A guided sequence of steps for onboarding agents."""

    __table__ = core.walkthroughs
    id: Mapped[int]
    title: Mapped[str]
    builtin: Mapped[bool]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": __table__.c.version}

    steps: Mapped[list[WalkthroughStep]] = relationship(
        order_by="WalkthroughStep.position", cascade="all, delete-orphan"
    )


class WalkthroughStep(Base):
    """A step: text, optionally the screen and widget it points at, optionally a question."""

    __table__ = core.walkthrough_steps
    id: Mapped[int]
    walkthrough_id: Mapped[int]
    position: Mapped[int]
    title: Mapped[str]
    text: Mapped[str]
    screen: Mapped[str]
    widget: Mapped[str]
    question: Mapped[str]
    answer: Mapped[str]


class Agent(Base):
    """A support agent being onboarded."""

    __table__ = core.agents
    id: Mapped[int]
    name: Mapped[str]
    first_activity: Mapped[datetime | None]
    last_activity: Mapped[datetime | None]


class AgentProgress(Base):
    """A walkthrough completed or a practice scenario answered by an agent."""

    __table__ = core.agent_progress
    id: Mapped[int]
    agent_id: Mapped[int]
    at: Mapped[datetime]
    walkthrough_id: Mapped[int | None]
    level_code: Mapped[str]
    score: Mapped[float | None]


class EscalationPause(Base):
    """A time the escalation's clocks stood still (waiting on the customer)."""

    __table__ = core.escalation_pauses
    id: Mapped[int]
    escalation_id: Mapped[int]
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    reason: Mapped[str]
