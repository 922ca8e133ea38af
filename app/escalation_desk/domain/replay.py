"""What-if replay: past tickets run through a matrix and its routing, and two matrices compared.

How a past ticket is replayed against one matrix:

- **Level.** The ticket's raw priority is looked up in the matrix's ``priority_levels``
  (worked out by the caller with the same mapping the ticket import uses). A priority that
  maps to no level of that matrix is not guessed: the ticket is left out of that matrix's
  replay and counted under ``unmapped_priorities``.
- **Route.** The first routing rule matching the ticket's module or issue type, as
  ``routing.route`` decides; an escalation no rule catches lands on ``UNROUTED``. The team
  the helpdesk actually assigned plays no part: the replay asks where the matrix sends it.
- **Escalation.** A time trigger fires its ``after`` time after the ticket was created unless
  the ticket was resolved by then (resolved, else closed; "no progress" is read as "no
  resolution", as exports do not record progress). An impact trigger with a number of
  customers fires at creation when the caller knows the customers affected (exports do not
  say; pass ``customers_affected``). Scope and system-wide triggers need an agent's judgement
  and never fire in a replay. The ticket escalates at the earliest trigger that fires.
- **Still open.** A ticket with no resolution is judged as of the export's newest moment (the
  latest creation, response, resolution or close time it holds): the export was taken then.
- **Deadlines.** The level's response target is compared with the ticket's own first
  response, and its resolution target with its resolution, both counted from creation; a
  ticket still open past its resolution target counts as breached. Deadlines are checked on
  every replayed ticket, escalated or not: they are the level's targets for its tickets.
- **Business time.** A business duration runs on the level's own calendar, else the routed
  team's, else the workspace default, as the board's clocks do; others run on the wall clock.
- **When.** Escalations are counted by the day, ISO week and hour at which they fire, on the
  ticket's own clock (its offset if the export wrote one, else the computer's zone).

Naive times are read in the zone given, else the computer's, as the ticket import reads them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from escalation_desk.domain.clock import STANDARD_WEEK, WEEKDAYS, BusinessCalendar
from escalation_desk.domain.directory import Team
from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import SeverityLevel, TriggerKind
from escalation_desk.domain.routing import route
from escalation_desk.domain.snapshot import MatrixSnapshot

__all__ = [
    "UNROUTED",
    "BreachCount",
    "Calendars",
    "Landing",
    "LevelTally",
    "MatrixReplay",
    "MovedTicket",
    "PastTicket",
    "Replay",
    "ReplayDifference",
    "ReplayMatrix",
    "Side",
    "WorkingClock",
    "replay",
]

# The team and role of an escalation that no routing rule catches.
UNROUTED = "(no route)"
_TEN_YEARS_OF_DAYS = 3660  # as BusinessCalendar gives up: far beyond any deadline
_CENTURY = timedelta(days=36_525)  # wider than any real export's dates


class PastTicket(Protocol):
    """What the replay reads of a past ticket; the ticket parser's ParsedTicket fits."""

    @property
    def ref(self) -> str: ...
    @property
    def module(self) -> str: ...
    @property
    def issue_type(self) -> str: ...
    @property
    def priority(self) -> str: ...
    @property
    def created_at(self) -> datetime | None: ...
    @property
    def resolved_at(self) -> datetime | None: ...
    @property
    def closed_at(self) -> datetime | None: ...
    @property
    def first_response_minutes(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class ReplayMatrix:
    """One matrix to replay against, its label ("draft", "version 3") and how raw priorities
    map onto its levels ("" stands for tickets without a priority)."""

    label: str
    snapshot: MatrixSnapshot
    priority_levels: Mapping[str, str | None]


@dataclass(frozen=True, slots=True)
class Calendars:
    """The working calendars business durations may run on, chosen as the board chooses."""

    by_name: Mapping[str, BusinessCalendar] = field(default_factory=dict)
    level_calendar: Mapping[str, str] = field(default_factory=dict)  # level code -> name
    default: BusinessCalendar = STANDARD_WEEK

    def for_ticket(self, level_code: str, team: Team | None) -> BusinessCalendar:
        """The level's own calendar, else the team's, else the default."""
        for name in (self.level_calendar.get(level_code), team.calendar if team else None):
            if name and name in self.by_name:
                return self.by_name[name]
        return self.default


class WorkingClock:
    """A calendar's working hours laid end to end in seconds, built day by day as needed.

    Adding working time is then a binary search instead of a walk over days, which is what
    lets 100,000 tickets on business-hours levels replay in about a second. It agrees with
    ``BusinessCalendar.add_working_time`` to the second.
    """

    def __init__(self, calendar: BusinessCalendar, first_day: date) -> None:
        self._calendar = calendar
        self._zone = ZoneInfo(calendar.timezone)
        self._last_day = first_day + _CENTURY
        self._next_day = first_day
        self._built_until = self._midnight(first_day)
        self._opens: list[float] = []
        self._before: list[float] = []  # working seconds before each window opens
        self._upto: list[float] = []  # working seconds when each window closes

    def add(self, start: float, seconds: float) -> float:
        """The moment (a POSIX timestamp) ``seconds`` of working time after ``start``."""
        target = self._position(start) + seconds
        # Zero working time from outside working hours is the next opening; otherwise a span
        # that ends exactly at a closing time ends there, as BusinessCalendar has it.
        find = bisect_left if seconds else bisect_right
        self._cover_work(target, strictly=not seconds)
        index = find(self._upto, target)
        return self._opens[index] + (target - self._before[index])

    def _position(self, moment: float) -> float:
        """Working seconds from the first day up to ``moment``."""
        self._cover_moment(moment)
        index = bisect_right(self._opens, moment) - 1
        if index < 0:
            return 0.0
        opened = self._opens[index]
        return self._before[index] + min(moment - opened, self._upto[index] - self._before[index])

    def _cover_moment(self, moment: float) -> None:
        while self._built_until <= moment:
            self._add_day()

    def _cover_work(self, target: float, *, strictly: bool) -> None:
        days = 0
        while not self._upto or self._upto[-1] < target or (strictly and self._upto[-1] == target):
            self._add_day()
            days += 1
            if days > _TEN_YEARS_OF_DAYS:
                raise ValueError(
                    f"No working time within ten years on calendar {self._calendar.name!r}."
                )

    def _add_day(self) -> None:
        day = self._next_day
        if day > self._last_day:
            # A mistyped year (2106 for 2016) would otherwise lay out days for minutes.
            raise ValueError("The tickets' dates span more than a century; check their years.")
        hours = self._calendar.weekly_hours.get(WEEKDAYS[day.weekday()])
        if hours is not None and day not in self._calendar.holidays:
            # Local wall-clock hours, so that a daylight-saving change moves the window in UTC.
            opens = datetime.combine(day, hours[0], tzinfo=self._zone).timestamp()
            closes = datetime.combine(day, hours[1], tzinfo=self._zone).timestamp()
            if closes > opens:
                worked = self._upto[-1] if self._upto else 0.0
                self._opens.append(opens)
                self._before.append(worked)
                self._upto.append(worked + closes - opens)
        self._next_day = day + timedelta(days=1)
        self._built_until = self._midnight(self._next_day)

    def _midnight(self, day: date) -> float:
        return datetime.combine(day, datetime.min.time(), tzinfo=self._zone).timestamp()


# --- results ------------------------------------------------------------------------------


class Landing(NamedTuple):
    """Where an escalation lands: the team and role routing sends it to."""

    team: str
    role: str


@dataclass(frozen=True, slots=True)
class BreachCount:
    """Deadlines that could be judged from the export, and how many were breached."""

    checked: int = 0
    breached: int = 0

    def as_json(self) -> dict[str, int]:
        """``{"checked", "breached"}``."""
        return {"checked": self.checked, "breached": self.breached}


@dataclass(frozen=True, slots=True)
class LevelTally:
    """One level's tickets, escalations and breached deadlines."""

    tickets: int = 0
    escalations: int = 0
    response_breaches: int = 0
    resolution_breaches: int = 0

    def as_json(self) -> dict[str, int]:
        """``{"tickets", "escalations", "response_breaches", "resolution_breaches"}``."""
        return {
            "tickets": self.tickets,
            "escalations": self.escalations,
            "response_breaches": self.response_breaches,
            "resolution_breaches": self.resolution_breaches,
        }


@dataclass(frozen=True, slots=True)
class MatrixReplay:
    """What one matrix would have done with the tickets.

    Counts by team and role are sorted most escalations first and add up to
    ``escalations`` (escalations no rule routes count under ``UNROUTED``). ``landings`` holds,
    per ticket in the order given, where it escalated, or None.
    """

    label: str
    priorities: dict[str, str | None]  # raw priority -> level code, None when unmapped
    replayed: int
    escalations: int
    unmapped_priorities: dict[str, int]  # raw priority -> tickets left out
    by_level: dict[str, LevelTally]
    by_team: dict[str, int]
    by_role: dict[str, int]
    by_day: dict[str, int]
    by_week: dict[str, int]
    by_hour: tuple[int, ...]
    response: BreachCount
    resolution: BreachCount
    landings: tuple[Landing | None, ...] = field(repr=False, compare=False)

    def as_json(self) -> dict[str, Any]:
        """The documented JSON form (see ``Replay.as_json``)."""
        return {
            "label": self.label,
            "priorities": self.priorities,
            "replayed": self.replayed,
            "escalations": self.escalations,
            "unmapped_priorities": self.unmapped_priorities,
            "by_level": {code: tally.as_json() for code, tally in self.by_level.items()},
            "by_team": self.by_team,
            "by_role": self.by_role,
            "by_day": self.by_day,
            "by_week": self.by_week,
            "by_hour": list(self.by_hour),
            "breaches": {
                "response": self.response.as_json(),
                "resolution": self.resolution.as_json(),
            },
        }


@dataclass(frozen=True, slots=True)
class Side:
    """A count under matrix A and under matrix B."""

    a: int
    b: int

    @property
    def change(self) -> int:
        """B - A."""
        return self.b - self.a

    def as_json(self) -> dict[str, int]:
        """``{"a", "b", "change"}``."""
        return {"a": self.a, "b": self.b, "change": self.change}


@dataclass(frozen=True, slots=True)
class MovedTicket:
    """A ticket whose escalation lands on another team under B than under A (None: it does
    not escalate under that matrix)."""

    ref: str
    a: Landing | None
    b: Landing | None

    def as_json(self) -> dict[str, str | None]:
        """``{"ref", "from_team", "from_role", "to_team", "to_role"}``."""
        return {
            "ref": self.ref,
            "from_team": self.a.team if self.a else None,
            "from_role": self.a.role if self.a else None,
            "to_team": self.b.team if self.b else None,
            "to_role": self.b.role if self.b else None,
        }


@dataclass(frozen=True, slots=True)
class ReplayDifference:
    """Matrix B against matrix A: per team and role the biggest changes first, and the
    tickets whose escalation moves to another team."""

    escalations: Side
    response_breaches: Side
    resolution_breaches: Side
    by_team: dict[str, Side]
    by_role: dict[str, Side]
    moved: tuple[MovedTicket, ...]

    def moves(self) -> list[tuple[str | None, str | None, int]]:
        """(from team, to team, tickets) for each move, the most tickets first."""
        counted = Counter(
            (m.a.team if m.a else None, m.b.team if m.b else None) for m in self.moved
        )
        return [(a, b, n) for (a, b), n in sorted(counted.items(), key=_most_first)]

    def as_json(self) -> dict[str, Any]:
        """The documented JSON form (see ``Replay.as_json``)."""
        return {
            "escalations": self.escalations.as_json(),
            "response_breaches": self.response_breaches.as_json(),
            "resolution_breaches": self.resolution_breaches.as_json(),
            "by_team": {name: side.as_json() for name, side in self.by_team.items()},
            "by_role": {name: side.as_json() for name, side in self.by_role.items()},
            "moves": [{"from": a, "to": b, "tickets": n} for a, b, n in self.moves()],
            "moved": [m.as_json() for m in self.moved],
        }


@dataclass(frozen=True, slots=True)
class Replay:
    """The tickets replayed against matrix B and, when compared, against matrix A."""

    tickets: int
    without_created: int
    as_of: datetime | None
    b: MatrixReplay
    a: MatrixReplay | None = None
    difference: ReplayDifference | None = None

    def as_json(self) -> dict[str, Any]:
        """The documented JSON form of ``replay --json``.

        ``{"tickets", "without_created", "as_of", "a", "b", "difference"}``: ``a`` and
        ``difference`` are null without a comparison. Each of ``a`` and ``b`` is
        ``{"label", "priorities": {raw: code or null}, "replayed", "escalations",
        "unmapped_priorities": {raw: tickets},
        "by_level": {code: {"tickets", "escalations", "response_breaches",
        "resolution_breaches"}}, "by_team": {team: n}, "by_role": {role: n},
        "by_day": {"YYYY-MM-DD": n}, "by_week": {"YYYY-Www": n}, "by_hour": [24 counts],
        "breaches": {"response": {"checked", "breached"}, "resolution": {...}}}``.
        ``difference`` is ``{"escalations", "response_breaches", "resolution_breaches",
        "by_team": {team: {"a", "b", "change"}}, "by_role": {...}, "moves": [{"from", "to",
        "tickets"}], "moved": [{"ref", "from_team", "from_role", "to_team", "to_role"}]}``
        where a null team means the ticket does not escalate under that matrix.
        """
        return {
            "tickets": self.tickets,
            "without_created": self.without_created,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "a": self.a.as_json() if self.a else None,
            "b": self.b.as_json(),
            "difference": self.difference.as_json() if self.difference else None,
        }


def _most_first(item: tuple[Any, int]) -> tuple[int, str]:
    return -item[1], str(item[0])


# --- replaying ----------------------------------------------------------------------------


class _Facts(NamedTuple):
    """A ticket's times as POSIX timestamps, worked out once for both matrices."""

    position: int  # in the tickets given
    priority: str
    route_key: tuple[str, str]
    created: float
    zone: tzinfo | None  # the clock the ticket's times are written on
    responded: float | None
    resolved: float | None
    customers: int | None


@dataclass(frozen=True, slots=True)
class _Plan:
    """A level's triggers and targets for tickets routed to one team, in seconds."""

    landing: Landing
    wall_trigger: float | None
    business_trigger: float | None
    customers_at_least: int | None
    response: Duration | None
    resolution: Duration | None
    clock: WorkingClock

    def later(self, start: float, duration: Duration) -> float:
        """``duration`` after ``start``: working time on the plan's calendar when business."""
        seconds = duration.minutes * 60.0
        return self.clock.add(start, seconds) if duration.business else start + seconds

    def fires_at(self, ticket: _Facts) -> float | None:
        """The earliest moment one of the level's triggers fires, resolved or not."""
        least, customers = self.customers_at_least, ticket.customers
        if least is not None and customers is not None and customers >= least:
            return ticket.created  # an impact trigger: no time trigger can fire earlier
        wall = None if self.wall_trigger is None else ticket.created + self.wall_trigger
        if self.business_trigger is None:
            return wall
        business = self.clock.add(ticket.created, self.business_trigger)
        return business if wall is None else min(wall, business)


def _in_zone(moment: datetime, zone: tzinfo | None) -> datetime:
    """A naive time read in ``zone``; without one, timestamp() reads it in the computer's."""
    return moment.replace(tzinfo=zone) if zone is not None and moment.tzinfo is None else moment


def _stamp(moment: datetime | None, zone: tzinfo | None) -> float | None:
    return _in_zone(moment, zone).timestamp() if moment is not None else None


def _facts(
    tickets: Sequence[PastTicket], customers_affected: Mapping[str, int], zone: tzinfo | None
) -> tuple[list[_Facts], float | None]:
    """Every ticket with a creation time, and the export's newest moment."""
    facts: list[_Facts] = []
    newest: float | None = None
    for index, ticket in enumerate(tickets):
        if ticket.created_at is None:
            continue
        created = _in_zone(ticket.created_at, zone)
        start = created.timestamp()
        resolved = _stamp(ticket.resolved_at or ticket.closed_at, zone)
        closed = _stamp(ticket.closed_at, zone)
        minutes = ticket.first_response_minutes
        responded = start + minutes * 60.0 if minutes is not None else None
        for moment in (start, resolved, closed, responded):
            if moment is not None and (newest is None or moment > newest):
                newest = moment
        facts.append(
            _Facts(
                index,
                ticket.priority,
                (ticket.module, ticket.issue_type),
                start,
                created.tzinfo,
                responded,
                resolved,
                customers_affected.get(ticket.ref),
            )
        )
    return facts, newest


class _Planner:
    """Routes per (module, issue type) and plans per (level, team), each worked out once."""

    def __init__(
        self, matrix: ReplayMatrix, calendars: Calendars, clocks: dict[str, WorkingClock]
    ) -> None:
        self._snapshot = matrix.snapshot
        self._calendars = calendars
        self._clocks = clocks
        self._routes: dict[tuple[str, str], Landing] = {}
        self._plans: dict[tuple[str, tuple[str, str]], _Plan] = {}
        self._levels = {level.code: level for level in matrix.snapshot.levels}
        # A code the matrix lacks (a lead's --priority choice, say) maps to nothing here.
        self.priorities = {
            raw: code if code in self._levels else None
            for raw, code in matrix.priority_levels.items()
        }
        self.level_of = {raw: code for raw, code in self.priorities.items() if code}

    def plan(self, code: str, route_key: tuple[str, str]) -> _Plan:
        """The plan for a ticket of level ``code`` about this module and issue type."""
        key = (code, route_key)
        found = self._plans.get(key)
        if found is None:
            found = self._plans[key] = self._make(self._levels[code], self._landing(route_key))
        return found

    def _landing(self, route_key: tuple[str, str]) -> Landing:
        found = self._routes.get(route_key)
        if found is None:
            rule = route(self._snapshot.routing, *route_key)
            found = Landing(rule.team, rule.role) if rule else Landing(UNROUTED, UNROUTED)
            self._routes[route_key] = found
        return found

    def _make(self, level: SeverityLevel, landing: Landing) -> _Plan:
        calendar = self._calendars.for_ticket(level.code, self._snapshot.team(landing.team))
        clock = self._clocks[calendar.name]
        after = [t.after for t in level.triggers if t.kind is TriggerKind.TIME and t.after]
        impact = [
            t.customers_at_least
            for t in level.triggers
            if t.kind is TriggerKind.IMPACT and t.customers_at_least is not None
        ]
        return _Plan(
            landing,
            _least(d.minutes * 60.0 for d in after if not d.business),
            _least(d.minutes * 60.0 for d in after if d.business),
            min(impact) if impact else None,
            level.target_response,
            level.target_resolution,
            clock,
        )


def _least(values: Iterable[float]) -> float | None:
    return min(values, default=None)


class _Tally:
    """Counters for one matrix, filled ticket by ticket."""

    def __init__(self, size: int) -> None:
        self.landings: list[Landing | None] = [None] * size
        self.unmapped: Counter[str] = Counter()
        self.tickets: Counter[str] = Counter()
        self.escalations: Counter[str] = Counter()
        self.response_breaches: Counter[str] = Counter()
        self.resolution_breaches: Counter[str] = Counter()
        self.landed: Counter[Landing] = Counter()
        self.days: Counter[date] = Counter()
        self.hours = [0] * 24
        self.response_checked = 0
        self.resolution_checked = 0

    def result(self, matrix: ReplayMatrix, priorities: dict[str, str | None]) -> MatrixReplay:
        """The counts as the result of replaying against ``matrix``."""
        weeks: Counter[str] = Counter()
        for day, count in self.days.items():
            year, week, _ = day.isocalendar()
            weeks[f"{year}-W{week:02d}"] += count
        teams: Counter[str] = Counter()
        roles: Counter[str] = Counter()
        for landing, count in self.landed.items():
            teams[landing.team] += count
            roles[landing.role] += count
        return MatrixReplay(
            label=matrix.label,
            priorities=priorities,
            replayed=self.tickets.total(),
            escalations=self.escalations.total(),
            unmapped_priorities=dict(sorted(self.unmapped.items(), key=_most_first)),
            by_level={
                lv.code: LevelTally(
                    self.tickets[lv.code],
                    self.escalations[lv.code],
                    self.response_breaches[lv.code],
                    self.resolution_breaches[lv.code],
                )
                for lv in matrix.snapshot.levels
            },
            by_team=dict(sorted(teams.items(), key=_most_first)),
            by_role=dict(sorted(roles.items(), key=_most_first)),
            by_day={day.isoformat(): n for day, n in sorted(self.days.items())},
            by_week=dict(sorted(weeks.items())),
            by_hour=tuple(self.hours),
            response=BreachCount(self.response_checked, self.response_breaches.total()),
            resolution=BreachCount(self.resolution_checked, self.resolution_breaches.total()),
            landings=tuple(self.landings),
        )


def _replay_one(
    matrix: ReplayMatrix, facts: list[_Facts], size: int, as_of: float, planner: _Planner
) -> MatrixReplay:
    """One matrix's outcome; ``size`` is the number of tickets given, dated or not."""
    tally = _Tally(size)
    level_of = planner.level_of
    for ticket in facts:
        code = level_of.get(ticket.priority)
        if code is None:
            tally.unmapped[ticket.priority] += 1
            continue
        plan = planner.plan(code, ticket.route_key)
        tally.tickets[code] += 1
        finished = ticket.resolved
        fires = plan.fires_at(ticket)
        if fires is not None and (fires <= as_of if finished is None else fires < finished):
            tally.escalations[code] += 1
            tally.landed[plan.landing] += 1
            tally.landings[ticket.position] = plan.landing
            moment = datetime.fromtimestamp(fires, ticket.zone)
            tally.days[moment.date()] += 1
            tally.hours[moment.hour] += 1
        if plan.response is not None and ticket.responded is not None:
            tally.response_checked += 1
            if ticket.responded > plan.later(ticket.created, plan.response):
                tally.response_breaches[code] += 1
        if plan.resolution is not None:
            due = plan.later(ticket.created, plan.resolution)
            if (finished if finished is not None else as_of) > due:
                tally.resolution_checked += 1
                tally.resolution_breaches[code] += 1
            elif finished is not None:
                tally.resolution_checked += 1  # met; an open ticket not yet due is undecided
    return tally.result(matrix, planner.priorities)


def replay(
    tickets: Sequence[PastTicket],
    matrix: ReplayMatrix,
    against: ReplayMatrix | None = None,
    *,
    calendars: Calendars | None = None,
    customers_affected: Mapping[str, int] | None = None,
    zone: tzinfo | None = None,
) -> Replay:
    """Replay ``tickets`` against ``matrix`` (B) and, when given, ``against`` (A).

    See the module's docstring for the rules. ``customers_affected`` gives the customers
    affected by ticket ref, where known, for impact triggers; naive times are read in
    ``zone`` (the computer's zone by default).
    """
    chosen = calendars or Calendars()
    facts, newest = _facts(tickets, customers_affected or {}, zone)
    as_of = newest if newest is not None else 0.0
    clocks: dict[str, WorkingClock] = {}
    if facts:
        # Two days early: the calendars' zones may be a day away from the computer's.
        first_day = datetime.fromtimestamp(min(f.created for f in facts)).date()
        # One clock per calendar, shared by both matrices: each day is laid out once.
        clocks = {
            cal.name: WorkingClock(cal, first_day - timedelta(days=2))
            for cal in (*chosen.by_name.values(), chosen.default)
        }
    size = len(tickets)
    b = _replay_one(matrix, facts, size, as_of, _Planner(matrix, chosen, clocks))
    a = (
        _replay_one(against, facts, size, as_of, _Planner(against, chosen, clocks))
        if against
        else None
    )
    moment = datetime.fromtimestamp(newest, zone).astimezone(zone) if newest is not None else None
    return Replay(
        tickets=len(tickets),
        without_created=len(tickets) - len(facts),
        as_of=moment,
        b=b,
        a=a,
        difference=_difference(tickets, a, b) if a is not None else None,
    )


def _sides(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, Side]:
    sides = {name: Side(a.get(name, 0), b.get(name, 0)) for name in {*a, *b}}
    return dict(sorted(sides.items(), key=lambda item: (-abs(item[1].change), item[0])))


def _difference(
    tickets: Sequence[PastTicket], a: MatrixReplay, b: MatrixReplay
) -> ReplayDifference:
    moved = tuple(
        MovedTicket(ticket.ref, before, after)
        for ticket, before, after in zip(tickets, a.landings, b.landings, strict=True)
        if (before.team if before else None) != (after.team if after else None)
    )
    return ReplayDifference(
        escalations=Side(a.escalations, b.escalations),
        response_breaches=Side(a.response.breached, b.response.breached),
        resolution_breaches=Side(a.resolution.breached, b.resolution.breached),
        by_team=_sides(a.by_team, b.by_team),
        by_role=_sides(a.by_role, b.by_role),
        moved=moved,
    )
