"""The value of each decision (simulator/exercise/decisions.py) and
`tabletop decisions`.

The small company of tests/data/whatif (see tests/test_whatif.py): the
server fails at T+1 h for good; the standby is up 2 h after its activation;
order entry costs 1,000 EUR/h below its MBCO, RTO 4 h, MTPD 8 h.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from exercise_logs import log
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.exercise.decisions import decision_values, first_inject
from simulator.exercise.log import dumps_log, make_header, read_log
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


def test_a_decision_by_hand(small: ScenarioBundle) -> None:
    entries = log((0, "clock", {"action": "start"}), (H, "msel", {"inject": "crash"}),
                  (2 * H, "msel", {"inject": "call"}),
                  (3 * H, "decision", {"action": "activate_standby"}),
                  (4 * H, "decision", {"text": "Call the insurer."}))  # fmt: skip
    values = decision_values(small, 3, entries)
    assert values.first_inject_at == H
    [d] = values.decisions  # free text has no catalogue action: no value
    # As played: down T+1..5 h = 4 h, 4,000 EUR, no breach. Without: down
    # T+1..24 h = 23 h, 23,000 EUR, 19 h beyond the RTO, both breached.
    assert (d.seq, d.effect_seq, d.sim_time, d.action) == (4, 4, 3 * H, "activate_standby")
    assert (d.avoided_eur, d.avoided_breach_h) == (19000.0, 19.0)
    assert (d.avoided_rto_breaches, d.avoided_mtpd_breaches) == (1, 1)
    assert d.kept_within_mtpd == ("orders",) and d.kept_within_rto == ("orders",)
    assert d.pushed_past_mtpd == ()
    # At the first inject (T+1 h): up at T+3 h, 2 h down, 2,000 EUR: 2,000 less.
    assert d.earlier_at == H and d.earlier_gain_eur == 2000.0
    assert d.sentence["en"] == (
        "“Activate the standby server” at T+3 h avoided 19 k EUR of impact and 19 h beyond "
        "the RTO, and kept Order entry within its MTPD. Taken at the first inject (T+1 h) it "
        "would have avoided a further 2,000 EUR."
    )
    assert d.sentence["de"] == (
        "„Ersatzserver aktivieren“ bei T+3 Std. vermied 19 Tsd. EUR Schaden und 19 Std. über "
        "der WAZ und hielt Auftragserfassung innerhalb der MTA. Bei der ersten Einlage "
        "(T+1 Std.) getroffen, hätte sie weitere 2.000 EUR vermieden."
    )


def test_an_accepted_proposal_counts_a_rejected_one_not(small: ScenarioBundle) -> None:
    entries = log((0, "clock", {"action": "start"}), (H, "msel", {"inject": "crash"}),
                  (H + H // 2, "proposal", {"action": "activate_standby"}),
                  (2 * H, "proposal", {"action": "restore_server"}),
                  (2 * H, "reject", {"proposal": 4}),
                  (3 * H, "accept", {"proposal": 3}))  # fmt: skip
    [d] = decision_values(small, 3, entries).decisions
    # Took effect with the accept at T+3 h: the figures of a decision then.
    assert (d.seq, d.effect_seq, d.sim_time) == (3, 6, 3 * H)
    assert (d.avoided_eur, d.earlier_gain_eur) == (19000.0, 2000.0)


def test_a_decision_before_any_inject_has_no_earlier_variant(small: ScenarioBundle) -> None:
    entries = log((0, "decision", {"action": "restore_server"}), (H, "msel", {"inject": "crash"}))
    [d] = decision_values(small, 3, entries).decisions
    # Restoring a server that is up changes nothing.
    assert (d.avoided_eur, d.earlier, d.earlier_at) == (0.0, None, None)
    assert d.sentence["en"] == "“Restart the server” at T+0 h did not change the impact."
    assert d.sentence["de"] == "„Server neu starten“ bei T+0 Std. änderte den Schaden nicht."
    assert first_inject(entries) == H


def test_a_harmful_decision_reads_so(small: ScenarioBundle) -> None:
    entries = log((0, "clock", {"action": "start"}), (H, "msel", {"inject": "crash"}),
                  (3 * H, "decision", {"action": "activate_standby"}),
                  (6 * H, "decision", {"action": "switch_off_standby"}))  # fmt: skip
    on, off = decision_values(small, 3, entries).decisions
    # As played: down T+1..5 h and T+6..24 h: 22 h, 22,000 EUR, the second
    # outage 14 h beyond the RTO and past the MTPD. Without the switch-off:
    # 4 h, 4,000 EUR, no breach. Switched off at T+1 h instead (the standby
    # was idle then: nothing happens) the activation holds: 4,000 EUR.
    assert (off.avoided_eur, off.avoided_breach_h) == (-18000.0, -14.0)
    assert (off.avoided_rto_breaches, off.avoided_mtpd_breaches) == (-1, -1)
    assert off.pushed_past_mtpd == ("orders",) and off.kept_within_mtpd == ()
    assert off.earlier_gain_eur == 18000.0
    assert off.sentence["en"] == (
        "“Switch off the standby server” at T+6 h added 18 k EUR of impact and 14 h beyond the "
        "RTO; it pushed Order entry past its MTPD. Taken at the first inject (T+1 h) it would "
        "have avoided a further 18 k EUR."
    )
    assert off.sentence["de"] == (
        "„Ersatzserver abschalten“ bei T+6 Std. verursachte 18 Tsd. EUR zusätzlichen Schaden "
        "und 14 Std. über der WAZ; sie brachte Auftragserfassung über die MTA. Bei der ersten "
        "Einlage (T+1 Std.) getroffen, hätte sie weitere 18 Tsd. EUR vermieden."
    )
    # The activation still saved the hour T+5..6 h (23 h down without it):
    # 1,000 EUR and 5 h beyond the RTO (19 h without it, 14 h with it).
    assert (on.avoided_eur, on.avoided_breach_h, on.avoided_mtpd_breaches) == (1000.0, 5.0, 0)
    # At T+1 h: up at T+3 h, down again at T+6 h: 20 h, 2,000 EUR less.
    assert on.earlier_gain_eur == 2000.0
    assert on.sentence["en"].startswith("“Activate the standby server” at T+3 h avoided "
                                        "1,000 EUR of impact and 5.0 h beyond the RTO.")  # fmt: skip


@pytest.fixture(scope="module")
def dairy_values() -> Any:
    header, entries = read_log(DAIRY_LOG.read_text(encoding="utf-8"))
    assert header.seed is not None and header.scenario is not None
    bundle = load_bundle(ROOT / "scenarios" / header.scenario)
    return bundle, decision_values(bundle, header.seed, entries)


def test_the_dairy_exercise(dairy_values: Any) -> None:
    bundle, values = dairy_values
    by_action = {d.action: d for d in values.decisions}
    # Entry 7 is free text; the accepted proposal 13 is a decision.
    assert [d.seq for d in values.decisions] == [9, 10, 12, 13, 19, 21, 24]
    assert values.first_inject_at == 3600  # r01 released at T+1 h
    # A workaround only ever adds capacity: each one paid, none made things worse.
    for action in ("manual_orders", "manual_dispatch", "paper_release", "manual_production"):
        d = by_action[action]
        assert d.avoided_eur > 0, action
        assert all(p.diff.impact_eur >= 0 for p in d.without.processes), action
    assert "order_entry" in by_action["manual_orders"].kept_within_mtpd
    # Separating IT and OT after the detonation (T+97.5 h) came too late to
    # matter; at T+1 h, before the attackers reached the jump hosts, it
    # would have kept process control running.
    isolate = by_action["isolate_ot"]
    assert isolate.avoided_eur == 0.0
    assert isolate.earlier_gain_eur is not None and isolate.earlier_gain_eur > 0
    assert sum(d.avoided_eur for d in values.decisions) > 0
    for d in values.decisions:
        assert d.sentence["en"].startswith("“") and " at T+" in d.sentence["en"]
        assert d.sentence["de"].startswith("„") and " Std." in d.sentence["de"]


def test_decision_values_are_deterministic(dairy_values: Any) -> None:
    bundle, values = dairy_values
    header, entries = read_log(DAIRY_LOG.read_text(encoding="utf-8"))
    assert header.seed is not None
    again = decision_values(bundle, header.seed, entries)
    assert json.dumps(again.to_dict()) == json.dumps(values.to_dict())


def test_cli_decisions(small: ScenarioBundle, tmp_path: Path) -> None:
    result = runner.invoke(app, ["decisions", str(DAIRY_LOG), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["seq"] for d in data["decisions"]] == [9, 10, 12, 13, 19, 21, 24]
    assert set(data["decisions"][0]["sentence"]) == {"de", "en"}
    result = runner.invoke(app, ["decisions", str(DAIRY_LOG), "--lang", "de"])
    assert result.exit_code == 0, result.output
    assert "Der Wert jeder Entscheidung" in result.stdout
    assert "Manuelle Auftragserfassung" in result.stdout and "MTA" in result.stdout
    path = tmp_path / "log.jsonl"
    path.write_text(dumps_log(make_header(small, 3), log((0, "clock", {"action": "start"}))),
                    encoding="utf-8")  # fmt: skip
    result = runner.invoke(app, ["decisions", str(path)])
    assert result.exit_code == 0 and "no decision with a catalogue action" in result.stdout
    result = runner.invoke(app, ["decisions", str(path), "--lang", "xx"])
    assert result.exit_code == 2 and "--lang: use de or en" in result.stderr
