"""Twenty people editing one team workspace at once: nothing lost, every collision said."""

from __future__ import annotations

import multiprocessing
from collections import Counter

from sqlalchemy import func, select

from escalation_desk.domain.lifecycle import EventKind, Status
from escalation_desk.services.board import BoardService
from escalation_desk.store import core
from escalation_desk.store.db import Workspace
from tests.conftest import NOW
from tests.postgres import TeamServer
from tests.team_load import NOTE_PREFIX, note, run_client

CLIENTS = 20
EDITS = 1000
SHARED = 8  # escalations the clients take turns on, so that their edits collide


def test_twenty_clients_making_a_thousand_edits_each_lose_no_update(
    postgres: TeamServer,
) -> None:
    database = postgres.fresh_database("example")
    workspace = postgres.open(database)
    try:
        refs = [r.ref for r in BoardService(workspace).rows(NOW) if r.status is not Status.CLOSED]
        refs = refs[:SHARED]
        versions_before = _versions(workspace, refs)
        address = postgres.server.url(database, *postgres.AGENT)
        with multiprocessing.get_context("spawn").Pool(CLIENTS) as pool:
            outcomes = pool.starmap(
                run_client, [(address, client, refs, EDITS) for client in range(CLIENTS)]
            )
        saved = sum(s for s, _ in outcomes)
        collided = sum(c for _, c in outcomes)
        with workspace.query() as connection:
            events = core.escalation_events.c
            notes = set(
                connection.scalars(
                    select(events.detail).where(
                        events.kind == EventKind.UPDATE_LOGGED.value,
                        events.detail.startswith(NOTE_PREFIX),
                    )
                )
            )
            per_ref = Counter(
                dict(
                    connection.execute(
                        select(core.escalations.c.ref, func.count())
                        .join(core.escalation_events)
                        .where(events.detail.startswith(NOTE_PREFIX))
                        .group_by(core.escalations.c.ref)
                    ).all()
                )
            )
        versions_after = _versions(workspace, refs)
    finally:
        workspace.close()
    # Every edit was either saved or refused in a sentence the client counted...
    assert saved + collided == CLIENTS * EDITS
    # ...every saved one is in the timeline, once, and nothing else is...
    assert len(notes) == saved
    assert notes <= {note(c, e) for c in range(CLIENTS) for e in range(EDITS)}
    # ...and each escalation's version moved once per update saved on it: no update was
    # written over another.
    assert {ref: versions_after[ref] - versions_before[ref] for ref in refs} == {
        ref: per_ref[ref] for ref in refs
    }
    print(f"\n{saved} saved, {collided} refused as collisions")


def _versions(workspace: Workspace, refs: list[str]) -> dict[str, int]:
    """Each escalation's version counter, which every saved change moves on by one."""
    with workspace.query() as connection:
        rows = connection.execute(
            select(core.escalations.c.ref, core.escalations.c.version).where(
                core.escalations.c.ref.in_(refs)
            )
        )
        return {str(ref): int(version) for ref, version in rows}
