"""What each audience reads of a root cause (simulator.exercise.why_view):
the rule lives in the simulator, so a replay shows players what the live
server does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.engine.why import explain
from simulator.exercise.audience import FULL, PLAYER
from simulator.exercise.log import entry, make_header
from simulator.exercise.replay import replay
from simulator.exercise.session import Exercise
from simulator.exercise.why_view import cause_view
from simulator.readwrite.io import load_bundle

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "example" / "scenario.yaml"
H = 3600


def _grid_causes(inject: dict[str, Any]) -> tuple[Exercise, Any]:
    """The example company's grid fails by a facilitator's inject at 1 h;
    the exercise at 1.5 h and the grid's one root cause."""
    rows = [(0, "facilitator", "clock", {"action": "start"}), (H, "facilitator", "inject", inject)]
    log = [entry({"seq": n, "sim_time": t, "actor": a, "kind": k, "payload": p})
           for n, (t, a, k, p) in enumerate(rows, 1)]  # fmt: skip
    exercise = replay(make_header(load_bundle(EXAMPLE), 3), log, 3 * H // 2)
    (cause,) = explain(exercise.sim, "grid").steps[0].causes
    return exercise, cause


def test_an_untitled_ad_hoc_hazard_is_a_nameless_inject_to_players() -> None:
    hazard = {"type": "power_failure", "assets": ["grid"], "duration": 2 * H}
    exercise, cause = _grid_causes({"hazard": hazard})
    player = cause_view(exercise, cause, "de", PLAYER)
    # no name (the facilitator gave none), no id, no type, and not whether
    # it ends by itself (its 2 h are hidden)
    assert (player["label"], player["source"], player["hazard"], player["lasting"]) == (
        None, None, None, None)
    assert (player["kind"], player["at"]) == ("hazard", H)
    full = cause_view(exercise, cause, "de", FULL)
    assert (full["label"], full["source"], full["hazard"], full["lasting"]) == (
        "power_failure", "hazard:inject-2", "power_failure", False)


def test_a_titled_inject_is_read_by_its_title() -> None:
    hazard = {"type": "outage", "assets": ["grid"]}  # no duration: until restored
    exercise, cause = _grid_causes({"hazard": hazard, "title": "Netz weg"})
    player = cause_view(exercise, cause, "de", PLAYER)
    assert (player["label"], player["source"], player["lasting"]) == ("Netz weg", None, None)
    full = cause_view(exercise, cause, "de", FULL)
    assert (full["label"], full["source"], full["lasting"]) == (
        "Netz weg", "hazard:inject-2", True)
