"""What-if forks of an exercise log (simulator/exercise/whatif.py) and
`tabletop whatif`.

The small company of tests/data/whatif: the server fails at T+1 h and stays
down; order entry (RTO 4 h, MTPD 8 h, MBCO 0.5, 1,000 EUR/h) runs on it or on
a standby that is up 2 h after its activation. Nothing is random. So a
standby activated at T+3 h brings order entry back at T+5 h: 4 h down, no
breach (an outage breaches the RTO only when it lasts longer), 4,000 EUR;
without it order entry is down from T+1 h to the horizon (24 h): 23 h, both
breached, 23,000 EUR, 19 h beyond the RTO.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from exercise_logs import log
from typer.testing import CliRunner

from simulator.analysis.metrics import summarize
from simulator.analysis.montecarlo import replication_seed
from simulator.cli.app import app
from simulator.engine.simulation import Simulation
from simulator.exercise.log import (
    AnswerEntry,
    LogEntry,
    LogError,
    dumps_log,
    entry,
    make_header,
    read_log,
)
from simulator.exercise.replay import horizon_of
from simulator.exercise.whatif import (
    Add,
    Drop,
    EditError,
    Move,
    Replace,
    compare,
    edit,
    play,
    risk,
    whatif,
)
from simulator.model.schema import ScenarioBundle
from simulator.readwrite.io import load_bundle

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "whatif" / "scenario.yaml"
DAIRY_LOG = ROOT / "notebooks" / "data" / "exercise-log.jsonl"
H = 3600
runner = CliRunner()


@pytest.fixture(scope="module")
def small() -> ScenarioBundle:
    return load_bundle(SMALL)


@pytest.fixture(scope="module")
def dairy() -> tuple[ScenarioBundle, int, list[LogEntry]]:
    header, entries = read_log(DAIRY_LOG.read_text(encoding="utf-8"))
    assert header.seed is not None and header.scenario is not None
    return load_bundle(ROOT / "scenarios" / header.scenario), header.seed, entries


def played_log() -> list[LogEntry]:
    """The exercise as played: script at its times, the standby at T+3 h."""
    return log((0, "clock", {"action": "start"}), (H, "msel", {"inject": "crash"}),
               (2 * H, "msel", {"inject": "call"}),
               (3 * H, "decision", {"action": "activate_standby"}))  # fmt: skip


def orders(result: Any) -> Any:
    return result.comparison.process("orders")


# --------------------------------------------------------------------------- figures


def test_dropping_the_decision_gives_the_scenario_run_without_it(small: ScenarioBundle) -> None:
    result = whatif(small, 3, played_log(), Drop(4))
    p = orders(result)
    assert (p.original.downtime_h, p.original.impact_eur, p.original.breach_h) == (4.0, 4000.0, 0.0)
    assert (p.original.rto_breached, p.original.mtpd_breached) == (False, False)
    assert (p.changed.downtime_h, p.changed.impact_eur, p.changed.breach_h) == (23.0, 23000.0, 19.0)
    assert (p.changed.rto_breached, p.changed.mtpd_breached) == (True, True)
    assert (p.diff.downtime_h, p.diff.impact_eur, p.diff.breach_h) == (19.0, 19000.0, 19.0)
    assert (p.diff.rto_breaches, p.diff.mtpd_breaches) == (1, 1)
    assert result.comparison.diff.impact_eur == 19000.0
    assert result.comparison.process("payroll").diff.impact_eur == 0.0
    # The plain run of the scenario (the script plays by itself, no decision):
    sim = Simulation(small, 3)
    sim.run()
    plain = summarize(small, sim.records, sim.horizon)
    for c in result.comparison.processes:
        q = plain.process(c.id)
        assert (c.changed.downtime_h, c.changed.below_mbco_h, c.changed.rto_breached,
                c.changed.mtpd_breached, c.changed.data_loss_h, c.changed.impact_eur) == (
                q.downtime_h, q.below_mbco_h, q.rto_breached, q.mtpd_breached, q.data_loss_h,
                q.impact_eur)  # fmt: skip


def test_move_replace_and_add_by_hand(small: ScenarioBundle) -> None:
    # Standby at T+6 h: up at T+8 h, down 7 h: past the RTO (4 h), within the MTPD (8 h).
    p = orders(whatif(small, 3, played_log(), Move(4, 6 * H))).changed
    assert (p.downtime_h, p.breach_h, p.rto_breached, p.mtpd_breached, p.impact_eur) == (
        7.0, 3.0, True, False, 7000.0)  # fmt: skip
    # The server restarted at T+3 h instead (no restart time): down 2 h.
    p = orders(whatif(small, 3, played_log(), Replace(4, "restore_server"))).changed
    assert (p.downtime_h, p.impact_eur, p.rto_breached) == (2.0, 2000.0, False)
    # The standby activated at T+2 h as well: up at T+4 h, 3 h down (the
    # second activation at T+3 h finds it already on its way).
    p = orders(whatif(small, 3, played_log(), Add(2 * H, "activate_standby"))).changed
    assert (p.downtime_h, p.impact_eur) == (3.0, 3000.0)


def test_a_log_cut_short_plays_the_script_on_to_the_horizon(small: ScenarioBundle) -> None:
    # Only the start was logged: the server still fails at T+1 h.
    p = play(small, 3, log((0, "clock", {"action": "start"})))
    assert p.summary.process("orders").downtime_h == 23.0
    # A standby activated at T+0.5 h (before the crash) and moved past the
    # last entry, to T+20 h: the crash is released at T+1 h all the same and
    # the late decision still applies (up at T+22 h): down 21 h.
    entries = log((0, "clock", {"action": "start"}), (H // 2, "decision",
                                                       {"action": "activate_standby"}))  # fmt: skip
    # As logged the standby is up at T+2.5 h: down 1.5 h after the crash.
    assert play(small, 3, entries).summary.process("orders").downtime_h == 1.5
    p = orders(whatif(small, 3, entries, Move(2, 20 * H))).changed
    assert (p.downtime_h, p.impact_eur, p.breach_h) == (21.0, 21000.0, 17.0)


def test_skipped_and_delayed_injects_stay_so(small: ScenarioBundle) -> None:
    skipped = log((0, "skip", {"inject": "crash"}))
    assert play(small, 3, skipped).summary.process("orders").downtime_h == 0.0
    delayed = log((0, "delay", {"inject": "crash", "by": 10 * H}))  # crash at T+11 h
    assert play(small, 3, delayed).summary.process("orders").downtime_h == 13.0


def test_an_extended_horizon_is_the_logs(small: ScenarioBundle) -> None:
    # The facilitator extended the ended exercise by 12 h.
    entries = [*played_log(), entry({"seq": 5, "sim_time": 24 * H, "actor": "facilitator",
                                     "kind": "clock",
                                     "payload": {"action": "extend", "by": 12 * H}})]  # fmt: skip
    assert horizon_of(small, entries) == 36 * H
    result = whatif(small, 3, entries, Move(4, 30 * H))  # past the scenario's 24 h
    assert result.comparison.horizon == 36 * H
    assert orders(result).changed.downtime_h == 31.0  # T+1 h to T+32 h
    with pytest.raises(EditError, match="beyond the horizon"):
        whatif(small, 3, entries, Move(4, 37 * H))


# --------------------------------------------------------------------------- consistency


def proposal_log() -> list[LogEntry]:
    return log((0, "clock", {"action": "start"}), (H, "msel", {"inject": "crash"}),
               (H + H // 2, "proposal", {"action": "activate_standby"}),
               (2 * H, "msel", {"inject": "call"}), (2 * H + H // 2, "accept", {"proposal": 3}),
               (3 * H, "observation", {"text": "late"}))  # fmt: skip


def shape(entries: list[LogEntry]) -> list[tuple[int, int, str, Any]]:
    return [(e.seq, e.sim_time, e.kind,
             e.payload.proposal if isinstance(e, AnswerEntry) else None) for e in entries]  # fmt: skip


def consistent(entries: list[LogEntry], small: ScenarioBundle) -> None:
    """Seqs 1..n in time order, and the log reads back as it was written."""
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert [e.sim_time for e in entries] == sorted(e.sim_time for e in entries)
    _, back = read_log(dumps_log(make_header(small, 3), entries))
    assert back == entries


def test_dropping_a_proposal_drops_its_answer(small: ScenarioBundle) -> None:
    original = proposal_log()
    out = edit(small, original, Drop(3))
    assert shape(out) == [(1, 0, "clock", None), (2, H, "msel", None),
                          (3, 2 * H, "msel", None), (4, 3 * H, "observation", None)]  # fmt: skip
    consistent(out, small)
    assert shape(original)[2] == (3, H + H // 2, "proposal", None)  # the original is untouched


def test_dropping_an_accept_drops_the_effect_not_the_proposal(small: ScenarioBundle) -> None:
    out = edit(small, proposal_log(), Drop(5))
    assert [e.kind for e in out] == ["clock", "msel", "proposal", "msel", "observation"]
    consistent(out, small)
    assert orders(whatif(small, 3, proposal_log(), Drop(5))).changed.downtime_h == 23.0
    # As played, the accept at T+2.5 h brought the standby up at T+4.5 h.
    assert orders(whatif(small, 3, proposal_log(), Drop(5))).original.downtime_h == 3.5


def test_moving_a_proposal_takes_its_answer_along(small: ScenarioBundle) -> None:
    out = edit(small, proposal_log(), Move(3, 0))
    # The accept keeps its 1 h delay: at T+1 h, after the crash released then.
    assert shape(out) == [(1, 0, "clock", None), (2, 0, "proposal", None),
                          (3, H, "msel", None), (4, H, "accept", 2),
                          (5, 2 * H, "msel", None), (6, 3 * H, "observation", None)]  # fmt: skip
    consistent(out, small)
    assert out[1].wall_time is None  # not when it was really taken


def test_moving_an_accept_remaps_its_proposal(small: ScenarioBundle) -> None:
    out = edit(small, proposal_log(), Move(5, 3 * H))
    assert shape(out)[3:] == [(4, 2 * H, "msel", None), (5, 3 * H, "observation", None),
                              (6, 3 * H, "accept", 3)]  # fmt: skip
    consistent(out, small)
    with pytest.raises(EditError, match="move: an answer cannot come before its proposal 3"):
        edit(small, proposal_log(), Move(5, H))


def test_added_decision_comes_after_the_script_of_its_second(small: ScenarioBundle) -> None:
    out = edit(small, proposal_log(), Add(H, "restore_server"))
    assert shape(out)[:4] == [(1, 0, "clock", None), (2, H, "msel", None),
                              (3, H, "decision", None), (4, H + H // 2, "proposal", None)]  # fmt: skip
    assert shape(out)[5] == (6, 2 * H + H // 2, "accept", 4)
    consistent(out, small)


@pytest.mark.parametrize(("change", "field", "message"), [
    (Drop(99), "drop", "no entry 99 in the log (it has entries 1 to 6)"),
    (Drop(2), "drop", "entry 2 is a msel entry, not a decision, proposal or answer to one"),
    (Replace(5, "activate_standby"), "replace", "entry 5 is an accept entry, not a decision or "
                                                "proposal (its proposal is entry 3)"),
    (Replace(3, "pray"), "replace", "no action 'pray' in the scenario's catalogue (its actions: "
                                    "activate_standby, restore_server, switch_off_standby)"),
    (Move(3, 25 * H), "move", "T+25 h is beyond the horizon (T+24 h)"),
    (Move(3, 23 * H + H // 2), "move", "its answer (entry 5) would come after the horizon (T+24 h)"),
    (Move(3, -1), "move", "the time cannot be before the start"),
    (Add(-H, "activate_standby"), "add", "the time cannot be before the start"),
    (Add(H, "nope"), "add", "no action 'nope'"),
])  # fmt: skip
def test_bad_edits_name_the_field(small: ScenarioBundle, change: Any, field: str,
                                  message: str) -> None:  # fmt: skip
    with pytest.raises(EditError) as info:
        edit(small, proposal_log(), change)
    assert info.value.field == field
    assert message in str(info.value)
    assert str(info.value).startswith(f"{field}: ")


# --------------------------------------------------------------------------- determinism, CRN


def test_the_same_what_if_twice_is_identical(
    dairy: tuple[ScenarioBundle, int, list[LogEntry]],
) -> None:
    bundle, seed, entries = dairy
    a = whatif(bundle, seed, entries, Move(12, H), n=3).to_dict()
    b = whatif(bundle, seed, entries, Move(12, H), n=3).to_dict()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_identical_logs_differ_by_zero_in_every_replication(
    dairy: tuple[ScenarioBundle, int, list[LogEntry]],
) -> None:
    bundle, seed, entries = dairy
    result = risk(bundle, seed, entries, list(entries), 4)
    original, changed = result.outcomes
    assert len(original) == 4 * 16
    assert original == changed  # outcome for outcome, replication for replication
    for p in result.processes:
        for d in (p.p_rto_breach, p.p_mtpd_breach, p.impact_eur):
            assert (d.mean, d.ci, d.p95) == (0.0, (0.0, 0.0), 0.0)
    # ... and the replications are montecarlo's: replication i on its seed.
    first = play(bundle, replication_seed(seed, 0), entries).summary
    assert [o.impact_eur for o in original[:16]] == [p.impact_eur for p in first.processes]
    # The seeds differ, so the replications do (a test that could fail).
    assert len({o.impact_eur for o in original if o.process == "order_entry"}) > 1


def test_monte_carlo_of_a_certain_difference(small: ScenarioBundle) -> None:
    # Nothing is random in the small company: every replication breaches
    # without the standby and none with it.
    result = whatif(small, 3, played_log(), Drop(4), n=5)
    assert result.risk is not None
    p = result.risk.process("orders")
    assert (p.original.p_rto_breach, p.changed.p_rto_breach) == (0.0, 1.0)
    assert p.p_rto_breach.mean == 1.0 and p.p_rto_breach.ci == (1.0, 1.0)
    assert p.impact_eur.mean == 19000.0 and p.impact_eur.p95 == 19000.0
    assert (p.original.impact_eur_mean, p.changed.impact_eur_p95) == (4000.0, 23000.0)
    assert result.risk.impact_eur.mean == 19000.0  # all processes: payroll never moves
    assert p.original.p_rto_breach_ci[1] < 0.5 < p.changed.p_rto_breach_ci[0]  # Wilson, n = 5


def test_compare_on_the_dairy_log(dairy: tuple[ScenarioBundle, int, list[LogEntry]]) -> None:
    bundle, seed, entries = dairy
    # Manual order entry (entry 12) dropped: only processes that need order
    # entry can get worse, none better.
    result = compare(bundle, seed, entries, edit(bundle, entries, Drop(12)))
    assert result.process("order_entry").diff.impact_eur > 0
    assert all(p.diff.impact_eur >= 0 for p in result.processes)
    assert result.diff.impact_eur == pytest.approx(sum(p.diff.impact_eur
                                                       for p in result.processes))  # fmt: skip


# --------------------------------------------------------------------------- the command


def write_log(tmp_path: Path, bundle: ScenarioBundle, entries: list[LogEntry]) -> str:
    path = tmp_path / "log.jsonl"
    path.write_text(dumps_log(make_header(bundle, 3), entries), encoding="utf-8")
    return str(path)


def test_cli_whatif_json_and_tables(small: ScenarioBundle, tmp_path: Path) -> None:
    path = write_log(tmp_path, small, played_log())
    result = runner.invoke(app, ["whatif", path, "--drop", "4", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["totals"]["diff"]["impact_eur"] == 19000.0
    assert data["montecarlo"] is None
    assert [e["kind"] for e in data["entries"]] == ["clock", "msel", "msel"]
    result = runner.invoke(app, ["whatif", path, "--move", "4=6h"])
    assert result.exit_code == 0, result.output
    assert "Order entry" in result.stdout and "+3,000" in result.stdout
    result = runner.invoke(app, ["whatif", path, "--add", "2h=activate_standby", "--lang", "de",
                                 "-n", "3"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Auftragserfassung" in result.stdout and "−1.000" in result.stdout
    assert "gemeinsamen Zufallszahlen" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--drop", "99"], "--drop: no entry 99 in the log (it has entries 1 to 4)"),
    (["--drop", "2"], "--drop: entry 2 is a msel entry"),
    (["--replace", "4"], "--replace: write SEQ=ACTION"),
    (["--replace", "4=pray"], "--replace: no action 'pray'"),
    (["--replace", "x=activate_standby"], "--replace: SEQ must be an entry number"),
    (["--move", "4=forever"], "--move: "),
    (["--move", "4=2d"], "--move: T+48 h is beyond the horizon (T+24 h)"),
    (["--add", "activate_standby=2h"], "--add: "),
    ([], "give exactly one of --drop"),
    (["--drop", "4", "--move", "4=5h"], "give exactly one of --drop"),
    (["--drop", "4", "--lang", "fr"], "--lang: use de or en"),
])  # fmt: skip
def test_cli_whatif_errors_name_the_option(small: ScenarioBundle, tmp_path: Path,
                                           args: list[str], message: str) -> None:  # fmt: skip
    path = write_log(tmp_path, small, played_log())
    result = runner.invoke(app, ["whatif", path, *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_log_without_bundle_finds_its_scenario_under_scenarios(tmp_path: Path) -> None:
    lines = DAIRY_LOG.read_text(encoding="utf-8").splitlines()
    head = json.loads(lines[0])
    del head["bundle"]  # the scenario is named by its path under scenarios/
    path = tmp_path / "slim.jsonl"
    path.write_text("\n".join([json.dumps(head), *lines[1:]]), encoding="utf-8")
    result = runner.invoke(app, ["whatif", str(path), "--drop", "12", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["totals"]["diff"]["impact_eur"] > 0
    for scenario, message in (("../../../etc/passwd", "not a path under scenarios/"),
                              ("dairy/none.yaml", "cannot read")):  # fmt: skip
        head = json.loads(lines[0]) | {"scenario": scenario}
        del head["bundle"]
        path = tmp_path / "old.jsonl"
        path.write_text("\n".join([json.dumps(head), *lines[1:]]), encoding="utf-8")
        result = runner.invoke(app, ["whatif", str(path), "--drop", "12"])
        assert result.exit_code == 2
        assert message in result.stderr


def test_cli_bad_logs(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text('{"scenario": "dairy/ransomware.yaml"}\n{"seq": 1}\n', encoding="utf-8")
    result = runner.invoke(app, ["whatif", str(path), "--drop", "1"])
    assert result.exit_code == 2 and f"{path}:2: " in result.stderr
    path.write_text('{"scenario": "dairy/ransomware.yaml"}\n', encoding="utf-8")
    result = runner.invoke(app, ["whatif", str(path), "--drop", "1"])
    assert result.exit_code == 2 and "seed: missing" in result.stderr
    result = runner.invoke(app, ["whatif", str(tmp_path / "none.jsonl"), "--drop", "1"])
    assert result.exit_code == 2 and "cannot read" in result.stderr


@pytest.mark.parametrize(("row", "message"), [
    ((H, "decision", {"action": "pray"}),
     "log entry 2 (decision): action: no player action 'pray' in the scenario"),
    ((H, "accept", {"proposal": 1}), "log entry 2 (accept): accept: no proposal 1"),
    ((H, "msel", {"inject": "nope"}), "log entry 2 (msel): inject: no inject 'nope' in the MSEL"),
    ((H, "inject", {"command": {"action": "down", "asset": "nope"}}),
     "log entry 2 (inject): command.asset: unknown asset 'nope'"),
])  # fmt: skip
def test_a_log_that_does_not_fit_the_scenario(small: ScenarioBundle, tmp_path: Path,
                                              row: Any, message: str) -> None:  # fmt: skip
    entries = log((0, "clock", {"action": "start"}), row,
                  (2 * H, "decision", {"action": "activate_standby"}))  # fmt: skip
    with pytest.raises(LogError, match=re.escape(message)):
        play(small, 3, entries)
    result = runner.invoke(app, ["decisions", write_log(tmp_path, small, entries)])
    assert result.exit_code == 2 and message in result.stderr


# --- moot commands on other dice ------------------------------------------------------
# tests/data/whatif/moot.yaml: the server fails at a uniform draw in T+1 h … T+5 h and
# the untimed inject "alarm" plays when it does. On the log's seed 3 it fails at
# 8,503 s (T+2.36 h); the facilitator released the alarm by hand at T+2 h, before.

MOOT = ROOT / "tests" / "data" / "whatif" / "moot.yaml"
ALARM = "Monitoring reports the server down"


def moot_log(release_at: int = 2 * H) -> list[LogEntry]:
    return log((0, "facilitator", "clock", {"action": "start"}),
               (release_at, "facilitator", "release", {"inject": "alarm"}),
               (6 * H, "decision", {"action": "activate_standby"}))  # fmt: skip


def failed_at(bundle: ScenarioBundle, seed: int) -> int:
    """When the server fails on `seed`: the hazard's record, the engine alone."""
    sim = Simulation(bundle, seed)
    sim.advance(24 * H)
    return next(r.t for r in sim.records if r.event == "hazard")


def test_a_release_other_dice_made_moot_is_skipped_and_counted() -> None:
    bundle = load_bundle(MOOT)
    assert failed_at(bundle, 3) == 8503  # after the hand release at T+2 h
    n = 20
    # The release is moot where the server failed (and the alarm played) before T+2 h:
    # a quarter of the draws on average; counted here on the engine's own records.
    times = [failed_at(bundle, replication_seed(3, i)) for i in range(n)]
    assert 2 * H not in times  # no tie with the release
    early = sum(1 for t in times if t < 2 * H)
    assert 0 < early < n  # both kinds of draw occur, or the test could not fail
    result = whatif(bundle, 3, moot_log(), Drop(3), n=n)
    assert result.risk is not None
    [skipped] = result.risk.skipped
    assert (skipped.what, skipped.target, skipped.title, skipped.why, skipped.runs) == (
        "release", "alarm", ALARM, "released", early)
    assert skipped.text("de") == (f"In {early} von 20 Durchläufen übersprungen: Freigabe der "
                                  f"Einlage „{ALARM}“ (bereits eingespielt)")  # fmt: skip
    assert skipped.text("en") == (f"Skipped in {early} of 20 runs: release of inject "
                                  f"“{ALARM}” (already released)")  # fmt: skip
    assert result.to_dict()["montecarlo"]["skipped"][0]["runs"] == early
    # The single run on the log's seed plays the record exactly: nothing skipped.
    single = whatif(bundle, 3, moot_log(), Drop(3))
    assert single.risk is None
    assert single.comparison.to_dict() == result.comparison.to_dict()


def test_a_moot_release_on_the_logs_own_seed_is_still_an_error() -> None:
    bundle = load_bundle(MOOT)
    # At T+3 h the server has failed on seed 3 (8,503 s) and the alarm has played:
    # the recorded release cannot have happened, so the log is damaged.
    with pytest.raises(LogError, match=r"log entry 2 \(release\): release: inject 'alarm' "
                                       r"is already released"):  # fmt: skip
        whatif(bundle, 3, moot_log(3 * H), Drop(3), n=5)


def test_a_refusal_on_other_dice_that_is_not_moot_names_the_run() -> None:
    bundle = load_bundle(MOOT)
    # Releasing the escalation the failure suggests, at T+2.5 h: suggested on seed 3
    # (since 8,503 s), not yet on the dice where the server fails later; no moot
    # command (it did not happen, rather than happened already): an error, said plainly.
    entries = log((0, "facilitator", "clock", {"action": "start"}),
                  (9000, "facilitator", "trigger", {"trigger": "escalation", "action": "release"}))
    late = next(i for i in range(20) if failed_at(bundle, replication_seed(3, i)) > 9000)
    with pytest.raises(LogError) as caught:
        whatif(bundle, 3, entries, Add(10 * H, "activate_standby"), n=20)
    assert str(caught.value) == (f"in run {late + 1} of 20 (other random draws) log entry 2 "
                                 "cannot be played again: trigger 'escalation' has no "
                                 "suggested inject open")  # fmt: skip


def test_cli_says_which_commands_it_passed_over(tmp_path: Path) -> None:
    bundle = load_bundle(MOOT)
    path = tmp_path / "moot.jsonl"
    path.write_text(dumps_log(make_header(bundle, 3), moot_log()), encoding="utf-8")
    out = runner.invoke(app, ["whatif", str(path), "--drop", "3", "-n", "20", "--lang", "de"])
    assert out.exit_code == 0, out.output
    result = whatif(bundle, 3, moot_log(), Drop(3), n=20)
    assert result.risk is not None
    words = " ".join(out.output.split())
    assert result.risk.skipped[0].text("de") in words
