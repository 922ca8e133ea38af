"""Practice scenarios from the team's own matrix and routing, the agent's answers, and marking."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from escalation_desk.domain.advisor import Advice, Decision, Situation, advise
from escalation_desk.domain.clock import BusinessCalendar
from escalation_desk.domain.deadlines import say_span
from escalation_desk.domain.matrix import SeverityLevel, TriggerKind
from escalation_desk.domain.routing import MatchOn
from escalation_desk.domain.snapshot import MatrixSnapshot

# What the agent says to "escalate?": the three decisions in the words of the question.
DECISION_WORDS = {
    Decision.ESCALATE_NOW: "Escalate now",
    Decision.ESCALATE_AT: "Hold, escalate later if no progress",
    Decision.HOLD: "Hold the line",
}


@dataclass(frozen=True, slots=True)
class Scenario:
    """A ticket to practise on: the story the agent reads and the facts it is checked with."""

    key: str
    prompt: str
    situation: Situation
    author: str = ""  # "" for a generated scenario, else the lead who wrote it


@dataclass(frozen=True, slots=True)
class Answer:
    """The agent's answer: escalate?, which level, to whom (a role), how."""

    decision: Decision
    level: str
    role: str
    method: str


@dataclass(frozen=True, slots=True)
class Part:
    """One question of a scenario, marked."""

    question: str
    expected: str
    given: str

    @property
    def right(self) -> bool:
        """Whether the agent's answer is the matrix's."""
        return self.expected.casefold() == self.given.casefold()


@dataclass(frozen=True, slots=True)
class Marking:
    """The marked answer, and the matrix row and routing rule that decide the right one."""

    parts: tuple[Part, ...]
    advice: Advice
    level_row: int  # 0-based row of the level in the matrix
    rule_order: int | None

    @property
    def score(self) -> float:
        """Share of questions answered right, 0..1."""
        return sum(p.right for p in self.parts) / len(self.parts)

    def explanation(self) -> str:
        """Why the right answer is right: the matrix row, then the advice, which names the
        routing rule that decides who."""
        return f"Matrix row {self.level_row + 1} ({self.advice.level.label}) decides. " + (
            self.advice.explanation
        )


def expected_answer(advice: Advice) -> Answer:
    """The answer the matrix gives."""
    return Answer(advice.decision, advice.level.code, advice.role or "", advice.level.method)


def mark(
    snapshot: MatrixSnapshot,
    scenario: Scenario,
    answer: Answer,
    now: datetime,
    *,
    calendar: BusinessCalendar | None = None,
) -> Marking:
    """Check ``answer`` against what the live matrix and routing say for ``scenario``."""
    advice = advise(snapshot, scenario.situation, now, calendar=calendar)
    right = expected_answer(advice)
    parts = (
        Part("Escalate?", DECISION_WORDS[right.decision], DECISION_WORDS[answer.decision]),
        Part("Which level?", right.level, answer.level),
        Part("To whom?", right.role, answer.role),
        Part("How?", right.method, answer.method),
    )
    row = next(i for i, lv in enumerate(snapshot.levels) if lv.code == advice.level.code)
    return Marking(parts, advice, row, advice.rule.order if advice.rule else None)


def generate(snapshot: MatrixSnapshot, *, seed: int = 0) -> list[Scenario]:
    """Scenarios that exercise every trigger of every level, and the wait before a time one.

    The modules come from the routing rules, so that "to whom" is the team's own answer; the
    same seed gives the same scenarios.
    """
    rng = random.Random(seed)
    modules = [r.pattern for r in snapshot.routing if r.match_on is MatchOn.MODULE]
    named = [m for m in modules if "*" not in m and "?" not in m] or ["the product"]
    scenarios: list[Scenario] = []
    ceiling: int | None = None  # fewer customers than any more severe level escalates for
    for level in snapshot.levels:
        scenarios += _for_level(level, named, rng, ceiling)
        counts = [t.customers_at_least for t in level.triggers if t.customers_at_least]
        if counts:
            ceiling = min([*counts, *([ceiling] if ceiling else [])])
    return scenarios


def _for_level(
    level: SeverityLevel, modules: list[str], rng: random.Random, ceiling: int | None
) -> list[Scenario]:
    found = []
    for number, trigger in enumerate(level.triggers, start=1):
        module = rng.choice(modules)
        opened = rng.choice((20, 35, 50, 70))
        key = f"{level.code}-{trigger.kind.value}-{number}"
        if trigger.kind is TriggerKind.TIME and trigger.after is not None:
            if trigger.after.minutes == 0:
                continue  # "escalate immediately" is the level itself, asked by the others
            late = trigger.after.minutes + rng.choice((10, 25, 40))
            early = max(5, trigger.after.minutes // 3)
            for suffix, stalled in (("late", late), ("early", early)):
                situation = Situation(level.code, stalled, stalled, module)
                found.append(Scenario(f"{key}-{suffix}", _story(situation, level), situation))
            continue
        if trigger.system_wide:
            situation = Situation(None, opened, module=module, system_wide=True)
        elif trigger.customers_at_least is not None:
            customers = trigger.customers_at_least + rng.choice((0, 1, 3, 8))
            if ceiling is not None:
                customers = max(trigger.customers_at_least, min(customers, ceiling - 1))
            situation = Situation(None, opened, module=module, customers=customers)
        else:
            situation = Situation(None, opened, module=module, scope=(trigger.text,))
        found.append(Scenario(key, _story(situation, None), situation))
    return found


def _story(situation: Situation, level: SeverityLevel | None) -> str:
    """The scenario as the agent reads it."""
    parts = [f"A customer reports a problem in {situation.module}"]
    if situation.system_wide:
        parts[0] += ": nobody can use the service at all"
    elif situation.customers is not None:
        parts[0] += f", and {situation.customers} customers are affected"
    elif situation.scope:
        parts[0] += f". You find: {situation.scope[0].rstrip('.').lower()}"
    told = f"It is a {level.code} ticket. " if level is not None else ""
    since = (
        f"{say_span(situation.since_progress_minutes)} without progress"
        if situation.since_progress_minutes is not None
        else f"{say_span(situation.elapsed_minutes)} since the ticket opened"
    )
    return f"{parts[0]}. {told}It is {since}. Escalate? Which level? To whom? How?"


def scenario_to_json(scenario: Scenario) -> dict[str, Any]:
    """A lead's scenario as stored."""
    s = scenario.situation
    return {
        "key": scenario.key,
        "prompt": scenario.prompt,
        "author": scenario.author,
        "severity": s.severity,
        "elapsed_minutes": s.elapsed_minutes,
        "since_progress_minutes": s.since_progress_minutes,
        "module": s.module,
        "issue_type": s.issue_type,
        "customers": s.customers,
        "system_wide": s.system_wide,
        "scope": list(s.scope),
    }


def scenario_from_json(data: dict[str, Any]) -> Scenario:
    """A stored scenario back; ValueError when it is not one."""
    try:
        situation = Situation(
            data.get("severity") or None,
            int(data.get("elapsed_minutes") or 0),
            None
            if data.get("since_progress_minutes") is None
            else int(data["since_progress_minutes"]),
            str(data.get("module") or ""),
            str(data.get("issue_type") or ""),
            None if data.get("customers") is None else int(data["customers"]),
            bool(data.get("system_wide")),
            tuple(str(s) for s in data.get("scope") or ()),
        )
        return Scenario(
            str(data["key"]), str(data["prompt"]), situation, str(data.get("author") or "")
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"This is not a practice scenario ({exc}).") from None
