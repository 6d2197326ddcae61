"""Loading at scale (issue 13 §1): the fast paths give what the plain paths
gave, and a large company's problems are still found and located exactly.
No timings here (the machine is shared): bench/load.py measures them."""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.model.generate import generate
from simulator.model.schema import Company
from simulator.model.validation import ScenarioError
from simulator.readwrite.build import FULL_CHECK_BYTES
from simulator.readwrite.io import _parse_bytes, load_bundle, write_data, yaml_value

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted(p for p in (ROOT / "scenarios").rglob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(ROOT)))
def test_bundled_files_read_as_pyyaml_reads_them(path: Path) -> None:
    """YAML 1.2 (yaml_rs) and 1.1 (PyYAML) agree on every bundled file: the
    switch of reader changed nothing the project ships."""
    slow = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    assert _parse_bytes(path.read_bytes(), path.name).data == slow


TRICKY = """
plain: text
quoted_number: '123'
decimal: 42
negative: -7
zero_padded: 017
octal: 0o17
hex: 0x1F
plus: +5
clock: 1:30
float: 2.5
exponent: 1.0e+3
infinity: .inf
words: [yes, No, ON, off]
bools: [true, False]
nulls: [~, null, Null, ]
date: 2026-01-05
stamp: 2026-01-05T08:00:00
base: &base {a: 1, b: [1, 2]}
merged:
  <<: *base
  b: 3
two:
  <<: [{a: 1, c: 1}, {a: 2, d: 2}]
  e: 5
alias: *base
"""


def test_how_tabletop_reads_yaml() -> None:
    """YAML 1.2's core schema, as people mean the values (by hand): `yes` and
    `1:30` are text, `017` is seventeen; plus dates and `<<` merge keys."""
    data = _parse_bytes(TRICKY.encode(), "x.yaml").data
    assert data == {
        "plain": "text", "quoted_number": "123", "decimal": 42, "negative": -7,
        "zero_padded": 17, "octal": 15, "hex": 31, "plus": 5, "clock": "1:30",
        "float": 2.5, "exponent": 1000.0, "infinity": math.inf,
        "words": ["yes", "No", "ON", "off"], "bools": [True, False], "nulls": [None] * 3,
        "date": datetime.date(2026, 1, 5), "stamp": datetime.datetime(2026, 1, 5, 8),
        "base": {"a": 1, "b": [1, 2]},
        "merged": {"a": 1, "b": 3},  # its own key wins
        "two": {"a": 1, "c": 1, "d": 2, "e": 5},  # of a list, the first mapping wins
        "alias": {"a": 1, "b": [1, 2]},
    }  # fmt: skip
    # PyYAML (YAML 1.1) reads the same text otherwise: what the switch changed
    old = yaml.load(TRICKY, Loader=yaml.CSafeLoader)
    assert old["words"] == [True, False, True, False] and old["clock"] == 90
    assert old["zero_padded"] == 15 and old["exponent"] == 1000.0


def test_what_yaml_rs_refuses_pyyaml_explains_with_its_line() -> None:
    with pytest.raises(ScenarioError) as e:  # several documents: PyYAML's message
        _parse_bytes(b"a: 1\n---\nb: 2\n", "x.yaml")
    ((line, message),) = [(p.line, p.message) for p in e.value.problems]
    assert line == 2 and "expected a single document" in message
    with pytest.raises(ScenarioError) as e:  # a merge of something not a mapping
        _parse_bytes(b"a:\n  <<: 3\n", "x.yaml")
    assert [p.line for p in e.value.problems] == [2]


def test_pyyaml_only_explains_yaml_is_read_by_12s_rules_alone() -> None:
    """One document that starts with `---` and is a list looks to yaml_rs
    like several documents; PyYAML confirms it is one, and yaml_rs's reading
    stands (`on` and `yes` stay text, where YAML 1.1 read True). A key given
    twice, which PyYAML would let pass keeping the last, is refused in a
    spreadsheet cell and reported in a file."""
    assert _parse_bytes(b"---\n- on\n- yes\n", "x.yaml").data == ["on", "yes"]
    assert yaml_value("---\n- on\n- 08:30\n") == ["on", "08:30"]
    with pytest.raises(yaml.YAMLError, match="duplicate key 'a'; YAML would keep only the last"):
        yaml_value("{a: 1, b: 2, a: 3}")
    # A small file's duplicate is reported by the seam beside its other
    # problems, on yaml_rs's reading (the last value, `on` as text).
    small = _parse_bytes(b"a: 1\nb: on\na: 3\n", "x.yaml")
    assert small.data == {"a": 3, "b": "on"}
    assert [(line, message) for _, line, message in small.locator.duplicate_keys()] == [
        (3, "duplicate key 'a' (first on line 1); YAML would keep only the last")
    ]


def test_a_duplicate_key_in_a_large_yaml_file_is_reported(tmp_path: Path) -> None:
    """Small files are always scanned for duplicate keys; a large one yaml_rs
    refuses for one is too (before, PyYAML kept the last value silently)."""
    company, scenario = generate(10_000, seed=3, failures=20)
    write_data(tmp_path / "company.yaml", company)
    text = (tmp_path / "company.yaml").read_text()
    assert len(text) > FULL_CHECK_BYTES
    head, sep, rest = text.partition("\n  kind: site\n")
    line = head.count("\n") + 2  # the line of `kind: site`
    (tmp_path / "company.yaml").write_text(head + sep + "  kind: site\n" + rest)
    write_data(tmp_path / "scenario.yaml", {**scenario, "company": "company.yaml"})
    with pytest.raises(ScenarioError) as e:
        load_bundle(tmp_path / "scenario.yaml")
    assert [(p.line, p.message) for p in e.value.problems] == [
        (line + 1, f"duplicate key 'kind' (first on line {line}); YAML would keep only the last")
    ]


def test_self_containing_and_deep_documents() -> None:
    """yaml_rs reads 255 levels of nesting and refuses more (PyYAML, which
    would read up to ~1000, only explains: one reading of YAML). A value
    that contains itself reads as null where it repeats (yaml_rs's rule;
    pinned, so a change is seen)."""
    deep = "a: " + "[" * 255 + "]" * 255
    assert _depth(_parse_bytes(deep.encode(), "x.yaml").data["a"]) == 255
    with pytest.raises(ScenarioError) as e:
        _parse_bytes(("a: " + "[" * 256 + "]" * 256).encode(), "x.yaml")
    assert [p.message for p in e.value.problems] == [
        "nested too deeply (more than 255 levels of lists and mappings) (line 1)"]
    assert _parse_bytes(b"a: &x [1, *x]\n", "x.yaml").data == {"a": [1, None]}


def _depth(nested: Any) -> int:
    depth = 0
    while nested is not None:
        assert isinstance(nested, list)
        depth, nested = depth + 1, nested[0] if nested else None
    return depth


def _large_company() -> tuple[dict[str, Any], dict[str, Any]]:
    company, scenario = generate(6000, seed=3, failures=20)
    assert len(json.dumps(company, indent=1)) > FULL_CHECK_BYTES  # takes the fast path
    return company, scenario


def _write(folder: Path, company: dict[str, Any], scenario: dict[str, Any]) -> Path:
    write_data(folder / "company.json", company)
    write_data(folder / "scenario.yaml", {**scenario, "company": "company.json"})
    return folder / "scenario.yaml"


def test_a_large_json_company_loads_as_validated_by_the_schema(tmp_path: Path) -> None:
    company, scenario = _large_company()
    bundle = load_bundle(_write(tmp_path, company, scenario))
    assert bundle.company == Company.model_validate(company, context={"from_file": True})


def _line_of(path: Path, text: str) -> int:
    return [line.strip() for line in path.read_text().splitlines()].index(text) + 1


def test_one_cycle_in_a_large_company_is_the_one_problem(tmp_path: Path) -> None:
    company, scenario = _large_company()
    # A process that needs an application at once; the application now needs it back.
    i, proc = next((i, a) for i, a in enumerate(company["assets"])
                   if a["kind"] == "business_process")  # fmt: skip
    need = next(n for n in proc["needs"] if "all_of" in n and not n.get("delay"))
    app_id = need["all_of"][0]
    k, app = next((k, a) for k, a in enumerate(company["assets"]) if a["id"] == app_id)
    assert k < i  # the application comes first in the file: the cycle is named from it
    app["needs"].append({"id": "loop", "all_of": [proc["id"]]})
    path = _write(tmp_path, company, scenario)
    with pytest.raises(ScenarioError) as e:
        load_bundle(path)
    (problem,) = e.value.problems
    assert problem.field == f"assets[{k}] ({app_id}).needs[{len(app['needs']) - 1}] (loop)"
    assert problem.message == (
        f"instant dependency cycle: {app_id} -> {proc['id']} -> {app_id}"
        " (each needs the next with no delay or buffer on any link)"
    )
    # json.dumps(indent=1) puts the need's "{" on the line before its id
    assert problem.line == _line_of(tmp_path / "company.json", '"id": "loop",') - 1


def test_a_schema_error_in_a_large_company_is_located(tmp_path: Path) -> None:
    company, scenario = _large_company()
    company["assets"][5000]["kind"] = "spaceship"
    company["assets"][5001]["needs"] = [{"id": "x", "all_of": ["no-such-asset"]}]
    path = _write(tmp_path, company, scenario)
    with pytest.raises(ScenarioError) as e:
        load_bundle(path)
    problems = e.value.problems
    # each asset named by its id as well (the generator's), the need by "x"
    ids = [company["assets"][i]["id"] for i in (5000, 5001)]
    assert [p.field for p in problems] == [f"assets[5000] ({ids[0]}).kind",
                                           f"assets[5001] ({ids[1]}).needs[0] (x).all_of[0]"]
    lines = (tmp_path / "company.json").read_text().splitlines()
    assert lines[problems[0].line - 1].strip() == '"kind": "spaceship",'  # type: ignore[operator]
    assert lines[problems[1].line - 1].strip() == '"no-such-asset"'  # type: ignore[operator]
    assert problems[1].message == "unknown asset 'no-such-asset'"


COMPANIES = sorted(p for p in BUNDLED if p.name == "company.yaml")


@pytest.mark.parametrize("path", COMPANIES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pydantic_reads_a_json_company_as_it_validates_its_data(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large JSON company is validated straight from its bytes
    (`model_validate_json`); the bundled companies use every part of the
    schema (buffers, recovery times, workarounds, floods, teams), and each,
    written as JSON, gives the same model on that path as the ordinary one
    (`json.loads`, then the schema on the data)."""
    import simulator.readwrite.io as io

    data = _parse_bytes(path.read_bytes(), path.name).data
    company = tmp_path / "company.json"
    company.write_text(json.dumps(data), encoding="utf-8")
    scenario = next(p for p in path.parent.glob("*.yaml") if p.name != "company.yaml")
    plan = _parse_bytes(scenario.read_bytes(), scenario.name).data
    write_data(tmp_path / "scenario.yaml", {**plan, "company": "company.json"})
    ordinary = load_bundle(tmp_path / "scenario.yaml")
    monkeypatch.setattr(io, "FULL_CHECK_BYTES", 0)  # every file takes the fast path
    taken: list[bool] = []
    validate_json = Company.model_validate_json

    def spy(*args: Any, **kwargs: Any) -> Company:
        taken.append(True)
        return validate_json(*args, **kwargs)

    monkeypatch.setattr(Company, "model_validate_json", spy)
    assert load_bundle(tmp_path / "scenario.yaml") == ordinary
    assert taken == [True]
