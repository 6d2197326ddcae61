"""A root cause of "why is it down" as each audience may see it.

The chain of causes is the engine's (`simulator.engine.why`); here each root
cause gets a label a person reads: a scripted inject's title, the
facilitator's inject by its title or hazard type, a decision by its action.
Players get the label, the kind and the time only -- never a source id the
facilitator chose, nor anything of a hazard's parameters (its type only for
the scenario's own hazards, as their stream names them; not whether it ends
by itself, which is its hidden duration); an inject addressed to other teams
is nameless to them. The live server, a replay and a notebook ask here.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.why import Cause
from simulator.exercise.audience import FULL, addressed_elsewhere
from simulator.exercise.log import InjectEntry
from simulator.exercise.session import Exercise
from simulator.exercise.views import feed_item
from simulator.model.schema import text


def _feed_entry(exercise: Exercise, seq: str) -> dict[str, Any] | None:
    log = exercise.log
    if not seq.isdigit() or not 1 <= int(seq) <= len(log):
        return None
    return feed_item(log[int(seq) - 1])


def _source_entry(exercise: Exercise, cause: Cause) -> dict[str, Any] | None:
    """The log entry behind a cause: a facilitator's inject or a decision
    (None for the scenario's own hazards and scripted injects)."""
    if cause.kind in ("inject", "decision"):
        return _feed_entry(exercise, cause.ref)
    if cause.kind == "hazard":  # the facilitator's hazard: named "inject-<seq>" or by its id
        named = (feed_item(e) for e in exercise.log
                 if isinstance(e, InjectEntry) and e.payload.id == cause.ref)  # fmt: skip
        return _feed_entry(exercise, cause.ref.removeprefix("inject-")) or next(named, None)
    return None


def cause_view(exercise: Exercise, cause: Cause, lang: str, audience: str) -> dict[str, Any]:
    """`cause` for `audience`: kind, label, at, effect, capacity, lasting, and
    for the full view also source, ref, hazard and action (a player's
    `hazard` is a scenario hazard's type or None)."""
    full = audience == FULL
    entry = _source_entry(exercise, cause)
    ad_hoc = entry is not None and entry["kind"] == "inject"
    payload = entry["payload"] if entry is not None else {}
    elsewhere = addressed_elsewhere(audience, exercise.addressed.get(cause.source)) or (
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
    out: dict[str, Any] = {
        "kind": cause.kind, "label": label, "at": cause.at, "effect": cause.effect,
        "capacity": cause.capacity, "lasting": None if hidden_end else cause.lasting,
        "source": None, "ref": None, "hazard": None, "action": None,
    }  # fmt: skip
    if full:
        out |= {"source": cause.source, "ref": cause.ref, "hazard": cause.hazard,
                "action": cause.action}  # fmt: skip
    elif cause.kind == "hazard" and not ad_hoc:
        out["hazard"] = cause.hazard  # a scenario hazard's type, as the players' stream names it
    return out
