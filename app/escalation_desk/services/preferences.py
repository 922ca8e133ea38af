"""Workspace defaults set once: the default calendar, checklist gates, deadline thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from escalation_desk.domain.clock import Thresholds
from escalation_desk.domain.closure import DefaultGates, Gate
from escalation_desk.store import core
from escalation_desk.store.db import Workspace

DEFAULT_CALENDAR_KEY = "default_calendar"
AT_RISK_KEY = "deadline_at_risk_percent"
CRITICAL_KEY = "deadline_critical_percent"
TOP_LEVEL_GATE_KEY = "checklist_gate_top_level"
OTHER_LEVELS_GATE_KEY = "checklist_gate_other_levels"
SETTING = core.settings.c


@dataclass(frozen=True, slots=True)
class Preferences:
    """The workspace defaults as the Settings dialog shows and saves them."""

    default_calendar: str | None  # a calendar's name; None while the workspace has none
    at_risk_percent: int
    critical_percent: int
    top_level_gate: Gate
    other_levels_gate: Gate

    @property
    def thresholds(self) -> Thresholds:
        """The shares of a deadline's time at which it turns at risk and critical."""
        return Thresholds(self.at_risk_percent / 100, self.critical_percent / 100)

    @property
    def gates(self) -> DefaultGates:
        """The gates new checklist items get."""
        return DefaultGates(self.top_level_gate, self.other_levels_gate)


def _percent(settings: Mapping[str, str], key: str, fallback: float) -> int:
    """A stored whole percentage; the default when missing or not a number (a hand edit)."""
    try:
        return int(settings[key])
    except (KeyError, ValueError):
        return round(fallback * 100)


def _gate(settings: Mapping[str, str], key: str, fallback: Gate) -> Gate:
    try:
        return Gate(settings[key])
    except (KeyError, ValueError):
        return fallback


def preferences_of(settings: Mapping[str, str]) -> Preferences:
    """The defaults held in the settings table's ``settings`` (key -> value).

    A stored pair of thresholds that would not pass ``check`` (edited by hand outside the
    app) is read as the built-in pair, so a board never shows states that cannot happen.
    """
    built_in, gates = Thresholds(), DefaultGates()
    found = Preferences(
        settings.get(DEFAULT_CALENDAR_KEY),
        _percent(settings, AT_RISK_KEY, built_in.at_risk),
        _percent(settings, CRITICAL_KEY, built_in.critical),
        _gate(settings, TOP_LEVEL_GATE_KEY, gates.top_level),
        _gate(settings, OTHER_LEVELS_GATE_KEY, gates.other_levels),
    )
    if _threshold_problem(found.at_risk_percent, found.critical_percent):
        return Preferences(
            found.default_calendar,
            round(built_in.at_risk * 100),
            round(built_in.critical * 100),
            found.top_level_gate,
            found.other_levels_gate,
        )
    return found


def read_preferences(conn: Connection) -> Preferences:
    """The workspace's defaults, read on a connection another query already holds."""
    rows = conn.execute(select(SETTING.key, SETTING.value)).all()
    return preferences_of(dict(rows))


def _threshold_problem(at_risk: int, critical: int) -> str:
    """One sentence on what is wrong with a pair of thresholds, or "" when nothing is."""
    for name, value in (("at risk", at_risk), ("critical", critical)):
        if not 1 <= value <= 99:
            return f"The {name} threshold must be from 1 % to 99 % of the time, not {value} %."
    if at_risk >= critical:
        return (
            f"A deadline must turn at risk before it turns critical: the at-risk threshold "
            f"({at_risk} %) must be below the critical one ({critical} %)."
        )
    return ""


class PreferencesService:
    """Reads the workspace defaults and saves them, all of them in one transaction."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def calendars(self) -> list[str]:
        """The names of the workspace's calendars, in the order they were made."""
        calendar = core.calendars.c
        with self._workspace.query() as conn:
            return list(conn.scalars(select(calendar.name).order_by(calendar.id)))

    def read(self) -> Preferences:
        """The defaults as stored, with the built-in value for any never set.

        The default calendar is the one the clocks fall back on (see ``Clocks``): the named
        one, else the first calendar.
        """
        with self._workspace.query() as conn:
            found = read_preferences(conn)
        names = self.calendars()
        if found.default_calendar not in names:
            found = Preferences(
                names[0] if names else None,
                found.at_risk_percent,
                found.critical_percent,
                found.top_level_gate,
                found.other_levels_gate,
            )
        return found

    def save(self, preferences: Preferences) -> None:
        """Store every default; ValueError with one sentence, and nothing changed, if any is
        not allowed."""
        problem = _threshold_problem(preferences.at_risk_percent, preferences.critical_percent)
        if problem:
            raise ValueError(problem)
        names = self.calendars()
        calendar = preferences.default_calendar
        if calendar is not None and calendar not in names:
            raise ValueError(f"There is no calendar called {calendar} in this workspace.")
        if calendar is None and names:
            raise ValueError("Choose the calendar that clocks follow when nothing else names one.")
        values = {
            AT_RISK_KEY: str(preferences.at_risk_percent),
            CRITICAL_KEY: str(preferences.critical_percent),
            TOP_LEVEL_GATE_KEY: preferences.top_level_gate.value,
            OTHER_LEVELS_GATE_KEY: preferences.other_levels_gate.value,
        }
        if calendar is not None:
            values[DEFAULT_CALENDAR_KEY] = calendar
        # Imported here: Home reads the thresholds at start through preferences_of, and
        # editing brings the ORM, which the first screen must not wait for.
        from escalation_desk.services.editing import edit  # noqa: PLC0415

        with edit(self._workspace, "The workspace settings") as s:
            stored = set(s.scalars(select(SETTING.key).where(SETTING.key.in_(values))))
            for key, value in values.items():
                if key in stored:
                    s.execute(update(core.settings).where(SETTING.key == key).values(value=value))
                else:
                    s.execute(insert(core.settings).values(key=key, value=value))
            if calendar is None:
                s.execute(delete(core.settings).where(SETTING.key == DEFAULT_CALENDAR_KEY))
