"""The lifecycle refuses illegal moves with a reason and names the event a legal one records."""

import pytest

from escalation_desk.domain.lifecycle import (
    EventKind,
    IllegalMoveError,
    Status,
    allowed_moves,
    check_move,
)


@pytest.mark.parametrize(
    ("current", "target", "event"),
    [
        (Status.NEW, Status.ESCALATED, EventKind.ESCALATED),
        (Status.ESCALATED, Status.ACKNOWLEDGED, EventKind.ACKNOWLEDGED),
        (Status.ACKNOWLEDGED, Status.IN_PROGRESS, EventKind.STARTED),
        (Status.IN_PROGRESS, Status.HANDED_BACK, EventKind.HANDED_BACK),
        (Status.HANDED_BACK, Status.ESCALATED, EventKind.ESCALATED),
        (Status.IN_PROGRESS, Status.RESOLVED, EventKind.RESOLVED),
        (Status.RESOLVED, Status.CLOSED, EventKind.CLOSED),
        (Status.RESOLVED, Status.IN_PROGRESS, EventKind.REOPENED),
        (Status.CLOSED, Status.IN_PROGRESS, EventKind.REOPENED),
    ],
)
def test_legal_moves_record_their_event(current: Status, target: Status, event: EventKind) -> None:
    assert check_move(current, target) is event


def test_skipping_acknowledgement_is_refused_with_the_options() -> None:
    with pytest.raises(IllegalMoveError) as refused:
        check_move(Status.NEW, Status.RESOLVED)
    assert str(refused.value) == (
        "An escalation cannot go from New to Resolved; from New it can go to: Escalated."
    )


def test_moving_to_the_same_status_is_refused() -> None:
    with pytest.raises(IllegalMoveError, match="already in progress"):
        check_move(Status.IN_PROGRESS, Status.IN_PROGRESS)


def test_a_closed_escalation_can_only_be_reopened() -> None:
    assert allowed_moves(Status.CLOSED) == {Status.IN_PROGRESS}


def test_open_statuses_are_the_ones_before_resolution() -> None:
    assert [s for s in Status if s.is_open] == [
        Status.NEW,
        Status.ESCALATED,
        Status.ACKNOWLEDGED,
        Status.IN_PROGRESS,
        Status.HANDED_BACK,
    ]
