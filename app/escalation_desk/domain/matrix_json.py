"""The matrix as plain JSON data: the stable interface for scripts and the stored published form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from escalation_desk.domain.directory import Person, Role, Team
from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import (
    EscalationStep,
    SeverityLevel,
    Trigger,
    TriggerKind,
    UpdatesBy,
)
from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.domain.snapshot import MatrixSnapshot

__all__ = ["MatrixJsonError", "from_json", "to_json"]

_T = TypeVar("_T")


class MatrixJsonError(ValueError):
    """The data is not a matrix as to_json writes it; ``str(exc)`` says where and why."""


def to_json(snapshot: MatrixSnapshot, version: int | None) -> dict[str, Any]:
    """The snapshot as JSON-ready data; ``version`` is the published version, None for a draft.

    Durations are whole minutes with a separate ``..._business`` flag; roles, teams and people
    are referred to by name.
    """
    return {
        "version": version,
        "levels": [_level_to_json(level) for level in snapshot.levels],
        "routing": [
            {
                "order": rule.order,
                "match": rule.match_on.value,
                "pattern": rule.pattern,
                "team": rule.team,
                "role": rule.role,
            }
            for rule in snapshot.routing
        ],
        "roles": [
            {"name": role.name, "team": role.team, "holder": role.holder, "backup": role.backup}
            for role in snapshot.roles
        ],
        "teams": [
            {"name": team.name, "tier": team.tier, "calendar": team.calendar}
            for team in snapshot.teams
        ],
        "people": [
            {"name": person.name, "email": person.email, "team": person.team}
            for person in snapshot.people
        ],
        "used_modules": list(snapshot.used_modules),
        "used_issue_types": list(snapshot.used_issue_types),
    }


def from_json(data: dict[str, Any]) -> MatrixSnapshot:
    """The snapshot that to_json wrote; raises MatrixJsonError on data of the wrong shape.

    Keys that to_json always writes but a hand-written script may leave out fall back to
    their defaults ("version" is not read: it belongs to the stored version, not the matrix).
    """
    reader = _Reader(data, "the matrix")
    return MatrixSnapshot(
        levels=tuple(reader.items("levels", _level_from_json)),
        routing=tuple(reader.items("routing", _rule_from_json)),
        roles=tuple(reader.items("roles", _role_from_json)),
        teams=tuple(reader.items("teams", _team_from_json)),
        people=tuple(reader.items("people", _person_from_json)),
        used_modules=tuple(reader.strings("used_modules")),
        used_issue_types=tuple(reader.strings("used_issue_types")),
    )


# --- writing ----------------------------------------------------------------------------------


def _level_to_json(level: SeverityLevel) -> dict[str, Any]:
    return {
        "code": level.code,
        "name": level.name,
        "rank": level.rank,
        "colour": level.colour,
        "target_response_minutes": _minutes(level.target_response),
        "target_response_business": _business(level.target_response),
        "update_every_minutes": _minutes(level.update_every),
        "update_every_business": _business(level.update_every),
        "target_resolution_minutes": _minutes(level.target_resolution),
        "target_resolution_business": _business(level.target_resolution),
        # Derived from the target response; written for scripts, not read back.
        "business_hours": level.business_hours,
        "triggers": [
            {
                "kind": trigger.kind.value,
                "text": trigger.text,
                "after_minutes": _minutes(trigger.after),
                "business": _business(trigger.after),
                "customers_at_least": trigger.customers_at_least,
                "system_wide": trigger.system_wide,
            }
            for trigger in level.triggers
        ],
        "steps": [
            {"after_minutes": step.after_minutes, "role": step.role, "tier": step.tier}
            for step in level.steps
        ],
        "contacts": list(level.contacts),
        "method": level.method,
        # Derived from the two roles below; written for scripts, not read back.
        "owner_roles": [role for role in (level.engineer_role, level.liaison_role) if role],
        "engineer_role": level.engineer_role,
        "liaison_role": level.liaison_role,
        "updates_by": level.updates_by.value,
        "hand_back": level.hand_back,
    }


def _minutes(duration: Duration | None) -> int | None:
    return None if duration is None else duration.minutes


def _business(duration: Duration | None) -> bool:
    return duration is not None and duration.business


# --- reading ----------------------------------------------------------------------------------


class _Reader:
    """Typed access to one JSON object, naming the object in every error."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise MatrixJsonError(f"Expected an object for {where}, found {_kind(data)}.")
        self.data: dict[str, Any] = data
        self.where = where

    def _value(self, key: str, expected: str, check: Callable[[object], bool]) -> Any:
        value = self.data.get(key)
        if not check(value):
            raise MatrixJsonError(
                f'Expected {expected} for "{key}" in {self.where}, found {_kind(value)}.'
            )
        return value

    def text(self, key: str, default: str | None = None) -> str:
        if default is not None and self.data.get(key) is None:
            return default
        value: str = self._value(key, "text", lambda v: isinstance(v, str))
        return value

    def optional_text(self, key: str) -> str | None:
        value: str | None = self._value(key, "text or null", lambda v: v is None or _is_str(v))
        return value

    def integer(self, key: str) -> int:
        value: int = self._value(key, "a whole number", _is_int)
        return value

    def optional_integer(self, key: str) -> int | None:
        value: int | None = self._value(
            key, "a whole number or null", lambda v: v is None or _is_int(v)
        )
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        if self.data.get(key) is None:
            return default
        value: bool = self._value(key, "true or false", lambda v: isinstance(v, bool))
        return value

    def duration(self, key: str, default_business: bool = False) -> Duration | None:
        minutes = self.optional_integer(f"{key}_minutes")
        if minutes is None:
            return None
        if minutes < 0:
            raise MatrixJsonError(
                f'Expected a duration of zero minutes or more for "{key}_minutes" in '
                f"{self.where}, found {minutes}."
            )
        return Duration(minutes, self.flag(f"{key}_business", default_business))

    def strings(self, key: str) -> list[str]:
        values = self._list(key)
        for index, value in enumerate(values):
            if not isinstance(value, str):
                raise MatrixJsonError(
                    f'Expected text for item {index + 1} of "{key}" in {self.where}, '
                    f"found {_kind(value)}."
                )
        return [str(value) for value in values]

    def items(self, key: str, read: Callable[[_Reader], _T]) -> list[_T]:
        return [
            read(_Reader(value, f'item {index + 1} of "{key}" in {self.where}'))
            for index, value in enumerate(self._list(key))
        ]

    def choice(self, key: str, kind: Callable[[str], _T], default: str | None = None) -> _T:
        text = self.text(key, default)
        try:
            return kind(text)
        except ValueError:
            raise MatrixJsonError(
                f'"{text}" is not a known value for "{key}" in {self.where}.'
            ) from None

    def _list(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise MatrixJsonError(
                f'Expected a list for "{key}" in {self.where}, found {_kind(value)}.'
            )
        return value


def _level_from_json(reader: _Reader) -> SeverityLevel:
    # A script may write only the documented keys: "business_hours" then stands for the flag
    # of the target response, and "owner_roles" for the engineer and liaison roles.
    business_hours = reader.flag("business_hours")
    engineer, liaison = _owner_roles(reader)
    return SeverityLevel(
        code=reader.text("code"),
        name=reader.text("name", ""),
        rank=reader.integer("rank"),
        colour=reader.text("colour", ""),
        target_response=reader.duration("target_response", business_hours),
        update_every=reader.duration("update_every", business_hours),
        target_resolution=reader.duration("target_resolution", business_hours),
        method=reader.text("method", ""),
        contacts=tuple(reader.strings("contacts")),
        engineer_role=engineer,
        liaison_role=liaison,
        updates_by=reader.choice("updates_by", UpdatesBy, UpdatesBy.LIAISON.value),
        hand_back=reader.text("hand_back", ""),
        triggers=tuple(reader.items("triggers", _trigger_from_json)),
        steps=tuple(reader.items("steps", _step_from_json)),
    )


def _owner_roles(reader: _Reader) -> tuple[str | None, str | None]:
    if "engineer_role" in reader.data or "liaison_role" in reader.data:
        return reader.optional_text("engineer_role"), reader.optional_text("liaison_role")
    owners = reader.strings("owner_roles")
    return (owners[0] if owners else None), (owners[1] if len(owners) > 1 else None)


def _trigger_from_json(reader: _Reader) -> Trigger:
    minutes = reader.optional_integer("after_minutes")
    if minutes is not None and minutes < 0:
        raise MatrixJsonError(
            f'Expected zero minutes or more for "after_minutes" in {reader.where}, found {minutes}.'
        )
    return Trigger(
        kind=reader.choice("kind", TriggerKind),
        text=reader.text("text", ""),
        after=None if minutes is None else Duration(minutes, reader.flag("business")),
        customers_at_least=reader.optional_integer("customers_at_least"),
        system_wide=reader.flag("system_wide"),
    )


def _step_from_json(reader: _Reader) -> EscalationStep:
    return EscalationStep(
        after_minutes=reader.integer("after_minutes"),
        role=reader.optional_text("role"),
        tier=reader.optional_integer("tier"),
    )


def _rule_from_json(reader: _Reader) -> RoutingRule:
    return RoutingRule(
        order=reader.integer("order"),
        match_on=reader.choice("match", MatchOn),
        pattern=reader.text("pattern"),
        team=reader.text("team"),
        role=reader.text("role"),
    )


def _role_from_json(reader: _Reader) -> Role:
    return Role(
        name=reader.text("name"),
        team=reader.optional_text("team"),
        holder=reader.optional_text("holder"),
        backup=reader.optional_text("backup"),
    )


def _team_from_json(reader: _Reader) -> Team:
    return Team(
        name=reader.text("name"),
        tier=reader.integer("tier"),
        calendar=reader.optional_text("calendar"),
    )


def _person_from_json(reader: _Reader) -> Person:
    return Person(
        name=reader.text("name"),
        email=reader.text("email", ""),
        team=reader.optional_text("team"),
    )


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_int(value: object) -> bool:
    # JSON true and false load as bool, which Python counts as int; neither is a number here.
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f'the text "{value[:40]}"'
    if isinstance(value, list):
        return "a list"
    return "an object"
