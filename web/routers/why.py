"""Why is it down: an asset's chain of causes in a live exercise, per role.

Every role may ask. The chain itself is the engine's (`simulator.engine.why`); here
each root cause gets a label a person reads: a scripted inject's title, the
facilitator's inject by its title or hazard type, a decision by its action.
Participants get the label, the kind and the time only — never a source id
the facilitator chose, nor anything of a hazard's parameters; a facilitator's
inject reaches them by the title it was given (simulator/audience.py's rule).
"""

from __future__ import annotations

import weakref
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from simulator.engine.simulation import Simulation
from simulator.engine.why import Cause, NeedInfo, RecordIndex, explain
from simulator.exercise.audience import FULL, addressed_elsewhere
from simulator.exercise.log import InjectEntry
from simulator.exercise.views import feed_item
from simulator.model.schema import text
from web.deps import CallerDep, ExerciseDep
from web.live import LiveExercise
from web.routers.exercises import ERRORS

router = APIRouter(prefix="/api", tags=["exercises"])
# One record index per running simulation: each question reads only the
# records that came since the last one (a rebuilt exercise gets a new one).
_INDEX: weakref.WeakKeyDictionary[Simulation, RecordIndex] = weakref.WeakKeyDictionary()


class CausePublic(BaseModel):
    kind: Literal["hazard", "inject", "decision", "other"]
    label: str | None  # what a person reads: title, hazard type or action
    at: int | None  # simulated seconds when the source began
    effect: Literal["damage", "isolated"]
    capacity: float | None
    # Damage until restored (no end of its own); None for players when a
    # hazard or inject caused it: whether an outage ends by itself is the
    # hazard's hidden duration.
    lasting: bool | None
    # Facilitators and observers only (None for participants):
    source: str | None = None
    ref: str | None = None
    hazard: str | None = None
    action: str | None = None


class StepPublic(BaseModel):
    asset: str
    kind: str
    depth: int
    parent: str | None
    state: str
    capacity: float
    since: int | None
    causes: list[CausePublic]
    needs: list[NeedInfo]
    restart: int | None
    standby: bool
    workaround: bool
    restoring: bool


class WhyPublic(BaseModel):
    asset: str
    t: int
    truncated: bool
    steps: list[StepPublic]


def _feed_entry(exercise: LiveExercise, seq: str) -> dict[str, Any] | None:
    log = exercise.exercise.log
    if not seq.isdigit() or not 1 <= int(seq) <= len(log):
        return None
    return feed_item(log[int(seq) - 1])


def _source_entry(exercise: LiveExercise, cause: Cause) -> dict[str, Any] | None:
    """The log entry behind a cause: a facilitator's inject or a decision
    (None for the scenario's own hazards and scripted injects)."""
    if cause.kind in ("inject", "decision"):
        return _feed_entry(exercise, cause.ref)
    if cause.kind == "hazard":  # the facilitator's hazard: named "inject-<seq>" or by its id
        named = (feed_item(e) for e in exercise.exercise.log
                 if isinstance(e, InjectEntry) and e.payload.id == cause.ref)  # fmt: skip
        return _feed_entry(exercise, cause.ref.removeprefix("inject-")) or next(named, None)
    return None


def _public(exercise: LiveExercise, cause: Cause, lang: str, audience: str) -> CausePublic:
    """A root cause for one audience. Players learn of a facilitator's inject
    only what it was called (as in their feed): its title, else nothing but
    that it was an inject (nothing at all if it was addressed to other
    teams); a scenario hazard by its type, as their stream names it; a
    scripted inject by its title once released."""
    full = audience == FULL
    entry = _source_entry(exercise, cause)
    ad_hoc = entry is not None and entry["kind"] == "inject"
    payload = entry["payload"] if entry is not None else {}
    elsewhere = addressed_elsewhere(audience, exercise.exercise.addressed.get(cause.source)) or (
        ad_hoc and addressed_elsewhere(audience, payload.get("teams")))
    if elsewhere:
        payload = {}  # another team's inject (scripted or ad hoc): its title is theirs
    if entry is not None and entry["kind"] == "accept":  # an accepted proposal: what it proposed
        proposal = exercise.proposals.get(payload.get("proposal", -1))
        payload = proposal.payload if proposal is not None else {}
    label = None if elsewhere else cause.title
    title = payload.get("title")
    if isinstance(title, dict):
        title = title.get(lang) or title.get("en")
    if label is None and isinstance(title, str) and title:
        label = title
    if label is None and "action" in payload:  # a decision from the scenario's actions
        action = next((a for a in exercise.bundle.scenario.actions if a.id == payload["action"]),
                      None)  # fmt: skip
        label = text(action.title, lang) or action.id if action is not None else None
    if label is None and (full or not (ad_hoc or elsewhere)):
        label = cause.hazard or cause.action
    if label is None and full and cause.source.startswith("trigger:"):
        label = cause.ref  # the trigger's id: players never get it (their cause is unnamed)
    hidden_end = not full and cause.kind in ("hazard", "inject")
    out = CausePublic(kind=cause.kind, label=label, at=cause.at, effect=cause.effect,
                      capacity=cause.capacity, lasting=None if hidden_end else cause.lasting)
    if full:
        out.source, out.ref, out.hazard, out.action = (
            cause.source, cause.ref, cause.hazard, cause.action)  # fmt: skip
    elif cause.kind == "hazard" and not ad_hoc:
        out.hazard = cause.hazard  # a scenario hazard's type, as the players' stream names it
    return out


@router.get("/exercises/{exercise_id}/why/{asset}", response_model=WhyPublic, responses=ERRORS)
async def why(
    asset: str,
    exercise: ExerciseDep,
    caller: CallerDep,
    lang: Literal["de", "en"] = Query("en", description="language of titles"),
) -> WhyPublic:
    """Why an asset or business process is in its state now: the chain of
    causes down to the hazard, inject or decision (any role may ask)."""
    if asset not in exercise.sim.model.index:
        raise HTTPException(404, f"no asset {asset[:100]!r} in this exercise")
    sim = exercise.sim
    index = _INDEX.get(sim)
    if index is None:
        index = _INDEX[sim] = RecordIndex(sim)
    chain = explain(sim, asset, lang, index=index)
    steps = [
        StepPublic(asset=s.asset, kind=s.kind, depth=s.depth, parent=s.parent, state=s.state,
                   capacity=s.capacity, since=s.since,
                   causes=[_public(exercise, c, lang, caller.audience) for c in s.causes],
                   needs=list(s.needs), restart=s.restart, standby=s.standby,
                   workaround=s.workaround, restoring=s.restoring)
        for s in chain.steps
    ]  # fmt: skip
    return WhyPublic(asset=chain.asset, t=chain.t, truncated=chain.truncated, steps=steps)

