"""Triggers read as the sentence an agent understands; a level names its owner pair."""

import pytest

from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import EscalationStep, SeverityLevel, Trigger, TriggerKind


@pytest.mark.parametrize(
    ("trigger", "sentence"),
    [
        (Trigger(TriggerKind.TIME, after=Duration(120)), "No progress after 2 h"),
        (Trigger(TriggerKind.TIME, after=Duration(480, True)), "No progress after 1 business day"),
        (Trigger(TriggerKind.TIME, after=Duration(0)), "Escalate immediately"),
        (Trigger(TriggerKind.IMPACT, customers_at_least=10), "10 or more customers affected"),
        (Trigger(TriggerKind.IMPACT, system_wide=True), "System-wide degradation"),
        (Trigger(TriggerKind.IMPACT, "Outage", system_wide=True), "Outage"),
        (
            Trigger(TriggerKind.SCOPE, "Requires code-level investigation"),
            "Requires code-level investigation",
        ),
    ],
)
def test_trigger_sentences(trigger: Trigger, sentence: str) -> None:
    assert trigger.sentence() == sentence


def test_level_label_and_owner_pair() -> None:
    level = SeverityLevel(
        "P1",
        "Critical",
        1,
        "#D55E00",
        Duration(30),
        engineer_role="Dev Lead",
        liaison_role="Support liaison",
    )
    assert level.label == "P1 Critical"
    assert level.owner_pair() == "Dev Lead + Support liaison"


def test_a_step_without_a_role_names_its_tier() -> None:
    assert EscalationStep(30, tier=2).who() == "Tier 2"
    assert EscalationStep(0, role="Support on-call").who() == "Support on-call"
