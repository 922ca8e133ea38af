"""The advisor: whether, to whom, how and by when to escalate a live ticket, from the matrix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from escalation_desk.domain.clock import DAY_NAMES, BusinessCalendar, add_minutes
from escalation_desk.domain.deadlines import say_span
from escalation_desk.domain.durations import format_duration
from escalation_desk.domain.matrix import SeverityLevel, Trigger, TriggerKind
from escalation_desk.domain.routing import RoutingRule, route
from escalation_desk.domain.snapshot import MatrixSnapshot


class Decision(StrEnum):
    """What the agent should do now."""

    ESCALATE_NOW = "escalate_now"
    HOLD = "hold"
    ESCALATE_AT = "escalate_at"


@dataclass(frozen=True, slots=True)
class Situation:
    """What the agent knows about a live ticket.

    ``severity`` is a level code, or None to let the advisor derive it from impact and scope.
    ``since_progress_minutes`` is time without progress; when unknown, the time since the
    ticket opened stands for it. ``scope`` holds the conditions the agent recognises, in
    their own words or as the matrix writes them.
    """

    severity: str | None = None
    elapsed_minutes: int = 0
    since_progress_minutes: int | None = None
    module: str = ""
    issue_type: str = ""
    customers: int | None = None
    system_wide: bool = False
    scope: tuple[str, ...] = ()

    @property
    def stalled_minutes(self) -> int:
        """The time the time triggers are measured against."""
        if self.since_progress_minutes is not None:
            return self.since_progress_minutes
        return self.elapsed_minutes


@dataclass(frozen=True, slots=True)
class FiredTrigger:
    """A trigger of the level that applies, and why."""

    kind: TriggerKind
    text: str
    why: str


@dataclass(frozen=True, slots=True)
class Advice:
    """The advisor's answer, with what decided it."""

    decision: Decision
    level: SeverityLevel
    escalate_at: datetime | None
    respond_by: datetime | None
    rule: RoutingRule | None
    person: str | None
    backup: str | None
    fired: tuple[FiredTrigger, ...] = ()
    raised_from: str | None = None  # the severity the agent gave, when impact raised it
    derived: bool = False  # the severity came from impact and scope, not from the agent
    explanation: str = ""
    owner_roles: tuple[str, ...] = field(default=())
    waiting_for: str = ""  # the time trigger that will fire next, for escalate_at

    def severity_reason(self) -> str:
        """One sentence on how the level was decided."""
        level = self.level
        if self.raised_from:
            cause = next(f.text for f in self.fired if f.kind is not TriggerKind.TIME)
            return f'This is {level.label}, not {self.raised_from}: "{cause}" puts it there.'
        if self.derived:
            if any(f.kind is not TriggerKind.TIME for f in self.fired):
                return f"This is {level.label} by its impact and scope."
            return f"Nothing points above {level.label}, the least severe level."
        return f"Treat it as {level.label}."

    @property
    def team(self) -> str | None:
        """The team the routing rule sends it to."""
        return self.rule.team if self.rule else None

    @property
    def role(self) -> str | None:
        """The named role the routing rule sends it to."""
        return self.rule.role if self.rule else None

    @property
    def target_response_minutes(self) -> int | None:
        """How soon the receiving role must answer, in minutes."""
        target = self.level.target_response
        return target.minutes if target else None

    def as_json(self) -> dict[str, Any]:
        """The documented JSON form of ``advise --json``."""
        return {
            "decision": self.decision.value,
            "escalate_at": self.escalate_at.isoformat() if self.escalate_at else None,
            "level": self.level.code,
            "team": self.team,
            "role": self.role,
            "person": self.person,
            "backup": self.backup,
            "method": self.level.method,
            "target_response_minutes": self.target_response_minutes,
            "respond_by": self.respond_by.isoformat() if self.respond_by else None,
            "owner_roles": list(self.owner_roles),
            "fired_triggers": [{"kind": f.kind.value, "text": f.text} for f in self.fired],
            "explanation": self.explanation,
        }


def advise(
    snapshot: MatrixSnapshot,
    situation: Situation,
    now: datetime,
    *,
    calendar: BusinessCalendar | None = None,
) -> Advice:
    """The advice for ``situation`` at ``now``; ValueError names a severity the matrix lacks.

    Impact and scope can raise the severity the agent gave (twelve customers down is a P1
    whatever the ticket says), never lower it. A time trigger counts time without progress;
    business-time triggers and targets follow ``calendar`` when there is one.
    """
    if not snapshot.levels:
        raise ValueError("The matrix has no severity levels yet; add them on the Matrix screen.")
    given = None
    if situation.severity:
        given = snapshot.level(situation.severity.strip().upper()) or snapshot.level(
            situation.severity.strip()
        )
        if given is None:
            codes = ", ".join(lv.code for lv in snapshot.levels)
            raise ValueError(f"There is no severity level {situation.severity}; use {codes}.")
    by_impact = next((lv for lv in snapshot.levels if _impact_and_scope(lv, situation)), None)
    if given is None:
        level = by_impact or snapshot.levels[-1]
        raised_from = None
    elif by_impact is not None and by_impact.rank < given.rank:
        level, raised_from = by_impact, given.code
    else:
        level, raised_from = given, None
    fired = [*_impact_and_scope(level, situation), *_time_fired(level, situation)]
    rule = route(snapshot.routing, situation.module, situation.issue_type)
    role = snapshot.role(rule.role) if rule else None
    person = role.on_duty() if role else None
    backup = role.backup if role and role.backup != person else None
    waiting = None if fired else _next_time_trigger(level, situation)
    escalate_at = None
    if fired:
        decision = Decision.ESCALATE_NOW
        respond_from = now
    elif waiting is not None:
        trigger, left = waiting
        decision = Decision.ESCALATE_AT
        business = bool(trigger.after and trigger.after.business)
        escalate_at = add_minutes(now, left, business=business, calendar=calendar)
        respond_from = escalate_at
    else:
        decision = Decision.HOLD
        respond_from = None
    respond_by = None
    if respond_from is not None and level.target_response is not None:
        target = level.target_response
        respond_by = add_minutes(
            respond_from, target.minutes, business=target.business, calendar=calendar
        )
    owners = tuple(r for r in (level.engineer_role, level.liaison_role) if r)
    advice = Advice(
        decision,
        level,
        escalate_at,
        respond_by,
        rule,
        person,
        backup,
        tuple(fired),
        raised_from,
        derived=given is None,
        owner_roles=owners,
        waiting_for=waiting[0].sentence() if waiting else "",
    )
    return _with_explanation(advice, waiting, now)


def scope_matches(trigger_text: str, condition: str) -> bool:
    """Whether the agent's words name the trigger: one holds the other, or most words agree."""
    a, b = _words(trigger_text), _words(condition)
    if not a or not b:
        return False
    text_a, text_b = " ".join(a), " ".join(b)
    if text_a in text_b or text_b in text_a:
        return True
    return len(set(a) & set(b)) / len(set(a) | set(b)) >= 0.6


_STOP_WORDS = frozenset({"a", "an", "the", "or", "and", "of", "to", "is", "are", "in", "on"})


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.casefold()) if w not in _STOP_WORDS]


def _impact_and_scope(level: SeverityLevel, situation: Situation) -> list[FiredTrigger]:
    """The level's impact and scope triggers that the situation meets."""
    fired = []
    for trigger in level.triggers:
        why = _why_impact_or_scope(trigger, situation)
        if why:
            fired.append(FiredTrigger(trigger.kind, trigger.sentence(), why))
    return fired


def _why_impact_or_scope(trigger: Trigger, situation: Situation) -> str:
    if trigger.kind is TriggerKind.TIME:
        return ""
    if trigger.system_wide and situation.system_wide:
        return "the whole system is affected"
    at_least = trigger.customers_at_least
    if at_least is not None and situation.customers is not None:
        if situation.customers >= at_least:
            return f"{situation.customers} customers affected, {at_least} or more escalate"
        return ""
    if trigger.system_wide or at_least is not None:
        return ""
    said = next((c for c in situation.scope if scope_matches(trigger.text, c)), None)
    return f'you said "{said}"' if said else ""


def _time_fired(level: SeverityLevel, situation: Situation) -> list[FiredTrigger]:
    """The level's time triggers that have run out."""
    stalled = situation.stalled_minutes
    fired = []
    for trigger in level.triggers:
        after = trigger.after
        if trigger.kind is not TriggerKind.TIME or after is None or stalled < after.minutes:
            continue
        why = (
            "this level escalates at once"
            if after.minutes == 0
            else f"{say_span(stalled)} without progress, the limit is {format_duration(after)}"
        )
        fired.append(FiredTrigger(trigger.kind, trigger.sentence(), why))
    return fired


def _next_time_trigger(level: SeverityLevel, situation: Situation) -> tuple[Trigger, int] | None:
    """The time trigger that will run out first, and the minutes left until it does."""
    stalled = situation.stalled_minutes
    pending = [
        (trigger, trigger.after.minutes - stalled)
        for trigger in level.triggers
        if trigger.kind is TriggerKind.TIME
        and trigger.after is not None
        and trigger.after.minutes > stalled
    ]
    return min(pending, key=lambda p: p[1]) if pending else None


def _with_explanation(advice: Advice, waiting: tuple[Trigger, int] | None, now: datetime) -> Advice:
    level = advice.level
    sentences = [advice.severity_reason()]
    if advice.decision is Decision.ESCALATE_NOW:
        reasons = "; ".join(f"{f.text} ({f.why})" for f in advice.fired)
        sentences.append(f"Escalate now: {reasons}.")
    elif advice.decision is Decision.ESCALATE_AT and waiting is not None and advice.escalate_at:
        trigger, left = waiting
        sentences.append(
            f"Hold the line for now; escalate at {clock_time(advice.escalate_at, now)} "
            f"(in {say_span(left)}) if there is still no progress: {trigger.sentence()}."
        )
    else:
        sentences.append(
            f"Hold the line: no trigger of {level.code} applies and it has no time trigger."
        )
    if advice.rule is None:
        sentences.append("No routing rule matches this module or issue type: ask your lead.")
    else:
        who = advice.person or "nobody (the role is vacant)"
        backup = f", backup {advice.backup}" if advice.backup else ""
        sentences.append(
            f"Send it to {advice.rule.team} → {advice.rule.role} ({who}{backup}), "
            f"routing rule {advice.rule.order}: {advice.rule.describe()}."
        )
    if level.method:
        sentences.append(f"How: {level.method}.")
    if level.target_response is not None:
        by = f", by {clock_time(advice.respond_by, now)}" if advice.respond_by else ""
        sentences.append(f"They must answer within {format_duration(level.target_response)}{by}.")
    if advice.owner_roles:
        sentences.append(f"Afterwards {' + '.join(advice.owner_roles)} own it.")
    return replace(advice, explanation=" ".join(sentences))


def clock_time(moment: datetime, now: datetime) -> str:
    """A time as the agent reads it on ``now``'s clock: "14:30", or "Fri 27 Nov 09:00" when
    it is not today."""
    local = moment.astimezone(now.tzinfo)
    if local.date() == now.date():
        return f"{local:%H:%M}"
    return f"{DAY_NAMES[local.weekday()]} {local.day} {MONTH_NAMES[local.month - 1]} {local:%H:%M}"


# Fixed English names, whatever the machine's locale (strftime's %a and %b follow it).
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
