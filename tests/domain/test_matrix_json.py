"""The JSON form of a matrix: documented keys with stable types, read back without loss."""

import json
import re
from typing import Any

import pytest

from escalation_desk.domain.directory import Person, Role, Team
from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import (
    EscalationStep,
    SeverityLevel,
    Trigger,
    TriggerKind,
    UpdatesBy,
)
from escalation_desk.domain.matrix_json import MatrixJsonError, from_json, to_json
from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.domain.snapshot import MatrixSnapshot

RICH = MatrixSnapshot(
    levels=(
        SeverityLevel(
            "P1",
            "Critical",
            1,
            "#D55E00",
            Duration(30),
            update_every=Duration(60),
            target_resolution=Duration(240),
            method="Jira + Teams with link",
            contacts=("Dev Lead", "Product Manager"),
            engineer_role="Dev Lead",
            liaison_role="Support liaison",
            updates_by=UpdatesBy.LIAISON,
            hand_back="Support owns the issue again once service is restored.",
            triggers=(
                Trigger(TriggerKind.IMPACT, "System outage", system_wide=True),
                Trigger(TriggerKind.IMPACT, "", customers_at_least=10),
                Trigger(TriggerKind.SCOPE, "Suspected security breach"),
                Trigger(TriggerKind.TIME, "No resolution in 2 hrs", after=Duration(120)),
            ),
            steps=(
                EscalationStep(0, "Support on-call"),
                EscalationStep(15, tier=2),
                EscalationStep(60, "Dev Lead", tier=3),
            ),
        ),
        SeverityLevel(
            "P2",
            "High",
            2,
            "#E69F00",
            Duration(120),
            update_every=Duration(240),
            target_resolution=Duration(480, business=True),
            contacts=("Dev Lead",),
            liaison_role="Support liaison",
        ),
        SeverityLevel(
            "P3",
            "Normal",
            3,
            "#0072B2",
            Duration(480, business=True),
            update_every=Duration(480, business=True),
            method="Jira ticket",
            engineer_role="Tier 2 specialist",
            updates_by=UpdatesBy.ENGINEER,
            triggers=(Trigger(TriggerKind.TIME, after=Duration(960, business=True)),),
            steps=(EscalationStep(960, "Dev Lead"),),
        ),
        SeverityLevel("P4", "", 4, "", None),
    ),
    routing=(
        RoutingRule(1, MatchOn.ISSUE_TYPE, "Security", "Infra / SRE", "Security lead"),
        RoutingRule(2, MatchOn.MODULE, "Pay*", "Payments engineering", "Payments on-call"),
        RoutingRule(3, MatchOn.MODULE, "*", "Support Tier 2", "Tier 2 specialist"),
    ),
    roles=(
        Role("Dev Lead", "Backend", "Oliver Hughes", "Wei Chen"),
        Role("Security lead", "Infra / SRE", None),
        Role("Floating role", None, "Wei Chen", None),
    ),
    teams=(Team("Backend", 3, "Business hours"), Team("Infra / SRE", 3)),
    people=(
        Person("Oliver Hughes", "oliver.hughes@quillpay.example", "Backend"),
        Person("Wei Chen"),
    ),
    used_modules=("Payments", "Reports"),
    used_issue_types=("UI bug",),
)


def test_round_trip_is_exact() -> None:
    assert from_json(to_json(RICH, 7)) == RICH
    assert from_json(to_json(MatrixSnapshot(), None)) == MatrixSnapshot()


def test_round_trip_survives_json_text() -> None:
    text = json.dumps(to_json(RICH, 3), ensure_ascii=False)
    assert from_json(json.loads(text)) == RICH


def test_documented_keys_have_the_documented_types() -> None:
    data = to_json(RICH, 3)
    assert data["version"] == 3
    assert to_json(RICH, None)["version"] is None
    level = data["levels"][0]
    assert {
        "code",
        "name",
        "rank",
        "target_response_minutes",
        "update_every_minutes",
        "business_hours",
        "triggers",
        "contacts",
        "method",
        "owner_roles",
    } <= level.keys()
    assert (level["code"], level["name"], level["rank"]) == ("P1", "Critical", 1)
    assert level["target_response_minutes"] == 30
    assert level["update_every_minutes"] == 60
    assert level["business_hours"] is False
    assert level["contacts"] == ["Dev Lead", "Product Manager"]
    assert level["method"] == "Jira + Teams with link"
    assert level["owner_roles"] == ["Dev Lead", "Support liaison"]
    assert level["triggers"][0] == {
        "kind": "impact",
        "text": "System outage",
        "after_minutes": None,
        "business": False,
        "customers_at_least": None,
        "system_wide": True,
    }
    time_trigger = level["triggers"][3]
    assert (time_trigger["kind"], time_trigger["after_minutes"]) == ("time", 120)
    assert data["levels"][1]["owner_roles"] == ["Support liaison"]
    assert data["levels"][2]["business_hours"] is True
    assert data["levels"][3]["target_response_minutes"] is None
    assert data["routing"][0] == {
        "order": 1,
        "match": "issue_type",
        "pattern": "Security",
        "team": "Infra / SRE",
        "role": "Security lead",
    }
    assert data["routing"][1]["match"] == "module"
    assert data["roles"][1] == {
        "name": "Security lead",
        "team": "Infra / SRE",
        "holder": None,
        "backup": None,
    }
    assert data["teams"] == [
        {"name": "Backend", "tier": 3, "calendar": "Business hours"},
        {"name": "Infra / SRE", "tier": 3, "calendar": None},
    ]


def test_the_json_is_plain_data() -> None:
    def plain(value: Any) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or type(value) in {str, int, bool}

    data = to_json(RICH, 1)
    assert plain(data)  # no enums, tuples or Durations that json.dumps would mangle
    assert json.loads(json.dumps(data)) == data


def test_a_script_may_write_only_the_documented_keys() -> None:
    data: dict[str, Any] = {
        "version": None,
        "levels": [
            {
                "code": "P1",
                "name": "Critical",
                "rank": 1,
                "target_response_minutes": 480,
                "update_every_minutes": None,
                "business_hours": True,
                "triggers": [
                    {"kind": "scope", "text": "Code change needed"},
                ],
                "contacts": ["Dev Lead"],
                "method": "Jira",
                "owner_roles": ["Dev Lead", "Support liaison"],
            }
        ],
        "routing": [{"order": 1, "match": "module", "pattern": "*", "team": "T2", "role": "R"}],
        "roles": [{"name": "R", "team": "T2", "holder": "Ann", "backup": None}],
        "teams": [{"name": "T2", "tier": 2}],
    }
    snapshot = from_json(data)
    (level,) = snapshot.levels
    assert level.target_response == Duration(480, business=True)
    assert (level.engineer_role, level.liaison_role) == ("Dev Lead", "Support liaison")
    assert level.triggers == (Trigger(TriggerKind.SCOPE, "Code change needed"),)
    assert snapshot.teams == (Team("T2", 2),)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"levels": {}}, 'Expected a list for "levels"'),
        ({"levels": [{"code": "P1"}]}, '"rank" in item 1 of "levels"'),
        ({"levels": [{"code": "P1", "rank": True}]}, "found true or false"),
        (
            {"routing": [{"order": 1, "match": "team", "pattern": "*", "team": "T", "role": "R"}]},
            '"team" is not a known value for "match"',
        ),
        ({"teams": [{"name": "T", "tier": "2"}]}, 'found the text "2"'),
        ({"levels": [{"code": "P1", "rank": 1, "target_response_minutes": -5}]}, "found -5"),
    ],
)
def test_malformed_data_is_refused_with_a_reason(data: dict[str, Any], words: str) -> None:
    with pytest.raises(MatrixJsonError, match=re.escape(words)):
        from_json(data)
