"""Loading scenario files: every problem at once, each with file, line and field.

The corpus under tests/data/bad holds one small broken file per kind of
mistake; the table below pins the exact `file:line: field` each one reports.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from simulator.model.validation import Problem, ScenarioError
from simulator.readwrite import build, io
from simulator.readwrite.io import (
    LineMap,
    load_bundle,
    load_company,
    read_yaml,
    validate_file,
    write_jsonl,
    write_text,
)

DATA = Path(__file__).resolve().parent / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"
REPO = Path(__file__).resolve().parent.parent

# file, line, field, part of the message
CORPUS: list[tuple[str, int | None, str, str]] = [
    ("yaml_syntax.yaml", 6, "yaml", "did not find expected ',' or ']'"),
    ("unknown_field.yaml", 5, "horizn", "unknown field; did you mean 'horizon'?"),
    ("wrong_type.yaml", 5, "seed", "valid integer"),
    ("unknown_asset.yaml", 10, "assets[1] (site).needs[0].all_of[0]", "unknown asset 'grd'; did you mean 'grid'?"),
    ("k_too_big.yaml", 13, "assets[2] (room).needs[0].k_of_n.k", "k is 3 but the group has only 2 members"),
    ("negative_duration.yaml", 5, "horizon", "not a duration: '-2h'"),
    ("bare_number.yaml", 6, "hazards[0].at", "write a unit with the number 5"),
    ("rto_exceeds_mtpd.yaml", 7, "assets[0] (orders).bia", "rto must not exceed mtpd"),
    ("duplicate_ids.yaml", 9, "assets[2] (grid).id", "duplicate asset id 'grid' (first at assets[0].id)"),
    ("duplicate_key.yaml", 7, "seed", "duplicate key 'seed' (first on line 5)"),
    ("missing_company.yaml", 4, "company", "cannot read company file '../good/no-such-company.yaml'"),
    ("inject_unknown_asset.yaml", 11, "injects[0] (fire).do[1].asset", "unknown asset 'sever'; did you mean 'server'?"),
    ("detect_unknown_hazard.yaml", 11, "injects[0] (m1).do[0].hazard", "no hazard with id 'lockr' in this scenario; did you mean 'locker'?"),
    ("unknown_team.yaml", 11, "assets[0] (server).recovery.team", "unknown team 'opps'; did you mean 'ops'?"),
    ("inject_unknown_team.yaml", 9, "injects[0] (press).teams[1]", "inject 'press' is addressed to team 'press_office', which the company does not define (teams: 'it')"),
    ("instant_cycle.yaml", 8, "assets[0] (dns).needs[0]", "instant dependency cycle: dns -> ad -> dns"),
    ("bad_union.yaml", 10, "assets[1] (server).needs[0].any_of[1].share", "less than or equal to 1"),
    ("bad_union.yaml", 16, "assets[2] (app).recovery.time.maxx", "unknown field; did you mean 'max'?"),
    ("hazard_distribution.yaml", 5, "hazards[0].at", "triangular distribution needs min <= mode <= max"),
    ("hazard_distribution.yaml", 10, "hazards[0].hazard.stages[0].after", "uniform distribution needs min <= max"),
    ("hazard_share.yaml", 8, "hazards[0].hazard.fraction", "must lie between 0 and 1"),
    ("unknown_timezone.yaml", 5, "timezone", "unknown time zone 'Europe/Berln' (an IANA name such as 'Europe/Berlin'); did you mean 'Europe/Berlin'?"),
    ("start_in_dst_gap.yaml", 6, "start", "'2026-03-29T02:30' does not exist in 'Europe/Berlin': the clocks go forward that night"),
    ("start_wrong_offset.yaml", 5, "start", "offset '+01:00' is not the offset of 'Europe/Berlin' at that time ('+02:00'): write '2026-07-01T07:00:00+02:00'"),
    ("empty.yaml", None, "file", "empty file"),
    ("top_level_list.yaml", 1, "file", "expected a mapping of keys at the top level, found a list"),
    ("not_utf8.yaml", 3, "file", "not UTF-8 text"),
    ("hazard_misfit.yaml", 7, "hazards[0].hazard.gauge", "no asset is exposed to gauge 'rhine-cologne' (gauges: none)"),
    ("hazard_misfit.yaml", 9, "hazards[1].hazard.entry", "a ransomware entry must be an IT asset (application, data, it_system), not a power utility"),
    ("trigger_references.yaml", 12, "injects[0] (call).when.asset", "unknown asset 'sever'; did you mean 'server'?"),
    ("trigger_references.yaml", 21, "triggers[0] (no-fuel).when.all[0].buffer", "asset 'site' has no buffer 'upss'; did you mean 'ups'?"),
    ("trigger_references.yaml", 22, "triggers[0] (no-fuel).when.all[1].action", "unknown action 'externl_it'; did you mean 'external_it'?"),
    ("trigger_references.yaml", 24, "triggers[0] (no-fuel).do[0].release", "unknown inject 'cal'; did you mean 'call'?"),
    ("trigger_references.yaml", 26, "triggers[1] (outage-noticed).when.any[0].hazard", "no hazard with id 'blackot' in this scenario; did you mean 'blackout'?"),
    ("trigger_references.yaml", 26, "triggers[1] (outage-noticed).when.any[1].process", "'app' is a application asset, not a business_process with a bia"),
    ("trigger_never_true.yaml", 13, "triggers[0] (thresholds).when.any[0].below", "capacity below 1.5 can never be true: give a share above 0 and at most 1"),
    ("trigger_never_true.yaml", 14, "triggers[0] (thresholds).when.any[1].below", "1h is not below the capacity 30min of buffer 'ups': the condition would hold from the start"),
    ("trigger_never_true.yaml", 15, "triggers[0] (thresholds).when.any[2].is", "the MTPD of 'orders' (1d) is not shorter than the scenario (12h): it can never be breached"),
    ("trigger_never_true.yaml", 16, "triggers[0] (thresholds).when.any[3].impact_above", "'orders' can cause at most 60000 EUR of impact in 12h: 100000 EUR is never reached"),
    ("trigger_never_true.yaml", 17, "triggers[0] (thresholds).when.any[4].is", "hazard 'blackout' is of type outage: only a flood has a peak"),
    ("trigger_never_true.yaml", 18, "triggers[0] (thresholds).when.any[5].is", "'orders' stands on no data asset: it can lose no data"),
    ("objective_references.yaml", 10, "objectives[0] (impact).amount", "a max_impact objective needs 'amount'"),
    ("objective_references.yaml", 13, "objectives[1] (early).by", "a decision_before objective needs 'by'"),
    ("objective_references.yaml", 16, "objectives[1] (early).action", "unknown action 'papr'; did you mean 'paper'?"),
    ("objective_references.yaml", 20, "objectives[2] (data).process", "unknown asset 'ordrs'; did you mean 'orders'?"),
    ("objective_references.yaml", 25, "objectives[3] (late).by", "4d is after the end of the scenario (horizon 3d)"),
    ("objective_references.yaml", 30, "injects[0] (press).objective", "unknown objective 'eraly'; did you mean 'early'?"),
    ("trigger_no_condition.yaml", 7, "triggers[0] (vague).when", "a condition needs one of the keys asset, process, buffer, action, hazard, after, all, any, not"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "line", "field", "message"), CORPUS, ids=[f"{c[0]}:{c[2]}" for c in CORPUS]
)
def test_bad_file_reports_problem_at_its_line(
    name: str, line: int | None, field: str, message: str
) -> None:
    path = BAD / name
    problems = [str(p) for p in validate_file(path)]
    where = f"{path}:{line}" if line is not None else str(path)
    expected = f"{where}: {field}: "
    found = [p for p in problems if p.startswith(expected)]
    assert found, f"no problem starting {expected!r} in {problems}"
    assert any(message in p for p in found), f"{message!r} not in {found}"


def test_every_bad_file_is_in_the_table() -> None:
    covered = {c[0] for c in CORPUS} | {"many_problems.yaml"}
    assert {p.name for p in BAD.iterdir()} == covered


def test_single_problem_files_report_exactly_one() -> None:
    multi = {"bad_union.yaml", "many_problems.yaml", "hazard_misfit.yaml", "hazard_distribution.yaml",
             "trigger_references.yaml", "trigger_never_true.yaml",
             "objective_references.yaml"}
    for name in {c[0] for c in CORPUS} - multi:
        assert len(validate_file(BAD / name)) == 1, name


def test_all_problems_of_a_file_at_once() -> None:
    """Schema errors and cross-reference problems come in one pass: the parts
    with schema errors are left out and the rest is still checked."""
    path = BAD / "many_problems.yaml"
    with pytest.raises(ScenarioError) as caught:
        load_bundle(path)
    lines = [str(p) for p in caught.value.problems]
    assert lines == [
        f"{path}:6: seeed: unknown field; did you mean 'seed'?",
        f"{path}:9: injects[0] (a).at: 2d is after the end of the scenario (horizon 1d)",
        f"{path}:11: injects[1] (a).id: duplicate inject id 'a' (first at injects[0].id)",
        f"{path}:15: injects[1] (a).do[0].process: asset 'server' has no workaround",
    ]
    assert str(caught.value) == "\n".join(lines)


def test_good_bundle_loads() -> None:
    bundle = load_bundle(GOOD / "scenario.yaml")
    assert bundle.scenario.horizon == 3 * 86400
    assert [a.id for a in bundle.company.assets][:2] == ["grid", "site"]
    assert validate_file(GOOD / "company.yaml") == []
    assert load_company(GOOD / "company.yaml") == bundle.company


def test_company_problems_come_with_the_scenario(tmp_path: Path) -> None:
    """A scenario on a broken company reports the company's problems, named by
    the company file's path, together with its own."""
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "company.yaml").write_text(
        (BAD / "unknown_team.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "scenario: {id: s, title: t}\ncompany: models/company.yaml\nseed: -1\n", encoding="utf-8"
    )
    problems = validate_file(scenario)
    assert [(Path(p.file), p.line, p.field) for p in problems] == [
        (scenario, 3, "seed"),
        (tmp_path / "models" / "company.yaml", 11, "assets[0] (server).recovery.team"),
    ]


def test_scenario_refs_to_broken_assets_are_not_reported_again(tmp_path: Path) -> None:
    company = tmp_path / "company.yaml"
    company.write_text(
        "company: {id: c, name: C}\n"
        "assets:\n"
        "  - {id: grid, kind: utility, restart: 5}\n"  # bare number: grid is left out
        "  - {id: site, kind: site, needs: [{all_of: [grid]}]}\n",
        encoding="utf-8",
    )
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "scenario: {id: s, title: t}\ncompany: company.yaml\n"
        "hazards: [{hazard: {type: outage, assets: [grid, gird]}}]\n",
        encoding="utf-8",
    )
    problems = validate_file(scenario)
    assert [(p.line, p.field) for p in problems] == [
        (3, "hazards[0].hazard.assets[1]"),
        (3, "assets[0] (grid).restart"),
    ]
    assert problems[0].message.startswith("unknown asset 'gird'")
    assert problems[1].message == "write a unit with the number 5, e.g. '5h' or '5min'"


def company_with(tmp_path: Path, asset: str) -> Path:
    """A company file whose third asset is `asset` (YAML flow mapping)."""
    path = tmp_path / "company.yaml"
    path.write_text(
        "company: {id: c, name: C}\n"
        "teams: {it: {size: 1}}\n"
        "assets:\n"
        "  - {id: grid, kind: utility}\n"
        "  - {id: site, kind: site}\n"
        f"  - {asset}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("asset", "field", "message"),
    [
        # a union of a duration and a distribution: the member that fits the value speaks
        ("{id: a, kind: data, recovery: {time: x}}", "assets[2] (a).recovery.time", "not a duration: 'x'"),
        ("{id: a, kind: data, recovery: {time: 5}}", "assets[2] (a).recovery.time", "write a unit"),
        ("{id: a, kind: data, recovery: {time: {dist: bogus}}}", "assets[2] (a).recovery.time.dist",
         "unknown dist 'bogus' (expected one of: triangular, uniform, lognormal)"),
        ("{id: a, kind: data, recovery: {time: {min: 1h}}}", "assets[2] (a).recovery.time.dist",
         "missing required field"),
        ("{id: a, kind: data, recovery: {time: {dist: uniform, min: 1h}}}",
         "assets[2] (a).recovery.time.max", "missing required field"),
        # an id or a {asset, share} provider
        ("{id: a, kind: data, needs: [{any_of: ['bad id!']}]}", "assets[2] (a).needs[0].any_of[0]",
         "String should match pattern"),
        ("{id: a, kind: data, needs: [{any_of: [{share: 0.5}]}]}",
         "assets[2] (a).needs[0].any_of[0].asset", "missing required field"),
        ("{id: a, kind: data, needs: [{any_of: [{asset: grid, shares: 1}]}]}",
         "assets[2] (a).needs[0].any_of[0].shares", "unknown field; did you mean 'share'?"),
        # text or {de, en}
        ("{id: a, kind: data, name: {de: x, fr: y}}", "assets[2] (a).name.fr", "unknown field"),
        ("{id: a, kind: data, needs: [{all_of: [grid], any_of: [site]}]}", "assets[2] (a).needs[0]",
         "give exactly one of all_of, any_of, k_of_n (found all_of, any_of)"),
        ("{id: a, kind: datacentre}", "assets[2] (a).kind", "Input should be 'site'"),
        ("{id: a, kind: data, recovery: {time: 1h, tem: it}}", "assets[2] (a).recovery.tem",
         "unknown field; did you mean 'team'?"),
        ("{id: a, kind: data, needs: [{all_of: [grid], buffers: [{id: b}]}]}",
         "assets[2] (a).needs[0].buffers[0] (b).capacity", "missing required field"),
    ],
)  # fmt: skip
def test_schema_error_location_and_message(
    tmp_path: Path, asset: str, field: str, message: str
) -> None:
    path = company_with(tmp_path, asset)
    problems = validate_file(path)
    assert [(p.line, p.field) for p in problems] == [(6, field)], problems
    assert message in problems[0].message


def test_command_errors_point_at_the_action(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "scenario: {id: s, title: t}\n"
        f"company: {GOOD / 'company.yaml'}\n"
        "injects:\n"
        "  - id: i\n"
        "    at: 1h\n"
        "    title: t\n"
        "    do:\n"
        "      - {action: dwn, asset: grid}\n"
        "      - {asset: grid}\n"
        "      - action: hazard\n"
        "        hazard: {type: outage, assets: [grid], capacty: 0.5}\n"
        "      - {action: down}\n",
        encoding="utf-8",
    )
    problems = [f"{p.line}: {p.field}: {p.message}" for p in validate_file(path)]
    assert problems[0].startswith(
        "8: injects[0] (i).do[0].action: unknown action 'dwn'; did you mean 'down'?"
    )
    assert problems[1:] == [
        "9: injects[0] (i).do[1].action: missing required field",
        "11: injects[0] (i).do[2].hazard.capacty: unknown field; did you mean 'capacity'?",
        "12: injects[0] (i).do[3].asset: missing required field",
    ]  # fmt: skip


def test_read_yaml_and_line_map(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        "base: &base\n"
        "  kind: site\n"
        "assets:\n"
        "  - id: a\n"
        "    <<: *base\n"
        "    needs:\n"
        "      - all_of: [b,\n"
        "                 c]\n"
        "  - id: b\n",
        encoding="utf-8",
    )
    data, lines = read_yaml(path)
    assert data["assets"][0]["kind"] == "site"
    assert lines.line(()) == 1
    assert lines.line(("assets",)) == 3
    assert lines.line(("assets", 0)) == 4
    assert lines.line(("assets", 0, "needs", 0, "all_of", 1)) == 8
    assert lines.line(("assets", 1, "id")) == 9
    assert lines.line(("assets", 0, "kind")) == 2  # through the merge key
    assert lines.line(("assets", 1, "missing", "deeper")) == 9  # deepest existing part
    assert lines.line(("assets", 7)) == 3
    assert LineMap(None).line(("x",)) is None


def test_duplicate_keys_everywhere(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb:\n  - {c: 1, c: 2}\na: 3\n", encoding="utf-8")
    _, lines = read_yaml(path)
    assert lines.duplicate_keys() == [
        (("b", 0, "c"), 3, "duplicate key 'c' (first on line 3); YAML would keep only the last"),
        (("a",), 4, "duplicate key 'a' (first on line 1); YAML would keep only the last"),
    ]


def test_large_files_skip_the_duplicate_scan_unless_failing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Large JSON files skip the scan for duplicate keys (composing them as
    YAML to find lines costs more than the load) unless they fail anyway;
    YAML files of any size are reported with them (yaml_rs finds them as it
    reads, for free)."""
    monkeypatch.setattr(build, "FULL_CHECK_BYTES", 10)
    monkeypatch.setattr(io, "FULL_CHECK_BYTES", 10)
    assert [p.field for p in validate_file(BAD / "duplicate_key.yaml")] == ["seed"]
    company = (GOOD / "company.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(company)
    key, value = next(iter(data.items()))
    twice = json.dumps(data)[:-1] + f", {json.dumps(key)}: {json.dumps(value)}}}"
    (tmp_path / "company.json").write_text(twice, encoding="utf-8")
    assert validate_file(tmp_path / "company.json") == []  # the same pair twice: same data
    monkeypatch.setattr(build, "FULL_CHECK_BYTES", 10**9)
    monkeypatch.setattr(io, "FULL_CHECK_BYTES", 10**9)
    assert [p.field for p in validate_file(tmp_path / "company.json")] == [key]
    bad = tmp_path / "s.yaml"
    bad.write_text(
        f"scenario: {{id: s, title: t}}\ncompany: {GOOD / 'company.yaml'}\nseed: 1\nseed: x\n",
        encoding="utf-8",
    )
    assert [p.field for p in validate_file(bad)] == ["seed", "seed"]


def test_read_yaml_errors(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        read_yaml(tmp_path / "nope.yaml")
    (problem,) = caught.value.problems
    assert problem == Problem(
        str(tmp_path / "nope.yaml"), None, "file", "cannot read: No such file or directory"
    )
    two = tmp_path / "two.yaml"
    two.write_text("a: 1\n---\nb: 2\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"two.yaml:\d+: yaml: .*single document"):
        read_yaml(two)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_yaml(bom)[0] == {"a": 1}


def test_problem_format() -> None:
    assert str(Problem("f.yaml", 3, "seed", "bad")) == "f.yaml:3: seed: bad"
    assert str(Problem("f.yaml", None, "file", "empty file")) == "f.yaml: file: empty file"
    assert str(Problem("f.yaml", 2, "", "bad")) == "f.yaml:2: bad"


def test_write_text_and_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "dir" / "records.jsonl"
    rows = ({"t": i, "asset": "Kühlung", "state": None} for i in range(3))
    assert write_jsonl(out, rows) == 3
    assert out.read_bytes().decode("utf-8").splitlines() == [
        '{"t":0,"asset":"Kühlung","state":null}',
        '{"t":1,"asset":"Kühlung","state":null}',
        '{"t":2,"asset":"Kühlung","state":null}',
    ]
    assert [json.loads(line)["t"] for line in out.read_text(encoding="utf-8").splitlines()] == [
        0,
        1,
        2,
    ]
    text = tmp_path / "report" / "x.txt"
    write_text(text, "a\nb\n")
    write_text(text, "c\n")
    assert text.read_bytes() == b"c\n"
    assert sorted(p.name for p in text.parent.iterdir()) == ["x.txt"]  # no temporary left


def test_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    write_text(out, "old\n")

    def rows() -> Iterator[dict[str, int]]:
        yield {"a": 1}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_jsonl(out, rows())
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.jsonl"]


def test_generated_company_validates(tmp_path: Path) -> None:
    generate = pytest.importorskip("simulator.model.generate").generate
    company, scenario = generate(300, seed=1)
    (tmp_path / "company.yaml").write_text(yaml.safe_dump(company), encoding="utf-8")
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(scenario), encoding="utf-8")
    assert validate_file(tmp_path / "scenario.yaml") == []


def _scenario_files() -> list[Path]:
    files = []
    for path in sorted((REPO / "scenarios").rglob("*.yaml")):
        data, _ = read_yaml(path)
        if isinstance(data, dict) and "scenario" in data:
            files.append(path)
    return files


def test_shipped_scenarios_validate() -> None:
    if not (REPO / "scenarios").is_dir():
        pytest.skip("no scenarios/ directory yet")
    files = _scenario_files()
    assert files, "scenarios/ holds no scenario file"
    for path in files:
        assert validate_file(path) == [], path


def test_loading_restores_the_garbage_collector() -> None:
    """Loading pauses the cyclic collector for speed; it must come back on,
    also after a failure."""
    assert gc.isenabled()
    load_bundle(GOOD / "scenario.yaml")
    assert gc.isenabled()
    with pytest.raises(ScenarioError):
        load_bundle(BAD / "many_problems.yaml")
    assert gc.isenabled()


def test_a_large_json_company_loads_on_the_fast_path_identically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from simulator.model.generate import generate

    company, scenario = generate(15_000, seed=2, failures=10)
    io.write_data(tmp_path / "company.json", company)
    io.write_data(tmp_path / "scenario.yaml", {**scenario, "company": "company.json"})
    assert (tmp_path / "company.json").stat().st_size > io.FULL_CHECK_BYTES
    fast = io.load_bundle(tmp_path / "scenario.yaml")
    monkeypatch.setattr(io, "FULL_CHECK_BYTES", 10**12)  # every file takes the full path
    assert io.load_bundle(tmp_path / "scenario.yaml") == fast
    monkeypatch.undo()
    company["assets"][7]["needs"] = [{"all_of": ["no-such-asset"]}]
    io.write_data(tmp_path / "company.json", company)
    with pytest.raises(io.ScenarioError) as err:
        io.load_bundle(tmp_path / "scenario.yaml")
    (problem,) = err.value.problems
    assert problem.field == "assets[7] (site-0007).needs[0].all_of[0]" and problem.line is not None


def test_a_problem_names_the_items_on_its_path_by_their_ids(tmp_path: Path) -> None:
    """The third asset's need lists an unknown provider: the field names the
    asset and the need by their ids, the line is the provider's (line 9)."""
    path = tmp_path / "company.yaml"
    path.write_text(
        "company: {id: c, name: C}\n"  # 1
        "assets:\n"  # 2
        "  - {id: grid, kind: utility}\n"  # 3
        "  - {id: ups, kind: utility}\n"  # 4
        "  - id: app-0003\n"  # 5
        "    kind: application\n"  # 6
        "    needs:\n"  # 7
        "      - id: power\n"  # 8
        "        all_of: [grid, gird]\n",  # 9
        encoding="utf-8",
    )
    (problem,) = validate_file(path)
    assert (problem.line, problem.field) == (9, "assets[2] (app-0003).needs[0] (power).all_of[1]")
    assert problem.in_language("de") == (
        f"{path}:9: assets[2] (app-0003).needs[0] (power).all_of[1]: "
        "unbekannte Ressource 'gird'; meinten Sie 'grid'?"
    )


def test_a_key_written_one_level_too_high_is_pointed_home(tmp_path: Path) -> None:
    """A scenario's hazard written flat (`type:` beside `at:`, as QA did):
    its keys belong under `hazard:`, and the message says so, in German too."""
    (tmp_path / "company.yaml").write_bytes((GOOD / "company.yaml").read_bytes())
    path = tmp_path / "flat.yaml"
    path.write_text("scenario: {id: s, title: t}\ncompany: company.yaml\nhazards:\n"
                    "  - at: 1h\n    type: outage\n", encoding="utf-8")  # fmt: skip
    problems = {(p.line, p.field): p for p in validate_file(path)}
    assert problems[(4, "hazards[0].hazard")].message == "missing required field"
    flat = problems[(5, "hazards[0].type")]
    assert flat.message == "unknown field; did you mean 'hazard: {type: …}'?"
    assert flat.in_language("de").endswith(
        "unbekanntes Feld; meinten Sie 'hazard: {type: …}'?")
