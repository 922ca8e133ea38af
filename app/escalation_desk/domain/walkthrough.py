"""Walkthroughs: ordered steps that may point at a widget of a screen and ask a question."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from escalation_desk.domain.durations import format_duration
from escalation_desk.domain.matrix import SeverityLevel
from escalation_desk.domain.snapshot import MatrixSnapshot

WALKTHROUGH_FORMAT = "escalation-desk-walkthrough"
MATRIX_EXPLAINED = "Our escalation matrix explained"
TOUR = "Tour of Escalation Desk"  # the title of resources/walkthroughs/tour.json


@dataclass(frozen=True, slots=True)
class Question:
    """A question to answer before moving on; ``answer`` is the index of the right choice."""

    prompt: str
    choices: tuple[str, ...]
    answer: int

    def __post_init__(self) -> None:
        if len(self.choices) < 2:
            raise ValueError(f"The question {self.prompt!r} needs at least two choices.")
        if not 0 <= self.answer < len(self.choices):
            raise ValueError(f"The answer to {self.prompt!r} is not one of its choices.")


@dataclass(frozen=True, slots=True)
class Step:
    """One step: what it says, and optionally where it points and what it asks.

    ``screen`` is a rail key ("matrix"); ``widget`` the object name of a widget on it, or
    "name:row:column" for one cell of a table (the matrix's cells are pointed at so).
    """

    title: str
    text: str = ""
    screen: str = ""
    widget: str = ""
    question: Question | None = None


@dataclass(frozen=True, slots=True)
class Walkthrough:
    """A named sequence of steps; built-in ones ship with the app and cannot be edited."""

    title: str
    steps: tuple[Step, ...] = field(default=())
    builtin: bool = False

    def progress(self, index: int) -> str:
        """The position shown on a step: "3 of 9"."""
        return f"{index + 1} of {len(self.steps)}"


def step_from_json(data: Mapping[str, Any]) -> Step:
    """A step from its JSON object; ValueError names what is wrong."""
    title = str(data.get("title") or "").strip()
    if not title:
        raise ValueError("Every step needs a title.")
    question = None
    if data.get("question"):
        q = data["question"]
        choices = q.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise ValueError(f"The question of step {title!r} needs a list of text choices.")
        answer = q.get("answer")
        if not isinstance(answer, int) or isinstance(answer, bool):
            raise ValueError(f"The question of step {title!r} needs the number of its answer.")
        question = Question(str(q.get("prompt") or ""), tuple(choices), answer)
    return Step(
        title,
        str(data.get("text") or ""),
        str(data.get("screen") or ""),
        str(data.get("widget") or ""),
        question,
    )


def step_to_json(step: Step) -> dict[str, Any]:
    """The JSON object of a step (empty parts left out)."""
    data: dict[str, Any] = {"title": step.title}
    for key in ("text", "screen", "widget"):
        if value := getattr(step, key):
            data[key] = value
    if step.question is not None:
        data["question"] = {
            "prompt": step.question.prompt,
            "choices": list(step.question.choices),
            "answer": step.question.answer,
        }
    return data


def walkthrough_from_json(data: Any) -> Walkthrough:
    """A walkthrough from the shared file form; ValueError says, in a sentence, what is wrong."""
    if not isinstance(data, dict) or data.get("format") != WALKTHROUGH_FORMAT:
        raise ValueError("This is not an Escalation Desk walkthrough file.")
    title = str(data.get("title") or "").strip()
    if not title:
        raise ValueError("The walkthrough has no title.")
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise ValueError(f"The walkthrough {title!r} has no steps.")
    parsed = []
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, dict):
            raise ValueError(f"Step {number} of {title!r} is not a step.")
        try:
            parsed.append(step_from_json(step))
        except ValueError as exc:
            raise ValueError(f"Step {number} of {title!r}: {exc}") from None
    return Walkthrough(title, tuple(parsed))


def walkthrough_to_json(walkthrough: Walkthrough) -> dict[str, Any]:
    """The shared file form of a walkthrough."""
    return {
        "format": WALKTHROUGH_FORMAT,
        "title": walkthrough.title,
        "steps": [step_to_json(step) for step in walkthrough.steps],
    }


def matrix_explained(snapshot: MatrixSnapshot) -> Walkthrough:
    """One step per level of the matrix: when to escalate, to whom, how, how fast, who owns it.

    Each step points at the level's row of the matrix grid (widget "matrixGrid:ROW:0").
    """
    steps = [
        Step(
            "How our matrix works",
            (
                f"Our matrix has {len(snapshot.levels)} severity levels, most severe first. "
                "Each row says when to escalate, to whom, how, how fast they must answer, and "
                "who owns the issue afterwards."
            ),
            "matrix",
            "matrixGrid",
        )
    ]
    steps += [
        Step(level.label, _level_text(level), "matrix", f"matrixGrid:{row}:0")
        for row, level in enumerate(snapshot.levels)
    ]
    if snapshot.routing:
        catch_all = [r for r in snapshot.routing if r.pattern.strip() == "*"]
        tail = f" Anything else goes to {catch_all[0].team}." if catch_all else ""
        steps.append(
            Step(
                "Where it goes",
                (
                    f"{len(snapshot.routing)} routing rules pick the team and role from the "
                    f"module or issue type; the first rule that matches wins.{tail}"
                ),
                "routing",
                "rulesTable",
            )
        )
    return Walkthrough(MATRIX_EXPLAINED, tuple(steps), builtin=True)


def _level_text(level: SeverityLevel) -> str:
    triggers = "; ".join(t.sentence() for t in level.triggers if t.sentence()) or "none set"
    contacts = ", ".join(level.contacts) or "nobody named"
    target = format_duration(level.target_response) if level.target_response else "no target"
    owners = level.owner_pair() or "not set"
    method = level.method or "no method set"
    return (
        f"Escalate when: {triggers}. Contact {contacts} by {method}. "
        f"They answer within {target}. Afterwards it is owned by {owners}."
    )
