"""Which tables each team role may change: one table of rules for the app and the server."""

from __future__ import annotations

from collections.abc import Iterable

from escalation_desk.store.errors import NotAllowedError, TeamRole

# What a lead alone changes: the written-down process.
MATRIX_TABLES = frozenset(
    {
        "calendars",
        "checklist_template_items",
        "escalation_steps",
        "level_contacts",
        "matrix_versions",
        "people",
        "roles",
        "routing_rules",
        "settings",
        "severity_levels",
        "teams",
        "triggers",
        "walkthrough_steps",
        "walkthroughs",
    }
)
# What agents change too: the board, and their own onboarding records.
BOARD_TABLES = frozenset(
    {
        "agent_progress",
        "agents",
        "checklist_entries",
        "escalation_facts",
        "escalation_pauses",
        "escalations",
        "follow_ups",
    }
)
# The timeline is evidence: rows are added, never changed or removed, by anyone.
EVENT_LOG = "escalation_events"
CHANGES: dict[TeamRole, frozenset[str]] = {
    TeamRole.LEAD: MATRIX_TABLES | BOARD_TABLES,
    TeamRole.AGENT: BOARD_TABLES,
    TeamRole.MANAGER: frozenset(),
}
ADDS_EVENTS = frozenset({TeamRole.LEAD, TeamRole.AGENT})
_WHAT = {
    TeamRole.AGENT: "An agent works the board; only a lead changes the matrix, routing, "
    "checklists and walkthroughs.",
    TeamRole.MANAGER: "A manager reads and exports; only leads and agents change the workspace.",
}


def may_change(role: TeamRole, tables: Iterable[str]) -> bool:
    """Whether ``role`` may insert, update or delete rows of every one of ``tables``."""
    return all(
        table in CHANGES[role] or (table == EVENT_LOG and role in ADDS_EVENTS) for table in tables
    )


def refusal(role: TeamRole) -> NotAllowedError:
    """The sentence for a change ``role`` may not make."""
    return NotAllowedError(f"Not saved: you are signed in as {role.value}. {_WHAT[role]}")
