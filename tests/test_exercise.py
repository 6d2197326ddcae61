"""The exercise object (simulator.exercise): one log, one state — live,
replayed or restarted; a log from another engine replays exactly or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulator.engine.simulation import Simulation
from simulator.exercise.audience import FULL, PLAYER, header_view
from simulator.exercise.log import (
    ENGINE_VERSION,
    LogError,
    dumps_log,
    entry,
    make_header,
    read_log,
)
from simulator.exercise.replay import replay
from simulator.exercise.session import Exercise, Limits, Rejected
from simulator.model.commands import ActivateStandby, StartHazard, StartWorkaround
from simulator.readwrite.io import load_bundle

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "example" / "scenario.yaml"
SHIPPED = ROOT / "notebooks" / "data" / "exercise-log.jsonl"
H = 3600
BLACKOUT = {"type": "power_failure", "assets": ["grid"], "duration": 7200}


def entries(*rows: tuple[int, str, str, dict[str, Any]]) -> list[Any]:
    return [entry({"seq": n, "sim_time": t, "actor": actor, "kind": kind, "payload": payload})
            for n, (t, actor, kind, payload) in enumerate(rows, 1)]  # fmt: skip


SCRIPT = entries(
    (0, "facilitator", "clock", {"action": "start"}),
    (H, "facilitator", "inject", {"hazard": BLACKOUT}),
    (3 * H, "system", "msel", {"inject": "m1"}),
    (4 * H, "participant", "proposal", {"action": "activate_dr"}),
    (5 * H, "facilitator", "accept", {"proposal": 4}),
    (5 * H, "facilitator", "decision", {"action": "manual_orders"}),
    (6 * H, "facilitator", "skip", {"inject": "m4"}),
)


def test_replay_matches_driving_the_engine_by_hand() -> None:
    bundle = load_bundle(EXAMPLE)
    replayed = replay(make_header(bundle, 3), SCRIPT, 6 * H)

    by_hand = Simulation(bundle, 3, autoplay_msel=False)
    by_hand.advance(H)
    by_hand.inject(StartHazard.model_validate({"action": "hazard", "hazard": BLACKOUT,
                                               "id": "inject-2"}), "inject:2")  # fmt: skip
    by_hand.advance(3 * H)
    by_hand.release("m1")
    by_hand.advance(4 * H)
    by_hand.release("m2")  # due, but not in the log: released as the server would
    by_hand.advance(5 * H)
    by_hand.release("m3")  # likewise, before the entries of its second
    by_hand.apply(ActivateStandby(action="activate_standby", asset="cloud_dr"), "decision:5")
    by_hand.action_taken("activate_dr")  # the triggers that wait for it hear of it
    by_hand.apply(StartWorkaround(action="start_workaround", process="order_entry"), "decision:6")
    by_hand.action_taken("manual_orders")
    by_hand.advance(6 * H)
    assert replayed.sim.records == by_hand.records
    assert any(r.cause == "hazard:inject-2" for r in replayed.sim.records)
    assert replayed.msel["m1"].status == "released" and replayed.msel["m4"].status == "skipped"
    assert replayed.proposals[4].status == "accepted"


def test_a_live_drive_and_its_replay_are_the_same_record_for_record() -> None:
    """The server's way (command, log, apply; step releases what falls due)
    and a replay of the log it wrote give the same records at every entry."""
    bundle = load_bundle(EXAMPLE)
    live = Exercise(bundle, 11)
    for t, actor, kind, payload in [(0, "facilitator", "clock", {"action": "start"}),
                                    (H, "facilitator", "inject", {"hazard": BLACKOUT}),
                                    (4 * H, "participant", "proposal", {"action": "activate_dr"}),
                                    (5 * H, "facilitator", "accept", {"proposal": 5})]:  # fmt: skip
        while (due := live.step(t)) is not None:
            live.apply(due)
        live.apply(live.command(actor, kind, payload))
    live.run_until(9 * H)
    # m1 (3 h) and m2 (4 h, before the proposal of that second), m3 (5 h), m4 (6 h)
    assert [(e.kind, e.sim_time // H) for e in live.log] == [
        ("clock", 0), ("inject", 1), ("msel", 3), ("msel", 4), ("proposal", 4), ("msel", 5),
        ("accept", 5), ("msel", 6)]  # fmt: skip
    header, logged = read_log(dumps_log(make_header(bundle, 11), live.log))
    assert logged == live.log
    for k in range(1, len(logged) + 1):
        at = logged[k - 1].sim_time
        again = replay(header, logged[:k], at)
        assert again.sim.records == [r for r in live.sim.records if r.t <= at][: len(again.sim.records)]
    assert replay(header, logged, 9 * H).sim.records == live.sim.records


def test_commands_are_checked_with_the_field_named() -> None:
    ex = Exercise(load_bundle(EXAMPLE), 1, Limits(log_entries=3, open_proposals=1))
    ex.apply(ex.command("facilitator", "release", {"inject": "m1"}))
    with pytest.raises(Rejected) as err:
        ex.command("facilitator", "release", {"inject": "m1"})
    assert (err.value.field, err.value.message) == ("release", "inject 'm1' is already released")
    with pytest.raises(Rejected) as err:
        ex.command("facilitator", "decision", {"action": "nope"})
    assert err.value.field == "action" and "no player action 'nope'" in err.value.message
    with pytest.raises(Rejected) as err:
        ex.command("facilitator", "delay", {"inject": "m2", "by": -5})
    assert err.value.field == "by"
    ex.apply(ex.command("participant", "proposal", {"text": "wait"}))
    with pytest.raises(Rejected) as err:  # one open proposal at most
        ex.command("participant", "proposal", {"text": "and wait"})
    assert err.value.field == "proposal"
    ex.apply(ex.command("facilitator", "observation", {"text": "noted"}))
    with pytest.raises(Rejected) as err:  # three entries at most
        ex.command("facilitator", "observation", {"text": "full"})
    assert err.value.field == "exercise"
    assert ex.command("system", "msel", {"inject": "m2"}).seq == 4  # the script is not bound


def test_a_replay_refuses_a_log_that_cannot_have_been_played() -> None:
    bundle = load_bundle(EXAMPLE)
    header = make_header(bundle, 3)
    with pytest.raises(LogError, match="log entry 3 is missing"):
        replay(header, [SCRIPT[0], SCRIPT[1], SCRIPT[3].model_copy(update={"seq": 4})])
    twice = entries((0, "facilitator", "release", {"inject": "m1"}),
                    (H, "facilitator", "release", {"inject": "m1"}))  # fmt: skip
    with pytest.raises(LogError, match=r"log entry 2 \(release\): release: inject 'm1' is "
                                       "already released"):  # fmt: skip
        replay(header, twice)
    back = entries((2 * H, "facilitator", "observation", {"text": "a"}),
                   (H, "facilitator", "observation", {"text": "b"}))  # fmt: skip
    with pytest.raises(LogError, match="log entry 2: at 3600 s, but the exercise is at 7200 s"):
        replay(header, back)


def test_read_log_names_the_line_and_field() -> None:
    text = SHIPPED.read_text()
    lines = text.splitlines()
    with pytest.raises(LogError, match=r"^log:4: payload\.inject: "):
        read_log("\n".join([*lines[:3], lines[3].replace('"inject": "r02"', '"inject": ""')]))
    with pytest.raises(LogError, match=r"^log:3: not JSON"):
        read_log("\n".join([*lines[:2], "{oops", *lines[3:]]))
    with pytest.raises(LogError, match=r"^log:1: the first line must be the log's header"):
        read_log("\n".join(lines[1:]))
    with pytest.raises(LogError, match=r"^log:2: seq: expected 1, found 2"):
        read_log("\n".join([lines[0], *lines[2:]]))


def test_the_shipped_log_replays_exactly() -> None:
    header, logged = read_log(SHIPPED.read_text())
    assert header.engine == ENGINE_VERSION and header.checkpoint is not None
    exercise = replay(header, logged)
    assert exercise.now == header.checkpoint.sim_time == 7 * 24 * H
    assert exercise.checkpoint() == header.checkpoint


def test_another_engine_replays_only_what_it_reproduces() -> None:
    header, logged = read_log(SHIPPED.read_text())
    assert header.checkpoint is not None
    older = header.model_copy(update={"engine": "0.0.9"})
    assert replay(older, logged).checkpoint() == header.checkpoint  # it reproduces: exact
    other = header.checkpoint.model_copy(update={"digest": "0" * 64})
    with pytest.raises(LogError) as err:
        replay(older.model_copy(update={"checkpoint": other}), logged)
    assert str(err.value) == (
        "the log was written by engine 0.0.9; this engine (" + ENGINE_VERSION + ") plays it "
        "differently (the same number of records, but different ones): replay it with "
        "Tabletop 0.0.9")
    fewer = header.checkpoint.model_copy(update={"records": header.checkpoint.records + 5})
    with pytest.raises(LogError, match=r"records up to the checkpoint, the log's engine had"):
        replay(older.model_copy(update={"checkpoint": fewer}), logged)
    with pytest.raises(LogError, match="has no checkpoint"):
        replay(older.model_copy(update={"checkpoint": None}), logged)


def test_players_get_no_script_in_a_header() -> None:
    header, _ = read_log(SHIPPED.read_text())
    seen = header_view(PLAYER, header)
    assert (seen.bundle, seen.seed, seen.bundle_hash, seen.checkpoint) == (None, None, None, None)
    assert header_view(FULL, header) == header
    with pytest.raises(LogError, match="participant's log cannot be replayed"):
        replay(seen, [])


@pytest.mark.parametrize(("line", "message"), [
    ('"kind": "decision", "payload": {}', "payload: Value error, an action from the catalogue "
                                          "or a text, one of them"),
    ('"kind": "decision", "payload": {"text": ""}', "payload.text: String should have at least"),
    ('"kind": "decision", "payload": {"action": "a", "text": "b"}', "one of them"),
    ('"kind": "inject", "payload": {}', "payload: Value error, a hazard, a command or a message"),
    ('"kind": "inject", "payload": {"message": ""}', "payload.message: String should have"),
    ('"kind": "teleport", "payload": {}', "Input tag 'teleport' found using 'kind' does not"),
])  # fmt: skip
def test_a_hostile_log_line_is_named_not_crashed_on(line: str, message: str) -> None:
    head = SHIPPED.read_text().splitlines()[0]
    text = head + '\n{"seq": 1, "sim_time": 0, "actor": "facilitator", ' + line + "}\n"
    with pytest.raises(LogError) as err:
        read_log(text)
    assert str(err.value).startswith("log:2: ") and message in str(err.value), str(err.value)
