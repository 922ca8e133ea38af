"""Escalation KPIs: the rates, medians and counts support is judged by, from plain numbers.

The store hands over counts it has already summed per severity and team (``Tally``), the
lanes' summed times (``LaneTotal``) and one small ``Response`` per escalation; this module
judges responses against targets and turns it all into a ``KpiReport``. The per-row rules
(``sla_verdict``, ``cadence_kept``, ``handed_back_without_work``, ``lane_stays``) are the
definitions the store's sums follow.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from statistics import median
from typing import Any, NamedTuple

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The lanes of the board an escalation passes through, in order; each is entered by a stamp
# (escalated_at, acknowledged_at, started_at, handed_back_at, resolved_at) and left by the
# next stamp present, the last by closed_at.
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


class LevelTargets(NamedTuple):
    """What a severity level promises: an answer within, and an update every (minutes)."""

    code: str
    label: str
    colour: str
    response_minutes: int | None
    update_every_minutes: int | None
    response_business: bool = False  # the target counts working hours only


# Minutes counted between two moments on a business-hours level's calendar; levels without
# one count the wall clock (a plain subtraction, done inline where 100,000 rows pass).
BusinessClock = Callable[[float, float], float]


class WorkingTimeline:
    """Working minutes between epoch-minute moments on one calendar, two look-ups a span.

    Built from the calendar's working windows over the days the figures cover: the minutes
    worked before each window are summed once. It counts as ``BusinessCalendar
    .business_minutes_between`` does (whole minutes, zero unless the end is later), for the
    hundred thousand responses a dashboard judges. Moments beyond the windows given count as
    closed hours: the caller builds them over every day its moments fall on.
    """

    def __init__(self, windows: Sequence[tuple[datetime, datetime]]) -> None:
        self._opens = [epoch_minutes(opens) for opens, _ in windows]
        self._closes = [epoch_minutes(closes) for _, closes in windows]
        self._before = [0.0]
        for opens, closes in zip(self._opens, self._closes, strict=True):
            self._before.append(self._before[-1] + closes - opens)

    def between(self, start: float, end: float) -> float:
        """Whole working minutes from ``start`` to ``end``."""
        if end <= start:
            return 0.0
        # The minutes worked from the first window up to each end, one search each; the
        # start's search goes no further than the end's window.
        opens, closes, before = self._opens, self._closes, self._before
        last = bisect_right(opens, end) - 1
        if last < 0:
            return 0.0
        worked = before[last] + min(end, closes[last]) - opens[last]
        first = bisect_right(opens, start, 0, last + 1) - 1
        if first >= 0:
            worked -= before[first] + min(start, closes[first]) - opens[first]
        # Rounded to the second first: the epoch minutes are whole seconds, their sums not.
        return float(round(worked * 60) // 60)


# -- the per-escalation rules ----------------------------------------------------------------
def sla_verdict(
    made_sla: bool | None,
    response_minutes: float | None,
    waited_minutes: float,
    target_minutes: int | None,
) -> bool | None:
    """Whether a response met its target: True, False, or None when it cannot be judged yet.

    An imported escalation's own verdict comes first. Otherwise an answer within the target
    (on the level's clock) is met and a later one breached; with no answer, waiting past the
    target is already a breach and waiting within it is not judged yet.
    """
    if made_sla is not None:
        return made_sla
    if target_minutes is None:
        return None
    if response_minutes is not None:
        return response_minutes <= target_minutes
    return False if waited_minutes > target_minutes else None


def handed_back_without_work(started: float | None, handed_back: float | None) -> bool:
    """Handed back before engineering started on it: the escalation was not needed."""
    return handed_back is not None and (started is None or started > handed_back)


def lane_stays(
    escalated: float | None,
    acknowledged: float | None,
    started: float | None,
    handed_back: float | None,
    resolved: float | None,
    closed: float | None,
) -> list[tuple[str, float]]:
    """The finished stays in each lane, in minutes: from a lane's stamp to the next stamp
    present. A span that would run backwards (a stamp left from an earlier pass, after a
    hand-back and a new escalation) is not a stay."""
    stamps = (escalated, acknowledged, started, handed_back, resolved)
    stays = []
    for index, (lane, begun) in enumerate(zip(LANES, stamps, strict=True)):
        if begun is None:
            continue
        ended = next((m for m in (*stamps[index + 1 :], closed) if m is not None), None)
        if ended is not None and ended >= begun:
            stays.append((lane, ended - begun))
    return stays


def cadence_kept(longest_gap: float | None, trailing_gap: float, every_minutes: int) -> bool:
    """No stretch without an update longer than the level asks: not between updates
    (``longest_gap``, kept by the board as updates come) nor since the last one."""
    return max(longest_gap or 0.0, trailing_gap) <= every_minutes


# -- what the store hands over ---------------------------------------------------------------
class Tally(NamedTuple):
    """The counts of the escalations at one severity held by one team."""

    severity: str
    team: str
    escalations: int
    in_app: int  # raised in the app, so every step of theirs is timed
    reopened: int
    reassignments: int
    first_time: int  # never moved to another team
    without_work: int  # see handed_back_without_work
    escalate_minutes: float  # summed, opened to escalated, of those raised in the app
    cadence_measured: int
    cadence_kept: int


class LaneTotal(NamedTuple):
    """The finished stays in one lane: how many, and their minutes summed."""

    lane: str
    stays: int
    minutes: float


class Response(NamedTuple):
    """One escalation's response: its export's verdict, when it was escalated and answered."""

    severity: str
    made_sla: bool | None
    escalated: float
    acknowledged: float | None


# A Response as plain values: a store hands a hundred thousand over without building objects.
ResponseRow = tuple[str, bool | None, float, float | None]


class Judged(NamedTuple):
    """Responses of one level the store judged itself (on the wall clock, by ``sla_verdict``'s
    rule): how many were judged and met, and the median time to acknowledge of those answered
    (None without any)."""

    known: int
    met: int
    median_minutes: float | None


# -- the report ------------------------------------------------------------------------------
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
    escalate_mean_minutes: float | None
    target_business: bool = False  # the target, and the times to acknowledge, are working time

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
    """How long escalations stayed in one lane of the board (finished stays only)."""

    lane: str
    stays: int
    mean_minutes: float | None


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
    measured_in_app: int
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

    @property
    def sla_met_rate(self) -> float | None:
        """Share of all judged responses that met their level's target."""
        known = sum(lv.sla_known for lv in self.by_severity)
        return sum(lv.sla_met for lv in self.by_severity) / known if known else None

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
            "time_to_escalate_mean_minutes": {lv.code: lv.escalate_mean_minutes for lv in levels},
            "update_cadence_kept_rate": self.cadence_kept_rate,
            "lane_mean_minutes": {lane.lane: lane.mean_minutes for lane in self.lanes},
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


@dataclass(frozen=True, slots=True)
class Measured:
    """What the store measured for a period and filter, ready to be judged."""

    tallies: Sequence[Tally]
    responses: Iterable[ResponseRow]  # to judge here
    lanes: Sequence[LaneTotal] = ()
    closure: ClosureKpis = field(default_factory=ClosureKpis)
    judged: Mapping[str, Judged] = field(default_factory=dict)  # by severity code
    # Minutes from opening to escalating summed per severity code, beside the tallies' own.
    escalate_minutes: Mapping[str, float] = field(default_factory=dict)


def compute(
    measured: Measured,
    levels: Sequence[LevelTargets],
    now: datetime,
    *,
    business: Mapping[str, BusinessClock] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    tickets: int | None = None,
) -> KpiReport:
    """The KPIs of what was measured; responses are judged here, each on its level's clock
    (``business`` holds the calendars of business-hours levels by code)."""
    targets = {lv.code: lv for lv in levels}
    target_of = {lv.code: lv.response_minutes for lv in levels}
    clocks = business or {}
    now_minutes = epoch_minutes(now)
    known: dict[str, int] = defaultdict(int)
    met: dict[str, int] = defaultdict(int)
    answered: dict[str, list[float]] = defaultdict(list)
    for code, judged in measured.judged.items():
        known[code] += judged.known
        met[code] += judged.met
    for code, made_sla, escalated, acknowledged in measured.responses:
        clock = clocks.get(code)
        target = target_of.get(code)
        response = None
        if acknowledged is not None:
            response = acknowledged - escalated if clock is None else clock(escalated, acknowledged)
            answered[code].append(response)
        waited = 0.0
        if response is None and made_sla is None and target is not None:
            # Only an unanswered escalation needs its wait counted.
            waited = now_minutes - escalated if clock is None else clock(escalated, now_minutes)
        verdict = sla_verdict(made_sla, response, waited, target)
        if verdict is not None:
            known[code] += 1
            met[code] += verdict
    by_level: dict[str, list[Tally]] = defaultdict(list)
    by_team: dict[str, list[Tally]] = defaultdict(list)
    for tally in measured.tallies:
        by_level[tally.severity].append(tally)
        by_team[tally.team].append(tally)
    tallies = measured.tallies
    total = sum(t.escalations for t in tallies)
    order = [lv.code for lv in levels] + sorted(set(by_level) - set(targets))
    return KpiReport(
        start,
        end,
        total,
        sum(t.in_app for t in tallies),
        tuple(
            _severity(
                code,
                targets.get(code),
                by_level[code],
                (known, met, answered),
                measured.escalate_minutes.get(code, 0.0),
                measured.judged.get(code),
            )
            for code in order
        ),
        tuple(_team(name, rows) for name, rows in sorted(by_team.items())),
        _lanes(measured.lanes),
        _share(sum(t.reassignments for t in tallies), total),
        _share(sum(t.first_time for t in tallies), total),
        sum(t.without_work for t in tallies),
        sum(t.reopened for t in tallies),
        sum(t.cadence_measured for t in tallies),
        sum(t.cadence_kept for t in tallies),
        measured.closure,
        tickets,
    )


def item_rates(done: Mapping[str, int], totals: Mapping[str, int]) -> tuple[tuple[str, float], ...]:
    """Each checklist item's share done or waived, in the order ``totals`` gives."""
    return tuple((name, done.get(name, 0) / n) for name, n in totals.items() if n)


def _share(part: float, whole: int) -> float | None:
    return part / whole if whole else None


def _severity(
    code: str,
    level: LevelTargets | None,
    tallies: list[Tally],
    responses: tuple[Mapping[str, int], Mapping[str, int], Mapping[str, list[float]]],
    escalate_minutes: float,
    judged: Judged | None,
) -> SeverityKpis:
    known, met, answered = responses
    times = answered.get(code, [])
    # A level is judged either here (its responses handed over) or by the store, not both.
    judged_median = judged.median_minutes if judged else None
    in_app = sum(t.in_app for t in tallies)
    return SeverityKpis(
        code,
        level.label if level else code,
        level.colour if level else "#777777",
        sum(t.escalations for t in tallies),
        level.response_minutes if level else None,
        known.get(code, 0),
        met.get(code, 0),
        float(median(times)) if times else judged_median,
        _share(sum(t.escalate_minutes for t in tallies) + escalate_minutes, in_app),
        level.response_business if level else False,
    )


def _team(name: str, tallies: list[Tally]) -> TeamKpis:
    total = sum(t.escalations for t in tallies)
    return TeamKpis(
        name,
        total,
        sum(t.reassignments for t in tallies) / total,
        sum(t.first_time for t in tallies) / total,
        sum(t.without_work for t in tallies),
    )


def _lanes(totals: Sequence[LaneTotal]) -> tuple[LaneTime, ...]:
    found = {t.lane: t for t in totals}
    return tuple(
        LaneTime(lane, found[lane].stays, _share(found[lane].minutes, found[lane].stays))
        if lane in found
        else LaneTime(lane, 0, None)
        for lane in LANES
    )
