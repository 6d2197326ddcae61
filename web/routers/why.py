"""Why is it down: an asset's chain of causes in a live exercise, per role.

Every role may ask. The chain itself is the engine's (`simulator.engine.why`);
what each audience reads of a root cause is the simulator's rule
(`simulator.exercise.why_view`): here it is only served.
"""

from __future__ import annotations

import weakref
from typing import Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from simulator.engine.simulation import Simulation
from simulator.engine.why import NeedInfo, RecordIndex, explain
from simulator.exercise.why_view import cause_view
from web.deps import CallerDep, ExerciseDep
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
                   causes=[CausePublic(**cause_view(exercise.exercise, c, lang, caller.audience))
                           for c in s.causes],
                   needs=list(s.needs), restart=s.restart, standby=s.standby,
                   workaround=s.workaround, restoring=s.restoring)
        for s in chain.steps
    ]  # fmt: skip
    return WhyPublic(asset=chain.asset, t=chain.t, truncated=chain.truncated, steps=steps)

