"""Write exercise-log.jsonl: the command log of a scripted ransomware exercise.

    .venv/bin/python notebooks/data/make_log.py [OUT]   # default: next to this script

The file looks like what the live server's GET /api/exercises/{id}/log returns:
a header line {"scenario", "scenario_id", "seed", "exercise"}, then one entry per
accepted command {"seq", "sim_time", "wall_time", "role", "kind", "payload"}.

The script plays the facilitator, the players and the server's pacer. It drives
`simulator.engine.Simulation` with the MSEL left to the caller
(`autoplay_msel=False`), releases each scheduled inject when it falls due (kind
"msel", role "system", unless the facilitator skipped it) and applies the
scripted injects and decisions at their simulated times. Every command is
checked by the engine before it is logged. Wall times follow the exercise
clock (48x, later 96x; a jump moves simulated time only) from a fixed morning,
so the file is the same on every run; tests/test_notebooks.py checks that.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from simulator.durations import parse_duration
from simulator.engine import Simulation
from simulator.exercise_log import decision_commands, inject_command, source_of
from simulator.io import load_bundle

HERE = Path(__file__).resolve().parent
SCENARIO = "dairy/ransomware.yaml"  # relative to scenarios/, as the server names it
SEED = 4711  # the exercise's seed, chosen when it was created
EXERCISE = "3f9a1c07b2e4"
WALL_START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def t(text: str) -> int:
    return parse_duration(text)


# (simulated time, role, kind, payload); "accept" names the proposal by the
# index of its line in this list, turned into its log seq when written.
SCRIPT: list[tuple[int, str, str, dict[str, Any]]] = [
    (0, "facilitator", "clock", {"action": "start"}),
    (t("2d"), "facilitator", "skip", {"inject": "r03"}),
    (t("2d"), "facilitator", "clock", {"action": "speed", "speed": 96}),
    (t("3d13h"), "participant", "decision",
     {"text": "Ask the IT provider to look into the outbound traffic."}),
    (t("4d1h30min"), "participant", "decision", {"action": "isolate_ot"}),
    (t("4d2h"), "participant", "decision", {"action": "external_ir"}),
    (t("4d4h"), "participant", "decision", {"action": "manual_orders"}),
    (t("4d5h"), "participant", "proposal", {"action": "activate_dr"}),
    (t("4d5h30min"), "facilitator", "accept", {"proposal": 7}),
    (t("4d10h"), "facilitator", "inject",
     {"message": "A journalist calls the switchboard and asks about empty shelves."}),
    (t("4d13h"), "participant", "decision", {"action": "manual_dispatch"}),
    (t("4d14h"), "participant", "decision", {"action": "paper_release"}),
    (t("4d15h"), "facilitator", "inject",
     {"hazard": {"type": "outage", "assets": ["telephony"], "duration": "8h"},
      "id": "switchboard"}),
    (t("4d20h"), "participant", "decision", {"action": "manual_production"}),
    (t("5d"), "facilitator", "observation",
     {"text": "External responders were called two hours after the ransom note."}),
    (t("5d6h"), "facilitator", "clock", {"action": "jump", "to": t("7d")}),
    (t("7d"), "facilitator", "clock", {"action": "pause"}),
]  # fmt: skip


class Exercise:
    """The server's side: a simulation, its MSEL, its clock and its log."""

    def __init__(self) -> None:
        self.bundle = load_bundle(HERE.parent.parent / "scenarios" / SCENARIO)
        self.sim = Simulation(self.bundle, SEED, autoplay_msel=False)
        self.pending = {e.id: e.at for e in self.bundle.scenario.injects if e.at is not None}
        self.proposals: dict[int, dict[str, Any]] = {}
        self.entries: list[dict[str, Any]] = []
        self.wall, self.sim_at_wall, self.speed = WALL_START, 0, 48.0

    def wall_time(self, sim_time: int) -> datetime:
        return self.wall + timedelta(seconds=(sim_time - self.sim_at_wall) / self.speed)

    def log(self, sim_time: int, role: str, kind: str, payload: dict[str, Any],
            wall: datetime | None = None) -> int:  # fmt: skip
        self.sim.advance(sim_time)
        seq = len(self.entries) + 1
        self.apply(seq, kind, payload)
        stamp = wall or self.wall_time(sim_time)
        self.entries.append({"seq": seq, "sim_time": sim_time,
                             "wall_time": stamp.isoformat(timespec="milliseconds"),
                             "role": role, "kind": kind, "payload": payload})  # fmt: skip
        return seq

    def release_due(self, until: int, wall: datetime | None = None) -> None:
        """The pacer: every pending MSEL inject due by `until`, in time order."""
        for inject_id, due in sorted(self.pending.items(), key=lambda item: (item[1], item[0])):
            if due <= until:
                del self.pending[inject_id]
                self.log(due, "system", "msel", {"inject": inject_id}, wall)

    def apply(self, seq: int, kind: str, payload: dict[str, Any]) -> None:
        sim = self.sim
        source = source_of(kind, seq)
        if kind == "inject":
            sim.inject(inject_command(payload, seq), source)
        elif kind in ("release", "msel"):
            sim.release(payload["inject"])
        elif kind == "skip":
            del self.pending[payload["inject"]]
        elif kind == "decision":
            for command in decision_commands(self.bundle, payload):
                sim.apply(command, source)
        elif kind == "proposal":
            self.proposals[seq] = payload
        elif kind == "accept":
            for command in decision_commands(self.bundle, self.proposals[payload["proposal"]]):
                sim.apply(command, source)
        elif kind == "clock" and payload["action"] == "speed":
            self.wall, self.sim_at_wall = self.wall_time(sim.now), sim.now
            self.speed = float(payload["speed"])

    def play(self) -> None:
        seqs: list[int] = []
        for sim_time, role, kind, payload in SCRIPT:
            if kind == "clock" and payload["action"] == "jump":
                seqs.append(self.log(sim_time, role, kind, payload))
                wall = self.wall_time(sim_time)  # the jump takes no wall time
                self.release_due(payload["to"], wall)
                self.wall, self.sim_at_wall = wall, payload["to"]
                continue
            self.release_due(sim_time)
            if kind == "accept":
                payload = {"proposal": seqs[payload["proposal"]]}
            seqs.append(self.log(sim_time, role, kind, payload))

    def lines(self) -> list[str]:
        header = {"scenario": SCENARIO, "scenario_id": self.bundle.scenario.scenario.id,
                  "seed": SEED, "exercise": EXERCISE}  # fmt: skip
        return [json.dumps(row, ensure_ascii=False) for row in [header, *self.entries]]


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "exercise-log.jsonl"
    exercise = Exercise()
    exercise.play()
    out.write_text("\n".join(exercise.lines()) + "\n", encoding="utf-8")
    print(f"{out}: {len(exercise.entries)} entries, simulated time "
          f"{exercise.sim.now / 3600:g} h")  # fmt: skip


if __name__ == "__main__":
    main()
