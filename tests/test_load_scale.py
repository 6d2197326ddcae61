"""Loading at scale (issue 13 §1): the fast paths give what the plain paths
gave, and a large company's problems are still found and located exactly.
No timings here (the machine is shared): bench/load.py measures them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.model.generate import generate
from simulator.model.schema import Company
from simulator.model.validation import ScenarioError
from simulator.readwrite.build import FULL_CHECK_BYTES
from simulator.readwrite.io import _construct, _parse_bytes, load_bundle, write_data

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted(p for p in (ROOT / "scenarios").rglob("*.yaml"))


def _both(text: str) -> tuple[Any, Any]:
    """(the fast construction, PyYAML's own) of one YAML document."""
    loader = yaml.CSafeLoader(text)
    try:
        fast = _construct(loader, loader.get_single_node())
    finally:
        loader.dispose()
    return fast, yaml.load(text, Loader=yaml.CSafeLoader)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(ROOT)))
def test_bundled_files_parse_to_the_same_data(path: Path) -> None:
    fast, slow = _both(path.read_text(encoding="utf-8"))
    assert fast == slow
    assert _parse_bytes(path.read_bytes(), path.name).data == slow


TRICKY = """
plain: text
quoted_number: '123'
decimal: 42
negative: -7
zero: 0
minus_zero: -0
octal_15: 017
octal_12: 0o17
hex: 0x1F
underscored: 1_000
plus: +5
sexagesimal: 1:30
float: 2.5
negative_float: -0.0
exponent: 1.0e+3
infinity: .inf
not_a_number_key: .NaN
bools: [yes, No, ON, off, true, False]
nulls: [~, null, Null, ]
date: 2026-01-05
stamp: 2026-01-05 08:00:00
binary: !!binary aGVsbG8=
explicit_str: !!str 5
explicit_int: !!int "5"
base: &base {a: 1, b: [1, 2]}
merged:
  <<: *base
  b: 3
alias: *base
dup: 1
dup: 2
? [complex, key]
: no
"""


def test_unusual_scalars_merge_keys_and_aliases_as_pyyaml_builds_them() -> None:
    text = TRICKY.replace("? [complex, key]\n: no\n", "")  # a list key: PyYAML refuses it
    fast, slow = _both(text)
    assert repr(fast) == repr(slow)  # repr: NaN != NaN, -0.0 == 0.0
    assert fast["octal_15"] == 15 and fast["sexagesimal"] == 90 and fast["dup"] == 2
    assert fast["merged"] == {"a": 1, "b": 3}
    assert fast["alias"] is fast["base"]  # an alias is the same object, as in PyYAML


def test_refused_input_is_refused_the_same_way() -> None:
    with pytest.raises(yaml.constructor.ConstructorError) as slow:
        yaml.load(TRICKY, Loader=yaml.CSafeLoader)
    with pytest.raises(yaml.constructor.ConstructorError) as fast:
        _both(TRICKY)
    assert str(fast.value) == str(slow.value)


def test_self_containing_and_deep_documents_fall_back_to_pyyaml() -> None:
    fast, slow = _both("a: &x [1, *x]\n")
    assert fast["a"][1] is fast["a"]  # recursive, as PyYAML builds it
    assert repr(fast) == repr(slow)
    deep = "[" * 999 + "]" * 999  # libyaml refuses deeper; this is past our recursion
    fast, slow = _both(deep)
    assert _depth(fast) == _depth(slow) == 999  # `==` itself would recurse too deep


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
