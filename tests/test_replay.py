"""`tabletop replay` and the scrubber behind the replay page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.exercise.log import read_log
from simulator.exercise.replay import replay
from simulator.exercise.scrub import Scrubber
from simulator.exercise.views import Publication

LOG = Path(__file__).resolve().parent.parent / "notebooks" / "data" / "exercise-log.jsonl"
runner = CliRunner()


def test_the_scrubber_equals_a_fresh_replay_forwards_and_back() -> None:
    header, entries = read_log(LOG.read_text(encoding="utf-8"))
    scrubber = Scrubber(header, entries)
    for t in (0, 3600, 306_000, 365_400, 400_000, 300_000, 604_800, 700_000, 10):
        got, want = scrubber.at(t), replay(header, entries, t)
        assert [r.to_dict() for r in got.sim.records] == [r.to_dict() for r in want.sim.records]
        assert [e.to_dict() for e in got.log] == [e.to_dict() for e in want.log]
    assert scrubber.restarts == 3  # the first, back to 300,000 s and back to 10 s


def test_replay_at_a_time_matches_the_library() -> None:
    result = runner.invoke(app, ["replay", str(LOG), "--at", "4d14h", "--json"])
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    t = 4 * 86400 + 14 * 3600
    header, entries = read_log(LOG.read_text(encoding="utf-8"))
    exercise = replay(header, entries, t)
    assert got["at"] == t and got["end"] == 604_800
    assert got["board"] == Publication(exercise).board()
    assert got["records"] == len(exercise.sim.records)
    # exactly the entries logged up to then: seq 20 and 21 are at 396,000 s = t, 22 later
    assert [e["seq"] for e in got["log"]] == list(range(1, 22))
    # the decisions and injects among them: all but the clock's (seq 1 start, 5 speed)
    assert [h["seq"] for h in got["happened"]] == [2, 3, 4, *range(6, 22)]
    # by hand: raw milk intake fell below its MBCO at the encryption and is past its RTO
    milk = next(r for r in got["board"] if r["rto_left_h"] is not None and r["rto_left_h"] < 0)
    assert milk["rto_breached"] and milk["state"] == "down"
    assert got["impact_eur"] == pytest.approx(sum(r["impact_eur"] for r in got["board"]))


def test_replay_json_has_the_keys_of_run_json() -> None:
    replayed = json.loads(runner.invoke(app, ["replay", str(LOG), "--json"]).stdout)
    header, _ = read_log(LOG.read_text(encoding="utf-8"))
    scenario = Path("scenarios") / (header.scenario or "")
    ran = json.loads(runner.invoke(app, ["run", str(scenario), "--json", "--seed",
                                         str(header.seed), "--until", "7d"]).stdout)  # fmt: skip
    assert list(replayed)[: len(ran)] == list(ran)
    assert replayed["horizon_h"] == ran["horizon_h"] == 168.0


def test_replay_prints_the_board_and_what_happened_in_german() -> None:
    result = runner.invoke(app, ["replay", str(LOG), "--at", "3d13h", "--lang", "de"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "T+3 Tg. 13 Std." in out and "Mo 16.03.2026 11:00 MEZ" in out
    assert "Prozesstafel" in out and "Entscheidungen und Einlagen bis T+3 Tg. 13 Std. (5)" in out
    assert "Schaden bis hier: 0 EUR" in out


def test_replay_html_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["replay", str(LOG), "--at", "5d", "--html", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script src=" not in page and "Process board at T+5 d" in page
    assert page.count("Plotly.newPlot") == 3


@pytest.mark.parametrize(("args", "message"), [
    (["--at", "-1h"], "--at: not a duration: '-1h'"),
    (["--at", "29d"], "--at: '29d' is past the exercise's horizon (672 h)"),
    (["--lang", "fr"], "--lang: use de or en, not 'fr'"),
])  # fmt: skip
def test_replay_refuses_bad_options_in_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["replay", str(LOG), *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_replay_refuses_bad_logs_in_one_line(tmp_path: Path) -> None:
    lines = LOG.read_text(encoding="utf-8").splitlines()
    head = json.loads(lines[0])
    cases = {
        "bad.jsonl": (lines[0] + "\n" + lines[1].replace('"seq": 1', '"seq": "x"') + "\n",
                      "bad.jsonl:2: seq: "),
        "player.jsonl": (json.dumps({k: v for k, v in head.items()
                                     if k not in ("bundle", "seed", "checkpoint")}) + "\n",
                         "the log's header has no scenario bundle and seed"),
        "engine.jsonl": (json.dumps({**head, "engine": "0.0.1", "checkpoint": {
            **head["checkpoint"], "digest": "0" * 64}}) + "\n" + "\n".join(lines[1:]) + "\n",
                         "engine.jsonl: the log was written by engine 0.0.1"),
    }  # fmt: skip
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        result = runner.invoke(app, ["replay", str(path)])
        assert result.exit_code == 2, name
        assert message in result.stderr and "Traceback" not in result.output, result.stderr
        assert result.stderr.count("\n") == 1
    missing = runner.invoke(app, ["replay", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr


def test_a_hazard_inject_is_named_by_its_type_in_the_language() -> None:
    """Seq 22 of the bundled log: the facilitator's outage of the switchboard
    (id "switchboard", no title) reads "Ausfall (switchboard)" in German and
    "Outage (switchboard)" in English, not the raw type "outage" (QA pass)."""
    for lang, said in (("de", "Ausfall (switchboard)"), ("en", "Outage (switchboard)")):
        result = runner.invoke(app, ["replay", str(LOG), "--json", "--lang", lang])
        assert result.exit_code == 0, result.output
        (found,) = [h for h in json.loads(result.stdout)["happened"] if h["seq"] == 22]
        assert found["text"] == said, found
