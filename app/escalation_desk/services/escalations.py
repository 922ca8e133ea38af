"""Creating escalations with their hand-off context, routed and timed by the matrix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from escalation_desk.domain.durations import format_duration
from escalation_desk.domain.handoff import Handoff
from escalation_desk.domain.lifecycle import EventKind, Status
from escalation_desk.domain.routing import MatchOn, RoutingRule, route
from escalation_desk.services.editing import edit, find_named
from escalation_desk.services.mapping import targets_of
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace
from escalation_desk.store.facts import keep_facts_of


@dataclass(frozen=True, slots=True)
class NewEscalation:
    """What the lead or agent fills in; the hand-off context is required."""

    ref: str
    title: str
    customer: str
    module: str
    issue_type: str
    severity: str
    customers_affected: int
    customer_impact: str
    tried: str
    reproduce: str
    liaison: str | None = None
    escalate_now: bool = True


@dataclass(frozen=True, slots=True)
class RoutePreview:
    """Where the escalation will go and how, before it is created."""

    rule: RoutingRule | None
    holder: str | None
    method: str
    respond_within: str
    liaison_role: str | None
    liaison_holder: str | None

    def sentence(self) -> str:
        """The preview as the dialog shows it."""
        if self.rule is None:
            return "No routing rule matches: it would reach nobody. Add a rule on Routing first."
        who = self.holder or "nobody (the role is vacant)"
        return (
            f"Goes to {self.rule.team} → {self.rule.role} ({who}), chosen by rule "
            f"{self.rule.order} ({self.rule.describe()}). "
            f"Escalate by {self.method or 'no method set'}; respond within {self.respond_within}."
        )


REQUIRED = (
    ("ref", "the ticket reference"),
    ("title", "a title"),
    ("customer_impact", "how customers are affected"),
    ("tried", "what was tried"),
    ("reproduce", "how to reproduce it, or links"),
)


class EscalationService:
    """Creation and the hand-off message; moves live in the board service."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def preview(self, module: str, issue_type: str, severity: str) -> RoutePreview:
        """What routing and the matrix decide for this module, issue type and level."""
        with self._workspace.read() as s:
            return _preview(s, module, issue_type, severity)

    def create(self, new: NewEscalation, actor: str, now: datetime) -> str:
        """Create the escalation, routed, with the version in force; refuses missing context."""
        missing = [label for name, label in REQUIRED if not str(getattr(new, name)).strip()]
        if missing:
            raise ValueError(
                "An escalation lands with its context: add " + ", ".join(missing) + "."
            )
        if not (new.module.strip() or new.issue_type.strip()):
            raise ValueError("Say which module or issue type it is about, so it can be routed.")
        with edit(self._workspace, f"Escalation {new.ref}") as s:
            if s.scalar(select(t.Escalation.id).where(t.Escalation.ref == new.ref.strip())):
                raise ValueError(f"{new.ref.strip()} already exists; open it from the board.")
            level = s.scalar(select(t.SeverityLevel).where(t.SeverityLevel.code == new.severity))
            if level is None:
                raise ValueError(f"There is no severity level {new.severity}.")
            preview = _preview(s, new.module, new.issue_type, new.severity)
            if preview.rule is None:
                raise ValueError(preview.sentence())
            liaison = new.liaison or preview.liaison_holder
            esc = t.Escalation(
                ref=new.ref.strip(),
                title=new.title.strip(),
                customer=new.customer.strip(),
                module=new.module.strip(),
                issue_type=new.issue_type.strip(),
                severity=level,
                status=(Status.ESCALATED if new.escalate_now else Status.NEW).value,
                team=find_named(s, t.Team, preview.rule.team, "team"),
                role=find_named(s, t.Role, preview.rule.role, "role"),
                owner=find_named(s, t.Person, preview.holder, "person") if preview.holder else None,
                liaison=find_named(s, t.Person, liaison, "person") if liaison else None,
                customers_affected=max(0, new.customers_affected),
                customer_impact=new.customer_impact.strip(),
                tried=new.tried.strip(),
                reproduce=new.reproduce.strip(),
                created_at=now,
                escalated_at=now if new.escalate_now else None,
                matrix_version_id=s.scalar(
                    select(t.MatrixVersion.id).order_by(t.MatrixVersion.number.desc()).limit(1)
                ),
                routed_by_rule_id=s.scalar(
                    select(t.RoutingRule.id).where(t.RoutingRule.position == preview.rule.order)
                ),
            )
            for position, item in enumerate(level.checklist):
                esc.checklist.append(
                    t.ChecklistEntry(
                        position=position,
                        name=item.name,
                        evidence_kinds=item.evidence,
                        gate=item.gate,
                    )
                )
            s.add(esc)
            s.flush()
            s.add(
                t.EscalationEvent(
                    escalation_id=esc.id,
                    at=now,
                    actor=actor,
                    kind=EventKind.CREATED.value,
                    detail=preview.sentence(),
                )
            )
            if new.escalate_now:
                s.add(
                    t.EscalationEvent(
                        escalation_id=esc.id,
                        at=now,
                        actor=actor,
                        kind=EventKind.ESCALATED.value,
                        detail=f"to {preview.rule.team} / {preview.rule.role}",
                    )
                )
            keep_facts_of(s, esc.id)
            return esc.ref

    def handoff(self, ref: str) -> Handoff:
        """The hand-off facts of an escalation, for the ready-to-paste summary."""
        with self._workspace.read() as s:
            esc = s.scalar(select(t.Escalation).where(t.Escalation.ref == ref))
            if esc is None:
                raise ValueError(f"There is no escalation {ref}.")
            level = esc.severity
            target = targets_of(level).response
            return Handoff(
                ref=esc.ref,
                title=esc.title,
                customer=esc.customer,
                module=esc.module or esc.issue_type,
                severity=level.code,
                severity_name=level.name,
                team=esc.team.name if esc.team else "",
                role=esc.role.name if esc.role else "",
                holder=esc.owner.name if esc.owner else None,
                liaison=esc.liaison.name if esc.liaison else None,
                method=level.method,
                respond_by=format_duration(target) if target else "no target set",
                customer_impact=esc.customer_impact,
                tried=esc.tried,
                reproduce=esc.reproduce,
                customers_affected=esc.customers_affected,
            )

    def next_ref(self) -> str:
        """A suggestion for the next ticket ref, after the highest "SUP-n" in use."""
        with self._workspace.read() as s:
            refs = s.scalars(select(t.Escalation.ref).where(t.Escalation.ref.like("SUP-%")))
            numbers = [int(r[4:]) for r in refs if r[4:].isdigit()]
            count = s.scalar(select(func.count()).select_from(t.Escalation)) or 0
        return f"SUP-{max(numbers, default=count) + 1}"


def _preview(s: Session, module: str, issue_type: str, severity: str) -> RoutePreview:
    rules = [
        RoutingRule(r.position, MatchOn(r.match_on), r.pattern, r.team.name, r.role.name)
        for r in s.scalars(select(t.RoutingRule))
    ]
    rule = route(rules, module, issue_type)
    holder = None
    if rule is not None:
        role = s.scalar(select(t.Role).where(t.Role.name == rule.role))
        answering = role.holder or role.backup if role is not None else None
        holder = answering.name if answering is not None else None
    level = s.scalar(select(t.SeverityLevel).where(t.SeverityLevel.code == severity))
    target = targets_of(level).response if level else None
    liaison_role = level.liaison_role if level else None
    liaison_holder = liaison_role.holder.name if liaison_role and liaison_role.holder else None
    return RoutePreview(
        rule=rule,
        holder=holder,
        method=level.method if level else "",
        respond_within=format_duration(target) if target else "no target",
        liaison_role=liaison_role.name if liaison_role else None,
        liaison_holder=liaison_holder,
    )
