"""The scenario's objectives judged on an exercise: at its end, at any
moment of a replay, and live as it goes.

`simulator.analysis.metrics.evaluate_objectives` judges them; this module adds what
only the log knows — which catalogue actions were taken, when and by whom
(`decision_before`) — and, live, feeds it the process board of the read
models, so an update costs the new log entries, never a summary of the run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simulator.analysis.metrics import ObjectiveResult, RunSummary, Taken, evaluate_objectives
from simulator.exercise.log import AnswerEntry, DecisionEntry, LogEntry
from simulator.exercise.readmodels import ProcessBoard, ReadModels
from simulator.exercise.session import Exercise
from simulator.model.schema import ScenarioBundle, text


def take(taken: dict[str, Taken], log: list[LogEntry], entries: Iterable[LogEntry]) -> None:
    """Note the catalogue actions `entries` take (a decision, or the accepted
    proposal: taken when accepted, by whoever proposed it); the first time counts."""
    for entry in entries:
        if isinstance(entry, DecisionEntry) and entry.kind == "decision":
            decided: LogEntry = entry
        elif isinstance(entry, AnswerEntry) and entry.kind == "accept":
            decided = log[entry.payload.proposal - 1]  # entry seq s is log[s - 1]
        else:
            continue
        if isinstance(decided, DecisionEntry) and decided.payload.action is not None:
            who = Taken(entry.sim_time, decided.actor, decided.payload.team)
            taken.setdefault(decided.payload.action, who)


def taken_actions(log: list[LogEntry]) -> dict[str, Taken]:
    """Catalogue action -> when it was first taken, by whom."""
    taken: dict[str, Taken] = {}
    take(taken, log, log)
    return taken


def judge(bundle: ScenarioBundle, board: ProcessBoard, now: int,
          taken: dict[str, Taken], final: bool = False) -> list[ObjectiveResult]:  # fmt: skip
    """The objectives at `now` from the process board (fed up to now)."""
    summary = RunSummary(tuple(board.summaries(now)), ())
    return evaluate_objectives(bundle, summary, now=None if final else now, taken=taken,
                               breaches=board.breaches(now))  # fmt: skip


def evaluate(exercise: Exercise, final: bool = False) -> list[ObjectiveResult]:
    """The objectives of `exercise` at its current time (`final`: the
    exercise is over, nothing is pending)."""
    models = ReadModels(exercise.bundle)
    models.feed(exercise.sim.records)
    return judge(exercise.bundle, models.board, exercise.now, taken_actions(exercise.log), final)


def result_view(bundle: ScenarioBundle, result: ObjectiveResult, player: bool) -> dict[str, Any]:
    """An objective's result for the stream, with its title in both
    languages; a player's view does not say who decided (people are the
    facilitator's and observers' business)."""
    objective = next(o for o in bundle.scenario.objectives if o.id == result.id)
    out = result.to_dict()
    out["title"] = {lang: text(objective.title, lang) or objective.id for lang in ("de", "en")}
    if player:
        out["evidence"] = {k: v for k, v in out["evidence"].items() if k not in ("actor", "team")}
        if objective.check == "decision_before" and result.state == "pending":
            # The expected action and its deadline are the script's (HSEEP's
            # "expected action"; a deadline can give away when a hazard
            # strikes): a player learns them once the objective is decided.
            out["evidence"] = {}
    return out


class LiveObjectives:
    """The objectives as the exercise goes: taken actions read from the new
    log entries only, figures from the read models' board."""

    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise
        self.taken: dict[str, Taken] = {}
        self._read = 0  # log entries taken in

    def results(self, board: ProcessBoard) -> list[ObjectiveResult]:
        ex = self.exercise
        if not ex.bundle.scenario.objectives:
            return []
        if self._read < len(ex.log):
            take(self.taken, ex.log, ex.log[self._read :])
            self._read = len(ex.log)
        return judge(ex.bundle, board, ex.now, self.taken, final=ex.ended)
