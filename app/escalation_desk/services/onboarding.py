"""Onboarding: the advisor, walkthroughs, practice scenarios and each agent's record."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from escalation_desk.domain.advisor import Advice, Situation, advise
from escalation_desk.domain.clock import STANDARD_WEEK, BusinessCalendar
from escalation_desk.domain.scenarios import (
    Answer,
    Marking,
    Scenario,
    generate,
    mark,
    scenario_from_json,
    scenario_to_json,
)
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.domain.walkthrough import (
    MATRIX_EXPLAINED,
    TOUR,
    Step,
    Walkthrough,
    matrix_explained,
    step_from_json,
    step_to_json,
    walkthrough_from_json,
    walkthrough_to_json,
)
from escalation_desk.files import write_atomically
from escalation_desk.paths import resource
from escalation_desk.services.board import Clocks
from escalation_desk.services.editing import edit
from escalation_desk.services.matrix import MatrixService
from escalation_desk.services.versions import VersionService
from escalation_desk.spreadsheets.workbook import SheetSpec, write_workbook
from escalation_desk.store import core
from escalation_desk.store.db import Workspace

READY_KEY = "onboarding.ready_threshold"
SCENARIOS_KEY = "onboarding.scenarios"
DEFAULT_READY = 0.8
MAX_WALKTHROUGH_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class AgentRecord:
    """One agent's onboarding: walkthroughs completed, scores by level, activity, readiness."""

    name: str
    walkthroughs: tuple[str, ...]
    scores: dict[str, float]  # level code -> mean score 0..1
    answered: int
    first_activity: datetime | None
    last_activity: datetime | None
    ready: bool
    missing: tuple[str, ...] = field(default=())  # what keeps the agent from being ready


class OnboardingService:
    """Reads and records onboarding in one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    # -- advisor ----------------------------------------------------------------------------
    def snapshot(self) -> MatrixSnapshot:
        """The matrix and routing as they stand (the draft the board routes by)."""
        return MatrixService(self._workspace).snapshot()

    def advise(self, situation: Situation, now: datetime) -> Advice:
        """The advisor's answer from the live matrix, business time on the level's calendar."""
        snapshot = self.snapshot()
        return advise(snapshot, situation, now, calendar=self._calendar(situation, snapshot))

    def _calendar(self, situation: Situation, snapshot: MatrixSnapshot) -> BusinessCalendar:
        code = (situation.severity or "").strip().upper() or (
            snapshot.levels[-1].code if snapshot.levels else ""
        )
        with self._workspace.query() as conn:
            ids = dict(
                conn.execute(select(core.severity_levels.c.code, core.severity_levels.c.id)).all()
            )
            clocks = Clocks(conn)
            level_id = ids.get(code) or next(iter(ids.values()), None)
            return STANDARD_WEEK if level_id is None else clocks.clock(level_id).calendar

    # -- walkthroughs -------------------------------------------------------------------------
    def walkthroughs(self) -> list[Walkthrough]:
        """The tour, the matrix explained (from the matrix as it is now), then the team's own."""
        built_in = [_tour(), matrix_explained(self.snapshot())]
        w, step = core.walkthroughs.c, core.walkthrough_steps.c
        with self._workspace.query() as conn:
            rows = conn.execute(
                select(w.id, w.title, step.title.label("step_title"), step.text, step.screen)
                .add_columns(step.widget, step.question)
                .join_from(core.walkthroughs, core.walkthrough_steps, isouter=True)
                .where(w.builtin.is_(False))
                .order_by(w.title, step.position)
            ).all()
        own: dict[str, list[Step]] = {}
        for row in rows:
            steps = own.setdefault(row.title, [])
            if row.step_title is not None:
                question = json.loads(row.question) if row.question else None
                steps.append(
                    step_from_json(
                        {
                            "title": row.step_title,
                            "text": row.text,
                            "screen": row.screen,
                            "widget": row.widget,
                            "question": question,
                        }
                    )
                )
        return built_in + [Walkthrough(title, tuple(steps)) for title, steps in own.items()]

    def walkthrough(self, title: str) -> Walkthrough:
        """One walkthrough by title; ValueError when there is none."""
        found = next((w for w in self.walkthroughs() if w.title == title), None)
        if found is None:
            raise ValueError(f"There is no walkthrough called {title!r}.")
        return found

    def save_walkthrough(self, walkthrough: Walkthrough, *, replacing: str | None = None) -> None:
        """Store a team walkthrough (replacing the one titled ``replacing``, if given)."""
        title = walkthrough.title.strip()
        if not title:
            raise ValueError("A walkthrough needs a title.")
        if not walkthrough.steps:
            raise ValueError(f"The walkthrough {title!r} has no steps yet.")
        if title in (TOUR, MATRIX_EXPLAINED):
            raise ValueError(f"{title!r} is built in; give your walkthrough another title.")
        with edit(self._workspace, f"The walkthrough {title}") as s:
            old = replacing if replacing is not None else title
            taken = s.scalar(
                select(core.walkthroughs.c.id).where(
                    core.walkthroughs.c.title == title, core.walkthroughs.c.title != old
                )
            )
            if taken is not None:
                raise ValueError(f"There is already a walkthrough called {title!r}.")
            w = core.walkthroughs.c
            # Edited in place, not deleted and added again: agents' completions point at the
            # row and must survive a corrected typo.
            existing = s.scalar(select(w.id).where(w.title == old, w.builtin.is_(False)))
            if existing is None:
                walkthrough_id = s.execute(
                    insert(core.walkthroughs)
                    .values(title=title, builtin=False, version=1)
                    .returning(w.id)
                ).scalar_one()
            else:
                walkthrough_id = existing
                s.execute(
                    update(core.walkthroughs)
                    .where(w.id == existing)
                    .values(title=title, version=w.version + 1)
                )
                s.execute(
                    delete(core.walkthrough_steps).where(
                        core.walkthrough_steps.c.walkthrough_id == existing
                    )
                )
            for position, step in enumerate(walkthrough.steps):
                data = step_to_json(step)
                s.execute(
                    insert(core.walkthrough_steps).values(
                        walkthrough_id=walkthrough_id,
                        position=position,
                        title=step.title,
                        text=step.text,
                        screen=step.screen,
                        widget=step.widget,
                        question=json.dumps(data["question"]) if step.question else "",
                        answer="",
                    )
                )

    def delete_walkthrough(self, title: str) -> None:
        """Remove a team walkthrough (built-in ones stay)."""
        with edit(self._workspace, f"The walkthrough {title}") as s:
            _delete_walkthrough(s, title)

    def export_walkthrough(self, title: str, path: Path) -> None:
        """Write a walkthrough to a file another team can import; atomic."""
        body = json.dumps(
            walkthrough_to_json(self.walkthrough(title)), indent=2, ensure_ascii=False
        )
        write_atomically(path, (body + "\n").encode())

    def import_walkthrough(self, path: Path) -> Walkthrough:
        """Read a shared walkthrough file and store it, all or nothing; ValueError says why not."""
        try:
            if path.stat().st_size > MAX_WALKTHROUGH_BYTES:
                raise ValueError(f"{path.name} is too large to be a walkthrough.")
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path.name} could not be read as a walkthrough: {exc}.") from None
        walkthrough = walkthrough_from_json(data)
        self.save_walkthrough(walkthrough)
        return walkthrough

    # -- practice ------------------------------------------------------------------------------
    def scenarios(self) -> list[Scenario]:
        """The generated scenarios, then the ones the lead wrote."""
        return generate(self.snapshot()) + self._own_scenarios()

    def _own_scenarios(self) -> list[Scenario]:
        raw = self._setting(SCENARIOS_KEY)
        return [scenario_from_json(item) for item in json.loads(raw)] if raw else []

    def add_scenario(self, prompt: str, situation: Situation, author: str) -> Scenario:
        """Store a scenario the lead wrote; the matrix gives its right answer."""
        if not prompt.strip():
            raise ValueError("Write the scenario the agent will read.")
        if not (situation.module.strip() or situation.issue_type.strip()):
            raise ValueError("Say which module or issue type the scenario is about.")
        advise(self.snapshot(), situation, datetime.now().astimezone())  # refuses bad levels
        own = self._own_scenarios()
        number = 1 + max((int(s.key.split("-")[-1]) for s in own), default=0)
        scenario = Scenario(f"lead-{number}", prompt.strip(), situation, author.strip() or "lead")
        self._set_setting(
            SCENARIOS_KEY, json.dumps([scenario_to_json(s) for s in [*own, scenario]])
        )
        return scenario

    def remove_scenario(self, key: str) -> None:
        """Remove a scenario the lead wrote."""
        kept = [s for s in self._own_scenarios() if s.key != key]
        self._set_setting(SCENARIOS_KEY, json.dumps([scenario_to_json(s) for s in kept]))

    def answer(
        self,
        agent: str,
        scenario: Scenario,
        answer: Answer,
        now: datetime,
        *,
        record: bool = True,
    ) -> Marking:
        """Mark the agent's answer and, when ``record``, add the score to their record."""
        snapshot = self.snapshot()
        marking = mark(
            snapshot,
            scenario,
            answer,
            now,
            calendar=self._calendar(scenario.situation, snapshot),
        )
        if not record:
            return marking
        with edit(self._workspace, f"The record of {agent}") as s:
            agent_id = _agent(s, agent, now)
            s.execute(
                insert(core.agent_progress).values(
                    agent_id=agent_id,
                    at=now,
                    level_code=marking.advice.level.code,
                    score=marking.score,
                )
            )
        return marking

    def complete_walkthrough(self, agent: str, title: str, now: datetime) -> None:
        """Record that the agent finished a walkthrough."""
        with edit(self._workspace, f"The record of {agent}") as s:
            agent_id = _agent(s, agent, now)
            w = core.walkthroughs.c
            walkthrough_id = s.scalar(select(w.id).where(w.title == title))
            if walkthrough_id is None:  # built-in ones get a row when first completed
                walkthrough_id = s.execute(
                    insert(core.walkthroughs)
                    .values(title=title, builtin=True, version=1)
                    .returning(w.id)
                ).scalar_one()
            s.execute(
                insert(core.agent_progress).values(
                    agent_id=agent_id, at=now, walkthrough_id=walkthrough_id, level_code=""
                )
            )

    # -- roster --------------------------------------------------------------------------------
    def ready_threshold(self) -> float:
        """The mean score per level an agent needs to be ready (0..1)."""
        raw = self._setting(READY_KEY)
        return float(raw) if raw else DEFAULT_READY

    def set_ready_threshold(self, value: float) -> None:
        """Set the readiness threshold; refused outside 0..1."""
        if not 0 < value <= 1:
            raise ValueError("The threshold is a share between 1 % and 100 %.")
        self._set_setting(READY_KEY, repr(round(value, 3)))

    def roster(self, levels: list[str] | None = None) -> list[AgentRecord]:
        """Every agent's record; ready means both built-in walkthroughs done and every level
        (``levels``, by default the matrix's) practised with a mean score at the threshold or
        above."""
        threshold = self.ready_threshold()
        if levels is None:
            levels = [lv.code for lv in self.snapshot().levels]
        needed = (TOUR, MATRIX_EXPLAINED)
        a, p, w = core.agents.c, core.agent_progress.c, core.walkthroughs.c
        with self._workspace.query() as conn:
            agents = conn.execute(select(a.id, a.name, a.first_activity, a.last_activity)).all()
            done: dict[int, set[str]] = defaultdict(set)
            for row in conn.execute(
                select(p.agent_id, w.title).join(core.walkthroughs, w.id == p.walkthrough_id)
            ):
                done[row.agent_id].add(row.title)
            scores: dict[int, dict[str, float]] = defaultdict(dict)
            answered: dict[int, int] = defaultdict(int)
            for row in conn.execute(
                select(
                    p.agent_id,
                    p.level_code,
                    func.avg(p.score).label("mean"),
                    func.count(p.score).label("answers"),
                )
                .where(p.score.is_not(None))
                .group_by(p.agent_id, p.level_code)
            ):
                scores[row.agent_id][row.level_code] = float(row.mean)
                answered[row.agent_id] += int(row.answers)
        records = []
        for agent in sorted(agents, key=lambda r: r.name.casefold()):
            missing = [f"the walkthrough {t!r}" for t in needed if t not in done[agent.id]]
            for code in levels:
                score = scores[agent.id].get(code)
                if score is None:
                    missing.append(f"practice on {code}")
                elif score < threshold:
                    missing.append(f"{code} at {score:.0%} (needs {threshold:.0%})")
            records.append(
                AgentRecord(
                    agent.name,
                    tuple(sorted(done[agent.id])),
                    scores[agent.id],
                    answered[agent.id],
                    agent.first_activity,
                    agent.last_activity,
                    not missing,
                    tuple(missing),
                )
            )
        return records

    def roster_sheet(self) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        """The roster as a table: headers and one row per agent."""
        levels = [lv.code for lv in self.snapshot().levels]
        headers = (
            "Agent",
            "Ready",
            *(f"{code} score" for code in levels),
            "Scenarios answered",
            "Walkthroughs completed",
            "First activity",
            "Last activity",
            "Still needs",
        )
        rows = [
            (
                r.name,
                "Ready" if r.ready else "Not yet",
                *(round(r.scores[c], 3) if c in r.scores else None for c in levels),
                r.answered,
                ", ".join(r.walkthroughs),
                _naive_local(r.first_activity),
                _naive_local(r.last_activity),
                "; ".join(r.missing),
            )
            for r in self.roster(levels)
        ]
        return headers, rows

    def export_roster(self, path: Path) -> None:
        """The roster as a workbook for the lead's manager; written atomically."""
        headers, rows = self.roster_sheet()
        scores = tuple(i for i, h in enumerate(headers) if h.endswith(" score"))
        write_workbook(
            path, [SheetSpec("Onboarding roster", headers, rows, percent_columns=scores)]
        )

    # -- cheat sheet -------------------------------------------------------------------------
    def write_cheat_sheet(self, path: Path, *, paper: str, team: str) -> str:
        """The one-page cheat sheet PDF of the matrix agents should follow; says which one.

        That is the newest published version, the one new escalations record; a workspace
        that never published prints its draft, and the page says so.
        """
        # Imported on use: matplotlib's PDF backend is only needed when printing.
        from escalation_desk.reports.cheatsheet import write_cheat_sheet  # noqa: PLC0415

        versions = VersionService(self._workspace)
        published = versions.versions()[:1]
        if published:
            info = published[0]
            source = f"Matrix version {info.number}, published {info.published_at:%d %b %Y}"
            snapshot = versions.snapshot(info.number)
        else:
            source = "Draft matrix (not yet published)"
            snapshot = self.snapshot()
        write_cheat_sheet(path, snapshot, paper=paper, title=team, subtitle=source)
        return source

    # -- settings ------------------------------------------------------------------------------
    def _setting(self, key: str) -> str | None:
        with self._workspace.query() as conn:
            return conn.scalar(select(core.settings.c.value).where(core.settings.c.key == key))

    def _set_setting(self, key: str, value: str) -> None:
        with edit(self._workspace, "Onboarding settings") as s:
            found = s.execute(
                update(core.settings).where(core.settings.c.key == key).values(value=value)
            )
            if not found.rowcount:  # type: ignore[attr-defined]
                s.execute(insert(core.settings).values(key=key, value=value))


@cache
def _tour() -> Walkthrough:
    """The built-in tour, read once from resources/."""
    tour = walkthrough_from_json(json.loads(resource("walkthroughs", "tour.json").read_text()))
    return replace(tour, builtin=True)


def _agent(s: Session, name: str, now: datetime) -> int:
    """The agent's id, created on first activity; the activity span is kept up to date."""
    name = name.strip()
    if not name:
        raise ValueError("Say who is practising: type your name first.")
    a = core.agents.c
    agent_id = s.scalar(select(a.id).where(a.name == name))
    if agent_id is None:
        return int(
            s.execute(
                insert(core.agents)
                .values(name=name, first_activity=now, last_activity=now)
                .returning(a.id)
            ).scalar_one()
        )
    s.execute(update(core.agents).where(a.id == agent_id).values(last_activity=now))
    return int(agent_id)


def _delete_walkthrough(s: Session, title: str) -> None:
    w = core.walkthroughs.c
    s.execute(delete(core.walkthroughs).where(w.title == title, w.builtin.is_(False)))


def _naive_local(moment: datetime | None) -> datetime | None:
    return moment.astimezone().replace(tzinfo=None, microsecond=0) if moment else None
