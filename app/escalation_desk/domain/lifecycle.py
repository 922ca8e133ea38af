"""The escalation lifecycle: statuses, the moves allowed between them, the event kinds."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where an escalation stands; the board's columns follow this order."""

    NEW = "new"
    ESCALATED = "escalated"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    HANDED_BACK = "handed_back"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def heading(self) -> str:
        """The column heading."""
        return _TITLES[self]

    @property
    def is_open(self) -> bool:
        """Open escalations still need work before they can be resolved."""
        return self not in (Status.RESOLVED, Status.CLOSED)


_TITLES = {
    Status.NEW: "New",
    Status.ESCALATED: "Escalated",
    Status.ACKNOWLEDGED: "Acknowledged",
    Status.IN_PROGRESS: "In progress",
    Status.HANDED_BACK: "Handed back",
    Status.RESOLVED: "Resolved",
    Status.CLOSED: "Closed",
}

OPEN_STATUSES = tuple(s for s in Status if s.is_open)


class EventKind(StrEnum):
    """What the append-only timeline of an escalation records."""

    CREATED = "created"
    ESCALATED = "escalated"
    ACKNOWLEDGED = "acknowledged"
    STARTED = "started"
    REASSIGNED = "reassigned"
    UPDATE_LOGGED = "update_logged"
    HANDED_BACK = "handed_back"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    CHECKLIST_ITEM_DONE = "checklist_item_done"
    CHECKLIST_ITEM_WAIVED = "checklist_item_waived"


# Moves a lead may make by hand. Closing goes through the closure loop; reopening a closed
# escalation puts it back in progress with its history.
_ALLOWED: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.ESCALATED}),
    Status.ESCALATED: frozenset({Status.ACKNOWLEDGED, Status.HANDED_BACK}),
    Status.ACKNOWLEDGED: frozenset({Status.IN_PROGRESS, Status.HANDED_BACK, Status.RESOLVED}),
    Status.IN_PROGRESS: frozenset({Status.HANDED_BACK, Status.RESOLVED}),
    Status.HANDED_BACK: frozenset({Status.ESCALATED, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}

_EVENT_FOR_ARRIVAL = {
    Status.ESCALATED: EventKind.ESCALATED,
    Status.ACKNOWLEDGED: EventKind.ACKNOWLEDGED,
    Status.IN_PROGRESS: EventKind.STARTED,
    Status.HANDED_BACK: EventKind.HANDED_BACK,
    Status.RESOLVED: EventKind.RESOLVED,
    Status.CLOSED: EventKind.CLOSED,
}


class IllegalMoveError(ValueError):
    """A status change the lifecycle does not allow; the message says why."""


def allowed_moves(current: Status) -> frozenset[Status]:
    """Statuses reachable from ``current`` in one move."""
    return _ALLOWED[current]


def check_move(current: Status, target: Status) -> EventKind:
    """The event a legal move records; raises IllegalMoveError with the reason otherwise."""
    if current is target:
        raise IllegalMoveError(f"The escalation is already {target.heading.lower()}.")
    if target not in _ALLOWED[current]:
        options = ", ".join(s.heading for s in Status if s in _ALLOWED[current])
        raise IllegalMoveError(
            f"An escalation cannot go from {current.heading} to {target.heading}; "
            f"from {current.heading} it can go to: {options}."
        )
    if current in (Status.RESOLVED, Status.CLOSED) and target is Status.IN_PROGRESS:
        return EventKind.REOPENED
    return _EVENT_FOR_ARRIVAL[target]
