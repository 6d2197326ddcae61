"""Replaying an exercise log on the engine, as the server applied it."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.commands import ActivateStandby, Message, StartHazard, StartWorkaround
from simulator.engine import CommandError, Simulation
from simulator.exercise_log import decision_commands, inject_command, read_log, replay
from simulator.io import load_bundle

ROOT = Path(__file__).resolve().parent.parent
H = 3600


def test_replay_matches_driving_the_engine_by_hand() -> None:
    bundle = load_bundle(ROOT / "scenarios" / "example" / "scenario.yaml")
    blackout = {"type": "power_failure", "assets": ["grid"], "duration": 7200}
    entries = [
        {"seq": 1, "sim_time": 0, "kind": "clock", "payload": {"action": "start"}},
        {"seq": 2, "sim_time": H, "kind": "inject", "payload": {"hazard": blackout}},
        {"seq": 3, "sim_time": 3 * H, "kind": "msel", "payload": {"inject": "m1"}},
        {"seq": 4, "sim_time": 4 * H, "kind": "proposal", "payload": {"action": "activate_dr"}},
        {"seq": 5, "sim_time": 5 * H, "kind": "accept", "payload": {"proposal": 4}},
        {"seq": 6, "sim_time": 5 * H, "kind": "decision", "payload": {"action": "manual_orders"}},
        {"seq": 7, "sim_time": 6 * H, "kind": "skip", "payload": {"inject": "m4"}},
    ]
    replayed = replay(bundle, 3, entries)

    by_hand = Simulation(bundle, 3, autoplay_msel=False)
    by_hand.advance(H)
    by_hand.inject(StartHazard(action="hazard", hazard=blackout, id="inject-2"), "inject:2")  # type: ignore[arg-type]
    by_hand.advance(3 * H)
    by_hand.release("m1")
    by_hand.advance(5 * H)
    by_hand.apply(ActivateStandby(action="activate_standby", asset="cloud_dr"), "decision:5")
    by_hand.apply(StartWorkaround(action="start_workaround", process="order_entry"), "decision:6")
    by_hand.advance(6 * H)
    assert [r.to_dict() for r in replayed.records] == [r.to_dict() for r in by_hand.records]
    assert any(r.cause == "hazard:inject-2" for r in replayed.records)


def test_commands_of_entries() -> None:
    bundle = load_bundle(ROOT / "scenarios" / "example" / "scenario.yaml")
    assert inject_command({"message": "Press calls"}, 9) == Message(action="message", text="Press calls")
    assert decision_commands(bundle, {"text": "wait"}) == [Message(action="message", text="wait")]
    with pytest.raises(CommandError) as err:
        decision_commands(bundle, {"action": "nope"})
    assert err.value.field == "action"


def test_read_the_shipped_log() -> None:
    header, entries = read_log((ROOT / "notebooks" / "data" / "exercise-log.jsonl").read_text())
    assert {"scenario", "seed"} <= set(header)
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    sim = replay(load_bundle(ROOT / "scenarios" / header["scenario"]), header["seed"], entries)
    assert sim.now == max(e["sim_time"] for e in entries)
