"""The `tabletop` command line, run in-process with typer's CliRunner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app as cli
from simulator.cli.app import app

DATA = Path(__file__).resolve().parent / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"

runner = CliRunner()


def test_validate_good_files() -> None:
    files = [str(GOOD / "scenario.yaml"), str(GOOD / "company.yaml")]
    result = runner.invoke(app, ["validate", *files])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"OK {f}" for f in files]


def test_validate_reports_every_problem_and_exits_2() -> None:
    good = str(GOOD / "scenario.yaml")
    bad = str(BAD / "many_problems.yaml")
    result = runner.invoke(app, ["validate", good, bad])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0] == f"OK {good}"
    assert len(lines) == 5
    assert lines[1] == f"{bad}:6: seeed: unknown field; did you mean 'seed'?"
    assert all(line.startswith(f"{bad}:") for line in lines[1:])


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir()))
def test_validate_never_shows_a_traceback(name: str) -> None:
    result = runner.invoke(app, ["validate", str(BAD / name)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stdout.startswith(str(BAD / name))


def test_validate_missing_file() -> None:
    result = runner.invoke(app, ["validate", "no/such/file.yaml"])
    assert result.exit_code == 2
    assert result.stdout == "no/such/file.yaml: file: cannot read: No such file or directory\n"


def test_shared_company_problems_are_printed_once(tmp_path: Path) -> None:
    (tmp_path / "company.yaml").write_text(
        (BAD / "unknown_team.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    files = []
    for name in ("a.yaml", "b.yaml"):
        path = tmp_path / name
        path.write_text("scenario: {id: s, title: t}\ncompany: company.yaml\n", encoding="utf-8")
        files.append(str(path))
    result = runner.invoke(app, ["validate", *files])
    assert result.exit_code == 2
    assert result.stdout.count("unknown team 'opps'") == 1


def test_validate_reports_internal_errors_without_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(path: object) -> list[object]:
        raise RuntimeError("kaputt")

    monkeypatch.setattr(cli, "validate_file", boom)
    result = runner.invoke(app, ["validate", "x.yaml"])
    assert result.exit_code == 2
    assert result.stdout == "x.yaml: internal error (please report): RuntimeError: kaputt\n"


@pytest.mark.parametrize(("args", "field"), [([], "injects"), (["company"], "assets")])
def test_schema(args: list[str], field: str) -> None:
    result = runner.invoke(app, ["schema", *args])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert field in schema["properties"]
    assert schema["additionalProperties"] is False


def test_schema_rejects_unknown_kind() -> None:
    result = runner.invoke(app, ["schema", "nonsense"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_no_arguments_shows_help() -> None:
    result = runner.invoke(app, [])
    assert "validate" in result.output
    assert "schema" in result.output


EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "example" / "scenario.yaml"


def test_run_json_has_the_documented_fields() -> None:
    result = runner.invoke(app, ["run", str(EXAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report)[:4] == ["scenario", "seed", "horizon_h", "records"]
    assert (report["scenario"], report["seed"], report["horizon_h"]) == ("beispiel-stromausfall", 7, 240.0)
    process_keys = {"id", "first_impact_h", "downtime_h", "below_mbco_h", "restored_h", "rto_h",
                    "mtpd_h", "rto_breached", "mtpd_breached", "impact_eur"}
    assert all(process_keys <= set(p) for p in report["processes"])
    assert [p["id"] for p in report["processes"]] == ["production", "order_entry", "dispatch"]
    assert all({"id", "kind", "first_down_h", "downtime_h"} <= set(a) for a in report["assets"])
    # production is down 17 h against a 12 h RTO; order entry never past its RTO
    assert [(o["id"], o["met"]) for o in report["objectives"]] == [("orders_in_rto", True), ("production_in_mtpd", True)]


def test_run_seed_and_until_options() -> None:
    result = runner.invoke(app, ["run", str(EXAMPLE), "--json", "--seed", "3", "--until", "1d"])
    report = json.loads(result.stdout)
    assert (report["seed"], report["horizon_h"]) == (3, 24.0)
    production = report["processes"][0]
    assert production["first_impact_h"] is None  # the plant holds out for the first day


def test_run_writes_events_and_a_self_contained_timeline(tmp_path: Path) -> None:
    events, html = tmp_path / "events.jsonl", tmp_path / "timeline.html"
    result = runner.invoke(app, ["run", str(EXAMPLE), "--events", str(events), "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert "Milk processing" in result.stdout and "yes" in result.stdout
    lines = events.read_text().splitlines()
    first = json.loads(lines[0])
    assert list(first) == ["seq", "t", "event", "asset", "before", "after", "state", "cause", "detail"]
    assert [json.loads(line)["seq"] for line in lines] == list(range(len(lines)))
    page = html.read_text()
    assert page.startswith("<html") or page.lstrip().lower().startswith("<!doctype") or "<html" in page[:200]
    assert "<script src=" not in page


def test_run_reports_bad_input_without_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(BAD / "many_problems.yaml")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["run", str(EXAMPLE), "--until", "soon"])
    assert result.exit_code == 2
    assert "--until: not a duration" in result.output


def test_generate_writes_files_that_validate_and_run(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", "--assets", "300", "--seed", "4", "--out", str(tmp_path),
                                 "--format", "json", "--failures", "20"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "company.json").exists()
    assert runner.invoke(app, ["validate", str(tmp_path / "scenario.yaml")]).exit_code == 0
    report = json.loads(runner.invoke(app, ["run", str(tmp_path / "scenario.yaml"), "--json"]).stdout)
    assert len(report["assets"]) == 300
    assert sum(1 for a in report["assets"] if a["first_down_h"] is not None) >= 20


def test_validate_in_german() -> None:
    bad = str(BAD / "many_problems.yaml")
    result = runner.invoke(app, ["validate", "--lang", "de", bad])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    # The same problems, the messages in German; file, line and field as written.
    assert lines[0] == f"{bad}:6: seeed: unbekanntes Feld; meinten Sie 'seed'?"
    assert f"{bad}:9: injects[0] (a).at: 2d liegt nach dem Ende des Szenarios (Horizont 1d)" in lines
    assert not [line for line in lines if "unknown" in line or "did you mean" in line]


def test_run_in_german_has_german_headers_and_figures() -> None:
    english = runner.invoke(app, ["run", str(EXAMPLE)], terminal_width=200)
    german = runner.invoke(app, ["run", str(EXAMPLE), "--lang", "de"], terminal_width=200)
    assert english.exit_code == german.exit_code == 0, german.output
    for word in ("Geschäftsprozesse", "Prozess", "WAZ", "MTA", "Schaden", "Am längsten",
                 "Ressource", "Seed", "Ereignisse", "ja"):  # fmt: skip
        assert word in german.stdout, word
    for word in ("Business processes", "breached", "impact", "Assets down", "records", "met"):
        assert word in english.stdout and word not in german.stdout, word
    # German figures: a decimal comma (the example's production is down 64.5 h).
    assert "64,5" in german.stdout and "64.5" in english.stdout


def test_calendar_times_across_the_spring_clock_change() -> None:
    """tests/data/dst starts Sat 28.03.2026 12:00 CET (11:00 UTC); the clocks go
    forward at 01:00 UTC on Sunday. Hour 24 (Sun 11:00 UTC) is 13:00 CEST, the
    end at 48 h (Mon 11:00 UTC) 13:00 CEST; wan_a fails at 20 h (Sun 07:00 UTC
    = 09:00 CEST), wan_b at 12 h (Sat 23:00 UTC = Sun 00:00 CET)."""
    scenario = str(DATA / "dst" / "scenario.yaml")
    why = runner.invoke(app, ["why", scenario, "wan_a", "--at", "24h"])
    assert why.exit_code == 0, why.output
    lines = why.stdout.splitlines()
    assert lines[0] == "Across the clock change — T+1d 00:00 (Sun 2026-03-29 13:00 CEST), seed 1"
    assert lines[1] == "WAN A (wan_a): down (0 %) since T+20:00, Sun 29/03 09:00 CEST"
    assert lines[2].endswith("(started T+20:00, Sun 29/03 09:00 CEST)")
    german = runner.invoke(app, ["why", scenario, "wan_a", "--at", "24h", "--lang", "de"])
    assert "T+1 Tg. 00:00 (So 29.03.2026 13:00 MESZ)" in german.stdout.splitlines()[0]

    run = runner.invoke(app, ["run", scenario])
    assert run.exit_code == 0, run.output
    flat = " ".join(run.stdout.split())  # rich may wrap the long header
    assert "48 h from Sat 2026-03-28 12:00 CET to Mon 2026-03-30 13:00 CEST" in flat
    table = {line.split("│")[1].strip(): line for line in run.stdout.splitlines()
             if line.startswith("│ WAN")}  # fmt: skip
    assert "Sun 29/03 09:00 CEST" in table["WAN A"]
    assert "Sun 29/03 00:00 CET" in table["WAN B"]
    report = json.loads(runner.invoke(app, ["run", scenario, "--json"]).stdout)
    assert (report["start"], report["timezone"]) == ("2026-03-28T12:00:00+01:00", "Europe/Berlin")


DAIRY_LOG = Path(__file__).resolve().parent.parent / "notebooks" / "data" / "exercise-log.jsonl"
ENGLISH = ("seed", "records", "log entries", "decisions", "plan items", "wrote", "assets)",
           "Sweep", "p_rto_breach", "impact", "downtime", "no asset", "past the", "horizon",
           "not UTF-8", "nothing to write", "give ", "write ", "must be", "missing",
           "replicat", "entry", "catalogue", "along this path", "unknown")  # fmt: skip
"""Words of the English command line that a German line must not contain
(ids and option names aside: none of the ids below holds one of them)."""


def _german(args: list[str], *expected: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--lang", "de"], terminal_width=250)
    assert result.exit_code == code, result.output
    out = result.output
    for word in ENGLISH:  # as a word: the file inject_unknown_asset.yaml may be named
        assert not re.search(rf"(?<![\w/]){re.escape(word)}", out), (args, word, out)
    for word in expected:
        assert word in " ".join(out.split()), (args, word, out)
    return out


def test_every_command_speaks_german(tmp_path: Path) -> None:
    """Each command's own lines under --lang de: summaries, headers, units,
    what it wrote; the dairy log's report holds its 37 entries, 7 decisions
    and 2 improvement-plan items (notebooks/data/make_log.py)."""
    example, log = str(EXAMPLE), str(DAIRY_LOG)
    _german(["why", example, "plant", "--at", "3h"], "T+03:00", "Seed 7")
    _german(["report", log, "--html", str(tmp_path / "r.html")],
            "37 Protokolleinträge, 7 Entscheidungen, 2 Maßnahmen im Plan")
    _german(["replay", log, "--at", "30h"], "Seed 4711", "Prozesstafel")
    _german(["whatif", log, "--drop", "12"], "Was wäre wenn", "Prozess")
    _german(["generate", "--assets", "200", "--out", str(tmp_path / "gen")],
            f"{tmp_path / 'gen' / 'company.yaml'} (200 Ressourcen) und "
            f"{tmp_path / 'gen' / 'scenario.yaml'} geschrieben")
    # A grid of two fuel tanks, three replications: the German table with
    # decimal commas (P(WAZ verfehlt) is a share: 0,000 to 1,000).
    sweep = _german(["sweep", example, "-n", "3", "--workers", "1",
                     "--param", "assets.plant.needs.power.buffers.fuel.capacity=12h,48h"],
                    "Parameterstudie", "P(WAZ", "verfehlt)", "Mittel")
    assert any(",000" in line for line in sweep.splitlines())
    _german(["montecarlo", example, "-n", "2", "--workers", "1"], "Durchläufe", "Basis-Seed 0")


def test_refusals_speak_german(tmp_path: Path) -> None:
    example, log = str(EXAMPLE), str(DAIRY_LOG)
    (tmp_path / "bin.jsonl").write_bytes(b"\xff\xfe")
    _german(["why", example, "nope", "--at", "3h"],
            "asset: keine Ressource 'nope' im Unternehmen 'beispiel-molkerei'", code=2)
    _german(["why", example, "plant", "--at", "11d"],
            "--at: '11d' liegt nach dem Ende des Szenarios (240 Std.)", code=2)
    _german(["run", example, "--until", "soon"], "--until: keine Dauer: 'soon'", code=2)
    _german(["run", str(BAD / "inject_unknown_asset.yaml")], "unbekannte Ressource 'sever'",
            code=2)
    _german(["replay", log, "--at", "1000h"],
            "--at: '1000h' liegt nach dem Ende der Übung (672 Std.)", code=2)
    _german(["replay", str(tmp_path / "bin.jsonl")], "bin.jsonl: kein UTF-8-Text (Byte 0)",
            code=2)
    _german(["report", log], "nichts zu schreiben: bitte --html, --pdf, --plan-csv oder "
            "--plan-xlsx angeben", code=2)
    _german(["report", log, log], "2 Protokolle angegeben", code=2)
    _german(["whatif", log], "bitte genau eines angeben von --drop SEQ", code=2)
    _german(["whatif", log, "--replace", "x=y"],
            "--replace: SEQ muss eine Eintragsnummer des Protokolls sein, nicht 'x'", code=2)
    _german(["whatif", log, "--replace", "12"], "--replace: bitte SEQ=ACTION angeben", code=2)
    _german(["whatif", log, "--drop", "2"], "--drop: Eintrag 2 (Drehbuch-Einlage) ist weder", code=2)
    _german(["whatif", log, "--replace", "12=nope"],
            "--replace: keine Maßnahme 'nope' im Katalog des Szenarios", code=2)
    _german(["decisions", str(tmp_path / "bin.jsonl")], "kein UTF-8-Text", code=2)
    _german(["sweep", example, "--param", "assets.nope.x=1"], "kein 'nope' auf diesem Pfad",
            code=2)
