"""Exercise logs: the commands a live exercise recorded, played again.

The live server (web/) writes every accepted command as a log entry
{seq, sim_time, wall_time, role, kind, payload}; this module turns entries
into engine commands the way the server applies them, so a notebook can
replay an exported log (JSON Lines) record for record, or on other seeds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import TypeAdapter

from simulator.commands import Command, Message, StartHazard
from simulator.engine import CommandError, Simulation
from simulator.schema import ScenarioBundle

COMMAND: TypeAdapter[Command] = TypeAdapter(Command)


def inject_command(payload: Mapping[str, Any], seq: int) -> Command:
    """The engine command of an inject entry: a hazard, a primitive command or
    a message. An unnamed hazard is named "inject-<seq>" (never a scenario
    hazard's name), so a `detect` can address it. Raises pydantic's
    ValidationError for a malformed payload."""
    if "hazard" in payload:
        raw = {"action": "hazard", "hazard": payload["hazard"], "id": payload.get("id")}
    elif "command" in payload:
        raw = payload["command"]
    else:
        raw = {"action": "message", "text": payload["message"]}
    command = COMMAND.validate_python(raw)
    if isinstance(command, StartHazard) and command.id is None:
        command = command.model_copy(update={"id": f"inject-{seq}"})
    return command


def decision_commands(bundle: ScenarioBundle, payload: Mapping[str, Any]) -> list[Command]:
    """The commands of a decision: a scenario action's `do`, or free text as a
    message. Raises CommandError for an action the scenario lacks."""
    if "action" in payload:
        action = next((a for a in bundle.scenario.actions if a.id == payload["action"]), None)
        if action is None:
            raise CommandError("action", f"no player action {payload['action']!r} in the scenario")
        return list(action.do)
    return [Message(action="message", text=payload["text"])]


def source_of(kind: str, seq: int) -> str:
    """How the server labels the records an entry causes."""
    return f"{'decision' if kind in ('decision', 'accept') else 'inject'}:{seq}"


def read_log(text: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header and the entries of a log's JSON Lines text."""
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    return lines[0], lines[1:]


def replay(
    bundle: ScenarioBundle, seed: int, entries: Iterable[Mapping[str, Any]]
) -> Simulation:
    """The exercise of `entries` played again on `seed`, up to its last entry.
    Skip, delay, reject and observation entries change nothing in the model (a
    delayed or skipped scripted inject is simply never released); of the clock
    entries only an extension of the horizon does."""
    sim = Simulation(bundle, seed, autoplay_msel=False)
    proposals: dict[int, Mapping[str, Any]] = {}
    for entry in entries:
        sim.advance(entry["sim_time"])
        kind, payload, seq = entry["kind"], entry["payload"], entry["seq"]
        source = source_of(kind, seq)
        if kind == "inject":
            sim.inject(inject_command(payload, seq), source)
        elif kind in ("release", "msel"):
            sim.release(payload["inject"])
        elif kind == "proposal":
            proposals[seq] = payload
        elif kind == "clock" and payload.get("action") == "extend":
            sim.extend(int(payload["by"]))
        elif kind in ("decision", "accept"):
            decided = payload if kind == "decision" else proposals[payload["proposal"]]
            for command in decision_commands(bundle, decided):
                sim.apply(command, source)
    return sim
