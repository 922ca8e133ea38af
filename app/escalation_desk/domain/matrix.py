"""The escalation matrix: severity levels, their triggers, steps, contacts and owners."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from escalation_desk.domain.durations import Duration, format_duration


class TriggerKind(StrEnum):
    """The three kinds of trigger a level can have."""

    TIME = "time"
    SCOPE = "scope"
    IMPACT = "impact"


class UpdatesBy(StrEnum):
    """Who logs the updates on an escalation of a level."""

    LIAISON = "liaison"
    ENGINEER = "engineer"


@dataclass(frozen=True, slots=True)
class Trigger:
    """One condition that tells an agent to escalate now rather than hold the line."""

    kind: TriggerKind
    text: str = ""
    after: Duration | None = None
    customers_at_least: int | None = None
    system_wide: bool = False

    def sentence(self) -> str:
        """The trigger as the sentence an agent reads."""
        if self.kind is TriggerKind.TIME and self.after is not None:
            if self.after.minutes == 0:
                return "Escalate immediately"
            return f"No progress after {format_duration(self.after)}"
        if self.kind is TriggerKind.IMPACT and self.system_wide:
            return self.text or "System-wide degradation"
        if self.kind is TriggerKind.IMPACT and self.customers_at_least is not None:
            return self.text or f"{self.customers_at_least} or more customers affected"
        return self.text


@dataclass(frozen=True, slots=True)
class EscalationStep:
    """Who is brought in, and how long after escalation."""

    after_minutes: int
    role: str | None = None
    tier: int | None = None

    def who(self) -> str:
        """The role's name, or the tier when the step names no role."""
        if self.role:
            return self.role
        return f"Tier {self.tier}" if self.tier is not None else "—"


@dataclass(frozen=True, slots=True)
class SeverityLevel:
    """One row of the matrix."""

    code: str
    name: str
    rank: int
    colour: str
    target_response: Duration | None
    update_every: Duration | None = None
    target_resolution: Duration | None = None
    method: str = ""
    contacts: tuple[str, ...] = ()
    engineer_role: str | None = None
    liaison_role: str | None = None
    updates_by: UpdatesBy = UpdatesBy.LIAISON
    hand_back: str = ""
    triggers: tuple[Trigger, ...] = field(default=())
    steps: tuple[EscalationStep, ...] = field(default=())

    @property
    def business_hours(self) -> bool:
        """Whether the level's clock runs in business hours (else around the clock, 24/7)."""
        return bool(self.target_response and self.target_response.business)

    @property
    def label(self) -> str:
        """Code and name together, as shown in lists: "P1 Critical"."""
        return f"{self.code} {self.name}".strip()

    def owner_pair(self) -> str:
        """The post-escalation owner: engineer role plus support liaison role."""
        parts = [p for p in (self.engineer_role, self.liaison_role) if p]
        return " + ".join(parts)
