"""The ready-to-paste hand-off message for Jira, Teams, Slack or e-mail, led by the ticket ref."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Handoff:
    """What the receiving team needs to pick an escalation up without asking again."""

    ref: str
    title: str
    customer: str
    module: str
    severity: str
    severity_name: str
    team: str
    role: str
    holder: str | None
    liaison: str | None
    method: str
    respond_by: str
    customer_impact: str
    tried: str
    reproduce: str
    customers_affected: int


class Format(StrEnum):
    """Where the message will be pasted."""

    JIRA = "jira"
    TEAMS = "teams"
    SLACK = "slack"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class _Text:
    """The message's words, before any markup."""

    headline: str
    facts: tuple[tuple[str, str], ...]
    blocks: tuple[tuple[str, str], ...]


def _line(text: str) -> str:
    # A line break inside a one-line field would push the ref out of the first line.
    return " ".join(text.split())


def _or(text: str, fallback: str) -> str:
    return _line(text) or fallback


def _affected(count: int) -> str:
    if count <= 0:
        return "number of customers affected not known yet"
    return "1 customer affected" if count == 1 else f"{count} customers affected"


def _text(handoff: Handoff) -> _Text:
    severity = _or(f"{handoff.severity} {handoff.severity_name}", "Severity not set")
    headline = f"[{_line(handoff.ref)}] {severity}: {_or(handoff.title, 'No title')}"
    role = _or(handoff.role, "no role named")
    holder = _line(handoff.holder or "")
    who = f"{role} ({holder})" if holder else f"{role} (nobody holds this role yet)"
    facts = (
        (
            "Customer",
            f"{_or(handoff.customer, 'not named')}, {_affected(handoff.customers_affected)}",
        ),
        ("Module", _or(handoff.module, "not named")),
        ("Routed to", f"{_or(handoff.team, 'no team named')} / {who}"),
        ("Support liaison", _or(handoff.liaison or "", "none assigned yet")),
        ("How to escalate", _or(handoff.method, "not set in the matrix")),
        ("Respond by", _or(handoff.respond_by, "no response target set")),
    )
    blocks = (
        ("Customer impact", handoff.customer_impact.strip() or "Not given."),
        ("What was tried", handoff.tried.strip() or "Not given."),
        ("How to reproduce / links", handoff.reproduce.strip() or "Not given."),
    )
    return _Text(headline, facts, blocks)


def _jira(text: _Text) -> list[str]:
    lines = [f"h3. {text.headline}"]
    lines += [f"* *{label}:* {value}" for label, value in text.facts]
    for heading, body in text.blocks:
        lines += ["", f"h4. {heading}", body]
    return lines


def _slack(text: _Text) -> list[str]:
    lines = [f"*{text.headline}*"]
    lines += [f"• *{label}:* {value}" for label, value in text.facts]
    for heading, body in text.blocks:
        lines += ["", f"*{heading}*", body]
    return lines


def _teams(text: _Text) -> list[str]:
    lines = [f"**{text.headline}**", ""]
    lines += [f"- **{label}:** {value}" for label, value in text.facts]
    for heading, body in text.blocks:
        lines += ["", f"**{heading}**", "", body]
    return lines


def _email(text: _Text) -> list[str]:
    lines = [f"Subject: {text.headline}", ""]
    lines += [f"{label}: {value}" for label, value in text.facts]
    for heading, body in text.blocks:
        lines += ["", f"{heading}:", body]
    return lines


_WRITERS = {Format.JIRA: _jira, Format.SLACK: _slack, Format.TEAMS: _teams, Format.EMAIL: _email}


def handoff_summary(handoff: Handoff, fmt: Format) -> str:
    """The hand-off message in ``fmt``; its first line carries the ref, severity and title."""
    # No trailing newline: pasted into a chat box it would send the message early or leave a gap.
    return "\n".join(_WRITERS[fmt](_text(handoff)))
