"""The administrator's archive: every stored exercise with its state, as the
archive page, its JSON twin and the replay's metadata describe it.

Nothing here rebuilds an exercise: a live one not used since start-up is
described from its saved clock (it would be rebuilt paused), so listing
hundreds of exercises reads two tables, not hundreds of logs.
"""

from __future__ import annotations

from typing import Any

from web.clock import ENDED, PAUSED
from web.live import MANAGER, Manager
from web.schemas import ExerciseSummary
from web.storage import ARCHIVED, DAMAGED, Summary


def describe(manager: Manager, row: Summary, managed: set[str]) -> ExerciseSummary:
    """One exercise for the archive; `managed`: the ids with a manager token."""
    live = manager.exercises.get(row.id)
    state: Any
    if live is not None:
        state, sim_time, commands = live.clock.state, live.sim.now, live.seq
    else:
        sim_time, commands = row.sim_time, row.commands
        if row.id in manager.damaged or (row.status is not None and row.status.state == DAMAGED):
            state = DAMAGED
        elif row.status is not None and row.status.state == ARCHIVED:
            state = ARCHIVED
        else:  # stored live, rebuilt (paused) on first use
            state = ENDED if row.clock == ENDED else PAUSED
    return ExerciseSummary(id=row.id, scenario=row.scenario, seed=row.seed,
                           created=row.created.isoformat(), state=state, sim_time=sim_time,
                           commands=commands, manager_link=row.id in managed)  # fmt: skip


def listing(manager: Manager) -> list[ExerciseSummary]:
    """Every stored exercise, newest first."""
    managed = manager.store.with_token(MANAGER)
    rows = manager.store.summaries()
    return [describe(manager, row, managed) for row in reversed(rows)]


def summary(manager: Manager, exercise_id: str) -> ExerciseSummary | None:
    found = manager.store.summaries(exercise_id)
    if not found:
        return None
    return describe(manager, found[0], manager.store.with_token(MANAGER))


def played(row: Summary) -> bool:
    """Whether a stored exercise is a run of a series: somebody played it
    (a command is logged). Judged at its end, an untouched one would show
    the scenario undisturbed, not what a team did."""
    return row.commands > 0


def series_links(manager: Manager) -> list[tuple[str, int]]:
    """The scenarios with at least two played exercises, (scenario, count):
    the archive links each to its series (web.routers.series)."""
    counts: dict[str, int] = {}
    for row in manager.store.summaries():
        if played(row):
            counts[row.scenario] = counts.get(row.scenario, 0) + 1
    return sorted((s, n) for s, n in counts.items() if n >= 2)
