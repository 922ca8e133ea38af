"""Builds a workspace from the example JSON in data/, with times relative to now."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from escalation_desk.domain.durations import parse_duration
from escalation_desk.domain.lifecycle import EventKind, Status
from escalation_desk.services.board import recount_update_gap
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace
from escalation_desk.store.facts import keep_facts

# Stages the example times, in the order an escalation reaches them, with their events.
_STAGES: tuple[tuple[str, EventKind], ...] = (
    ("created", EventKind.CREATED),
    ("escalated", EventKind.ESCALATED),
    ("acknowledged", EventKind.ACKNOWLEDGED),
    ("resolved", EventKind.RESOLVED),
    ("closed", EventKind.CLOSED),
)


_Row = TypeVar("_Row")


class ExampleError(ValueError):
    """The example file does not describe a consistent workspace."""


def load_example(workspace: Workspace, source: Path, now: datetime) -> bool:
    """Fill an empty workspace with the example team, matrix and escalations.

    One transaction that holds the write lock from its first statement: of two instances
    starting on the same new file, one fills it and the other finds it filled (False).
    """
    spec = json.loads(source.read_text(encoding="utf-8"))
    with workspace.write() as session:
        filled = session.scalar(
            select(select(t.Setting.key).exists() | select(t.SeverityLevel.id).exists())
        )
        if filled:
            return False
        _Loader(session, now).load(spec)
    return True


class _Loader:
    """Turns names in the example into rows, failing loudly on a dangling name."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.calendars: dict[str, t.Calendar] = {}
        self.teams: dict[str, t.Team] = {}
        self.people: dict[str, t.Person] = {}
        self.roles: dict[str, t.Role] = {}
        self.levels: dict[str, t.SeverityLevel] = {}

    def load(self, spec: dict[str, Any]) -> None:
        self.session.add(t.Setting(key="workspace_name", value=spec["name"]))
        for cal in spec.get("calendars", []):
            row = t.Calendar(
                name=cal["name"],
                timezone=cal["timezone"],
                weekly_hours=json.dumps(cal["weekly_hours"]),
                holidays=json.dumps(cal.get("holidays", [])),
            )
            self.calendars[row.name] = row
        if self.calendars:
            first = next(iter(self.calendars))
            self.session.add(t.Setting(key="default_calendar", value=first))
        for team in spec["teams"]:
            self.teams[team["name"]] = t.Team(
                name=team["name"], tier=team["tier"], calendar=self._opt(self.calendars, team)
            )
        for person in spec["people"]:
            self.people[person["name"]] = t.Person(
                name=person["name"],
                email=person.get("email", ""),
                team=self._get(self.teams, person["team"]),
            )
        for role in spec["roles"]:
            self.roles[role["name"]] = t.Role(
                name=role["name"],
                team=self._get(self.teams, role["team"]),
                holder=self._get(self.people, role.get("holder")),
                backup=self._get(self.people, role.get("backup")),
            )
        for rank, level in enumerate(spec["levels"], start=1):
            self.levels[level["code"]] = self._level(rank, level)
        for position, rule in enumerate(spec["routing"], start=1):
            self.session.add(
                t.RoutingRule(
                    position=position,
                    match_on=rule["match"],
                    pattern=rule["pattern"],
                    team=self._get(self.teams, rule["team"]),
                    role=self._get(self.roles, rule["role"]),
                )
            )
        self.session.add_all([*self.teams.values(), *self.people.values(), *self.roles.values()])
        self.session.add_all(self.levels.values())
        self.session.flush()
        for esc in spec["escalations"]:
            self._escalation(esc)
        # Written as a history, not through the board: the KPIs' facts are kept in one go.
        self.session.flush()
        keep_facts(self.session.connection(), true())

    def _level(self, rank: int, spec: dict[str, Any]) -> t.SeverityLevel:
        response = parse_duration(spec["target_response"])
        update = parse_duration(spec["update_every"]) if spec.get("update_every") else None
        resolution = (
            parse_duration(spec["target_resolution"]) if spec.get("target_resolution") else None
        )
        level = t.SeverityLevel(
            code=spec["code"],
            name=spec["name"],
            rank=rank,
            colour=spec["colour"],
            target_response_minutes=response.minutes,
            target_response_business=response.business,
            update_every_minutes=update.minutes if update else None,
            update_every_business=bool(update and update.business),
            target_resolution_minutes=resolution.minutes if resolution else None,
            target_resolution_business=bool(resolution and resolution.business),
            method=spec.get("method", ""),
            engineer_role=self._get(self.roles, spec.get("engineer_role")),
            liaison_role=self._get(self.roles, spec.get("liaison_role")),
            updates_by=spec.get("updates_by", "liaison"),
            hand_back=spec.get("hand_back", ""),
        )
        for position, trig in enumerate(spec.get("triggers", [])):
            after = parse_duration(trig["after"]) if trig.get("after") else None
            level.triggers.append(
                t.Trigger(
                    position=position,
                    kind=trig["kind"],
                    text=trig.get("text", ""),
                    after_minutes=after.minutes if after else None,
                    business=bool(after and after.business),
                    customers_at_least=trig.get("customers_at_least"),
                    system_wide=bool(trig.get("system_wide", False)),
                )
            )
        for step in spec.get("steps", []):
            level.steps.append(
                t.EscalationStep(
                    after_minutes=parse_duration(step["after"]).minutes,
                    tier=step.get("tier"),
                    role=self._get(self.roles, step.get("role")),
                )
            )
        for position, name in enumerate(spec.get("contacts", [])):
            role = self._get(self.roles, name)
            assert role is not None
            level.contacts.append(t.LevelContact(position=position, role=role))
        for position, item in enumerate(spec.get("checklist", [])):
            level.checklist.append(
                t.ChecklistTemplateItem(
                    position=position,
                    name=item["name"],
                    evidence=",".join(item.get("evidence", [])),
                    gate=item.get("gate", "warning"),
                )
            )
        return level

    def _escalation(self, spec: dict[str, Any]) -> None:
        ago = spec["ago"]
        when = {key: self._ago(ago.get(key)) for key, _ in _STAGES}
        level = self._get(self.levels, spec["severity"])
        assert level is not None
        status = Status(spec["status"])
        # The example gives no times for these two stages: work starts on acknowledgement,
        # and a hand-back happens with the last update logged before it.
        worked = status in (Status.IN_PROGRESS, Status.HANDED_BACK, Status.RESOLVED, Status.CLOSED)
        started = when["acknowledged"] if worked else None
        last_update = self._ago(ago.get("last_update"))
        handed_back = (last_update or started) if status is Status.HANDED_BACK else None
        row = t.Escalation(
            ref=spec["ref"],
            title=spec["title"],
            customer=spec["customer"],
            module=spec["module"],
            issue_type=spec.get("issue_type", ""),
            severity=level,
            status=status.value,
            team=self._get(self.teams, spec.get("team")),
            role=self._get(self.roles, spec.get("role")),
            owner=self._get(self.people, spec.get("owner")),
            liaison=self._get(self.people, spec.get("liaison")),
            customers_affected=spec.get("customers_affected", 0),
            customer_impact=spec["customer_impact"],
            tried=spec["tried"],
            reproduce=spec["reproduce"],
            created_at=when["created"],
            escalated_at=when["escalated"],
            acknowledged_at=when["acknowledged"],
            started_at=started,
            handed_back_at=handed_back,
            resolved_at=when["resolved"],
            closed_at=when["closed"],
            last_update_at=last_update,
            reopen_count=spec.get("reopen_count", 0),
        )
        done = {item["name"]: item for item in spec.get("checklist_done", [])}
        for position, item in enumerate(level.checklist):
            evidence = done.get(item.name)
            row.checklist.append(
                t.ChecklistEntry(
                    position=position,
                    name=item.name,
                    evidence_kinds=item.evidence,
                    gate=item.gate,
                    done_at=self._ago(evidence["ago"]) if evidence else None,
                    done_by=evidence["by"] if evidence else "",
                    evidence=json.dumps(evidence.get("evidence", {}) if evidence else {}),
                )
            )
        self.session.add(row)
        self.session.flush()
        liaison = spec.get("liaison") or ""
        stages = [(when[key], kind) for key, kind in _STAGES]
        stages += [(started, EventKind.STARTED), (handed_back, EventKind.HANDED_BACK)]
        for moment, kind in stages:
            if moment is not None:
                self.session.add(
                    t.EscalationEvent(escalation_id=row.id, at=moment, actor=liaison, kind=kind)
                )
        for follow_up in spec.get("follow_ups", []):
            due = self.now + timedelta(days=follow_up["due_days"])
            self.session.add(
                t.FollowUp(
                    escalation_id=row.id,
                    title=follow_up["title"],
                    owner=follow_up.get("owner", ""),
                    due=due,
                    link=follow_up.get("link", ""),
                    done_at=due if follow_up.get("done") else None,
                )
            )
        updates = [self._ago(update["ago"]) for update in spec.get("updates", [])]
        for update, moment in zip(spec.get("updates", []), updates, strict=True):
            self.session.add(
                t.EscalationEvent(
                    escalation_id=row.id,
                    at=moment,
                    actor=update["by"],
                    kind=EventKind.UPDATE_LOGGED,
                    detail=update["text"],
                )
            )
        recount_update_gap(self.session, row, [m for m in updates if m is not None])

    def _ago(self, minutes: int | None) -> datetime | None:
        return None if minutes is None else self.now - timedelta(minutes=minutes)

    @staticmethod
    def _get(table: dict[str, _Row], name: str | None) -> _Row | None:
        if name is None:
            return None
        try:
            return table[name]
        except KeyError:
            raise ExampleError(f"The example names {name!r}, which it does not define.") from None

    def _opt(self, table: dict[str, t.Calendar], spec: dict[str, Any]) -> t.Calendar | None:
        return self._get(table, spec.get("calendar"))
