"""Escalation KPIs from plain facts: the rates, medians and counts support is judged by."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from statistics import median
from typing import Any, NamedTuple

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The lanes of the board an escalation passes through, in order, and the stamp that enters each.
LANES = ("Escalated", "Acknowledged", "In progress", "Handed back", "Resolved")


def period_bounds(
    first: date | None, last: date | None, zone: tzinfo | None = None
) -> tuple[datetime | None, datetime | None]:
    """The moments a period of whole days covers: from ``first``'s midnight up to (not
    including) the midnight after ``last``, on ``zone``'s clock (the computer's if None)."""

    def midnight(day: date) -> datetime:
        start = datetime.combine(day, time())
        return start.replace(tzinfo=zone) if zone is not None else start.astimezone()

    if first is not None and last is not None and last < first:
        raise ValueError(f"The period ends ({last}) before it begins ({first}).")
    return (
        midnight(first) if first is not None else None,
        midnight(last + timedelta(days=1)) if last is not None else None,
    )


def epoch_minutes(moment: datetime) -> float:
    """Minutes since the Unix epoch: the one time scale every KPI is computed on."""
    return (moment - EPOCH) / timedelta(minutes=1)


def from_epoch_minutes(minutes: float) -> datetime:
    """The UTC moment ``minutes`` after the Unix epoch."""
    return EPOCH + timedelta(minutes=minutes)


class Facts(NamedTuple):
    """One escalation as the KPIs see it; times are minutes since the epoch (``epoch_minutes``).

    ``imported`` escalations came from a helpdesk export: their own reassignment and reopen
    counts and SLA verdict (``made_sla``) are used, but the steps the app times (escalating,
    the lanes, the update cadence) are not theirs to measure.
    """

    severity: str
    team: str
    imported: bool
    created: float
    escalated: float | None
    acknowledged: float | None
    started: float | None
    handed_back: float | None
    resolved: float | None
    closed: float | None
    reopens: int = 0
    reassignments: int = 0
    made_sla: bool | None = None
    updates: tuple[float, ...] = ()


class LevelTargets(NamedTuple):
    """What a severity level promises: an answer within, and an update every (minutes)."""

    code: str
    label: str
    colour: str
    response_minutes: int | None
    update_every_minutes: int | None


# Minutes counted on a level's clock between two moments (business time for business-hours
# levels); the default counts the wall clock.
Elapsed = Callable[[str, float, float], float]


def wall_clock(_severity: str, start: float, end: float) -> float:
    """Minutes between two moments, around the clock."""
    return end - start


@dataclass(frozen=True, slots=True)
class SeverityKpis:
    """The figures of one severity level."""

    code: str
    label: str
    colour: str
    escalations: int
    target_minutes: int | None
    sla_known: int  # escalations whose response is judged (met, or late)
    sla_met: int
    acknowledge_median_minutes: float | None
    escalate_median_minutes: float | None

    @property
    def breaches(self) -> int:
        """Responses later than the target (or still awaited past it)."""
        return self.sla_known - self.sla_met

    @property
    def sla_met_rate(self) -> float | None:
        """Share of judged responses that met the target."""
        return self.sla_met / self.sla_known if self.sla_known else None


@dataclass(frozen=True, slots=True)
class TeamKpis:
    """The figures of one team (where the escalation sits now)."""

    team: str
    escalations: int
    reassignments_mean: float
    right_team_first_time: float
    handed_back_without_work: int


@dataclass(frozen=True, slots=True)
class LaneTime:
    """How long escalations stayed in one lane of the board (completed stays only)."""

    lane: str
    stays: int
    median_minutes: float | None


@dataclass(frozen=True, slots=True)
class ClosureKpis:
    """The closure loop: closed escalations whose loop was complete, item by item."""

    closed: int = 0
    complete: int = 0
    items: tuple[tuple[str, float], ...] = ()  # checklist item, share done or waived
    overdue_follow_ups: int = 0
    repeat_incident_groups: int = 0

    @property
    def completion_rate(self) -> float | None:
        """Share of closed escalations with every item done or waived."""
        return self.complete / self.closed if self.closed else None


@dataclass(frozen=True, slots=True)
class KpiReport:
    """Every KPI for one period and filter."""

    start: datetime | None
    end: datetime | None
    escalations: int
    measured_in_app: int  # escalations raised in the app, whose every step is timed
    by_severity: tuple[SeverityKpis, ...]
    by_team: tuple[TeamKpis, ...]
    lanes: tuple[LaneTime, ...]
    reassignments_mean: float | None
    right_team_first_time: float | None
    handed_back_without_work: int
    reopened: int
    cadence_measured: int
    cadence_kept: int
    closure: ClosureKpis = field(default_factory=ClosureKpis)
    tickets: int | None = None  # tickets handled in the period, when the lead says

    @property
    def escalation_rate(self) -> float | None:
        """Escalations per ticket handled, when the number of tickets is known."""
        return self.escalations / self.tickets if self.tickets else None

    @property
    def reopen_rate(self) -> float | None:
        """Share of escalations reopened at least once."""
        return self.reopened / self.escalations if self.escalations else None

    @property
    def over_escalation_rate(self) -> float | None:
        """Share handed back before engineering started work on them."""
        return self.handed_back_without_work / self.escalations if self.escalations else None

    @property
    def cadence_kept_rate(self) -> float | None:
        """Share of escalations whose updates came as often as their level asks."""
        return self.cadence_kept / self.cadence_measured if self.cadence_measured else None

    def as_json(self) -> dict[str, Any]:
        """The documented JSON form of ``kpis --json``."""
        levels = self.by_severity
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "escalations": self.escalations,
            "tickets": self.tickets,
            "escalation_rate": self.escalation_rate,
            "by_severity": {lv.code: lv.escalations for lv in levels},
            "reopen_rate": self.reopen_rate,
            "reassignments_mean": self.reassignments_mean,
            "right_team_first_time": self.right_team_first_time,
            "sla_met_rate": {lv.code: lv.sla_met_rate for lv in levels},
            "sla_breaches": {lv.code: lv.breaches for lv in levels},
            "time_to_acknowledge_median_minutes": {
                lv.code: lv.acknowledge_median_minutes for lv in levels
            },
            "time_to_escalate_median_minutes": {
                lv.code: lv.escalate_median_minutes for lv in levels
            },
            "update_cadence_kept_rate": self.cadence_kept_rate,
            "lane_median_minutes": {lane.lane: lane.median_minutes for lane in self.lanes},
            "handed_back_without_work": self.handed_back_without_work,
            "over_escalation_rate": self.over_escalation_rate,
            "by_team": {
                team.team: {
                    "escalations": team.escalations,
                    "reassignments_mean": team.reassignments_mean,
                    "right_team_first_time": team.right_team_first_time,
                }
                for team in self.by_team
            },
            "closure_completion_rate": self.closure.completion_rate,
            "closure_items_rate": dict(self.closure.items),
            "overdue_follow_ups": self.closure.overdue_follow_ups,
            "repeat_incident_groups": self.closure.repeat_incident_groups,
            "measured_in_app": self.measured_in_app,
        }


def compute(
    facts: Iterable[Facts],
    levels: Sequence[LevelTargets],
    now: datetime,
    *,
    elapsed: Elapsed = wall_clock,
    start: datetime | None = None,
    end: datetime | None = None,
    closure: ClosureKpis | None = None,
    tickets: int | None = None,
) -> KpiReport:
    """The KPIs of ``facts``, the escalations already chosen by period and filter.

    Definitions, so that a figure can be checked by hand:
    - SLA: an imported escalation's own verdict where its export has one; otherwise the
      response (escalated to acknowledged, on the level's clock) against the level's target,
      and one still unacknowledged after its target counts as a breach. Others are pending.
    - Time to acknowledge: escalated to acknowledged, on the level's clock; time to escalate:
      opened to escalated, for escalations raised in the app.
    - Lanes: the time between the stamps that move an escalation from lane to lane, for
      stays that have ended; the board keeps the latest stamp of each, so a second pass
      through a lane counts once.
    - Handed back without work: handed back before engineering started on it.
    - Update cadence: from acknowledgement (or escalation) to resolution (or now), no gap
      between updates longer than the level asks.
    """
    now_minutes = epoch_minutes(now)
    targets = {lv.code: lv for lv in levels}
    count: dict[str, int] = defaultdict(int)
    known: dict[str, int] = defaultdict(int)
    met: dict[str, int] = defaultdict(int)
    acknowledge: dict[str, list[float]] = defaultdict(list)
    escalate: dict[str, list[float]] = defaultdict(list)
    teams: dict[str, list[Facts]] = defaultdict(list)
    lanes: dict[str, list[float]] = defaultdict(list)
    total = in_app = reopened = reassignments = first_time = without_work = 0
    cadence_measured = cadence_kept = 0
    for fact in facts:
        total += 1
        code = fact.severity
        count[code] += 1
        teams[fact.team].append(fact)
        reassignments += fact.reassignments
        first_time += fact.reassignments == 0
        reopened += fact.reopens > 0
        without_work += _without_work(fact)
        level = targets.get(code)
        verdict = _sla_verdict(fact, level, now_minutes, elapsed)
        if verdict is not None:
            known[code] += 1
            met[code] += verdict
        if fact.escalated is not None and fact.acknowledged is not None:
            acknowledge[code].append(elapsed(code, fact.escalated, fact.acknowledged))
        if fact.imported:
            continue
        in_app += 1
        if fact.escalated is not None:
            escalate[code].append(fact.escalated - fact.created)
        for lane, minutes in _lane_stays(fact):
            lanes[lane].append(minutes)
        if level is not None and level.update_every_minutes and fact.escalated is not None:
            cadence_measured += 1
            cadence_kept += _cadence_kept(fact, level.update_every_minutes, now_minutes, elapsed)
    order = [lv.code for lv in levels] + sorted(set(count) - set(targets))
    by_severity = tuple(
        SeverityKpis(
            code,
            targets[code].label if code in targets else code,
            targets[code].colour if code in targets else "#777777",
            count[code],
            targets[code].response_minutes if code in targets else None,
            known[code],
            met[code],
            _median(acknowledge[code]),
            _median(escalate[code]),
        )
        for code in order
    )
    return KpiReport(
        start,
        end,
        total,
        in_app,
        by_severity,
        tuple(_team(name, rows) for name, rows in sorted(teams.items())),
        tuple(LaneTime(lane, len(lanes[lane]), _median(lanes[lane])) for lane in LANES),
        reassignments / total if total else None,
        first_time / total if total else None,
        without_work,
        reopened,
        cadence_measured,
        cadence_kept,
        closure or ClosureKpis(),
        tickets,
    )


def item_rates(done: Mapping[str, int], totals: Mapping[str, int]) -> tuple[tuple[str, float], ...]:
    """Each checklist item's share done or waived, in the order ``totals`` gives."""
    return tuple((name, done.get(name, 0) / n) for name, n in totals.items() if n)


def _median(values: list[float]) -> float | None:
    return float(median(values)) if values else None


def _sla_verdict(
    fact: Facts, level: LevelTargets | None, now: float, elapsed: Elapsed
) -> bool | None:
    """Met (True), breached (False), or not judged yet / not measurable (None)."""
    if fact.made_sla is not None:
        return fact.made_sla
    if level is None or level.response_minutes is None or fact.escalated is None:
        return None
    answered = fact.acknowledged if fact.acknowledged is not None else now
    on_time = elapsed(fact.severity, fact.escalated, answered) <= level.response_minutes
    if fact.acknowledged is None and on_time:
        return None  # still within its target: nothing to judge yet
    return on_time


def _without_work(fact: Facts) -> bool:
    handed = fact.handed_back
    return handed is not None and (fact.started is None or fact.started > handed)


def _lane_stays(fact: Facts) -> list[tuple[str, float]]:
    stamps = sorted(
        (moment, lane)
        for moment, lane in zip(
            (fact.escalated, fact.acknowledged, fact.started, fact.handed_back, fact.resolved),
            LANES,
            strict=True,
        )
        if moment is not None
    )
    if fact.closed is not None:
        stamps.append((fact.closed, ""))
    return [(lane, after - before) for (before, lane), (after, _) in pairwise(stamps)]


def _cadence_kept(fact: Facts, every: int, now: float, elapsed: Elapsed) -> bool:
    start = fact.acknowledged if fact.acknowledged is not None else fact.escalated
    assert start is not None
    end = fact.resolved if fact.resolved is not None else now
    previous = start
    for moment in (*sorted(u for u in fact.updates if start <= u <= end), end):
        if elapsed(fact.severity, previous, moment) > every:
            return False
        previous = moment
    return True


def _team(name: str, rows: list[Facts]) -> TeamKpis:
    total = len(rows)
    return TeamKpis(
        name,
        total,
        sum(r.reassignments for r in rows) / total,
        sum(r.reassignments == 0 for r in rows) / total,
        sum(_without_work(r) for r in rows),
    )
