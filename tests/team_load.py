"""One client of the team-mode load test, run in a process of its own.

It opens the team workspace as an agent and logs ``edits`` updates on the given escalations
in turn; each update is either saved or refused as a collision (ChangedElsewhereError), and
it says which by the counts it returns. The note text names the client and the edit, so that
the test can find every saved one in the timeline afterwards.
"""

from __future__ import annotations

from datetime import UTC, datetime

from escalation_desk.services.board import BoardService
from escalation_desk.store import team
from escalation_desk.store.errors import ChangedElsewhereError

NOTE_PREFIX = "load"


def note(client: int, edit: int) -> str:
    """The update text of one client's edit."""
    return f"{NOTE_PREFIX} {client}-{edit}"


def run_client(address: str, client: int, refs: list[str], edits: int) -> tuple[int, int]:
    """Make ``edits`` edits; returns (saved, refused as collisions)."""
    workspace = team.open_team_workspace(team.team_url(address))
    board = BoardService(workspace)
    saved = collided = 0
    try:
        for edit in range(edits):
            ref = refs[(client + edit) % len(refs)]
            try:
                board.log_update(ref, note(client, edit), f"client {client}", datetime.now(UTC))
            except ChangedElsewhereError:
                collided += 1
            else:
                saved += 1
    finally:
        workspace.close()
    return saved, collided
