"""Creating an escalation: context required, routed by the rules, timed by the matrix."""

from __future__ import annotations

from dataclasses import replace

import pytest

from escalation_desk.domain.handoff import Format, handoff_summary
from escalation_desk.domain.lifecycle import Status
from escalation_desk.services.board import BoardService
from escalation_desk.services.escalations import EscalationService, NewEscalation
from escalation_desk.services.versions import VersionService
from escalation_desk.store.db import Workspace
from tests.conftest import NOW

DRAFT = NewEscalation(
    ref="SUP-5001",
    title="Invoices stuck in 'sending'",
    customer="Harbour Logistics",
    module="Email delivery",
    issue_type="",
    severity="P2",
    customers_affected=14,
    customer_impact="14 customers cannot send invoices since 09:10",
    tried="Restarted the sender queue; checked the status page",
    reproduce="Send any invoice from a UK account; see ticket #88123",
)


def test_an_escalation_is_routed_and_records_the_version_in_force(
    example_workspace: Workspace,
) -> None:
    VersionService(example_workspace).publish("Agreed matrix")
    service = EscalationService(example_workspace)
    preview = service.preview("Email delivery", "", "P2")
    assert preview.rule is not None
    assert (preview.rule.team, preview.rule.role) == ("Infra / SRE", "Infra on-call lead")
    assert "chosen by rule 8" in preview.sentence()
    assert service.create(DRAFT, "lead", NOW) == "SUP-5001"
    row = BoardService(example_workspace).row("SUP-5001", NOW)
    assert row is not None
    assert (row.status, row.team, row.role, row.matrix_version) == (
        Status.ESCALATED,
        "Infra / SRE",
        "Infra on-call lead",
        1,
    )
    assert row.owner is not None
    assert row.liaison is not None  # the level's liaison role holder
    assert [k for _, k, _, _ in BoardService(example_workspace).timeline("SUP-5001")] == [
        "created",
        "escalated",
    ]


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("customer_impact", "how customers are affected"),
        ("tried", "what was tried"),
        ("reproduce", "how to reproduce it"),
    ],
)
def test_it_will_not_be_created_without_its_context(
    example_workspace: Workspace, field: str, words: str
) -> None:
    service = EscalationService(example_workspace)
    with pytest.raises(ValueError, match=words):
        service.create(replace(DRAFT, **{field: "  "}), "lead", NOW)
    assert BoardService(example_workspace).row("SUP-5001", NOW) is None


def test_a_duplicate_ref_is_refused(example_workspace: Workspace) -> None:
    service = EscalationService(example_workspace)
    with pytest.raises(ValueError, match="SUP-4236 already exists"):
        service.create(replace(DRAFT, ref="SUP-4236"), "lead", NOW)


def test_the_handoff_summary_points_back_to_the_record(example_workspace: Workspace) -> None:
    service = EscalationService(example_workspace)
    service.create(DRAFT, "lead", NOW)
    for fmt in Format:
        text = handoff_summary(service.handoff("SUP-5001"), fmt)
        assert "SUP-5001" in text.splitlines()[0]
        assert "14 customers cannot send invoices" in text
        assert "Infra on-call lead" in text
