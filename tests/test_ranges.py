"""Numbers in range, the same on SQLite and PostgreSQL: the largest seed and
the longest jump are accepted, stored and rebuilt after a restart; one more
is a 422 naming the field (never an integer overflow 500)."""

from __future__ import annotations

import json
import math
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pgcluster import db_url, pg_cluster  # noqa: F401  (fixtures)
from pydantic import BaseModel
from starlette.testclient import TestClient
from test_web_api import Ex, field_of, new_exercise, settings

from simulator.model.schema import MAX_SEED, Company, Scenario
from simulator.terms.durations import MAX_DURATION, parse_duration
from web.app import create_app
from web.schemas import ClockCommand, DecisionCreate, ExerciseCreate, InjectCreate

TEN_YEARS = 3650 * 86400


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings(f"sqlite:///{tmp_path}/t.db"))) as c:
        yield c


@pytest.fixture
def lite_ex(lite: TestClient) -> Ex:
    return new_exercise(lite, seed=1, speed=60)


def test_documented_bounds() -> None:
    # scenarios/README.md: seeds 0 .. 2^63 - 1, durations at most 3650 days.
    assert MAX_SEED == 2**63 - 1 == 9_223_372_036_854_775_807
    assert MAX_DURATION == TEN_YEARS == parse_duration("3650d") == parse_duration("521w3d")


@pytest.mark.parametrize("seed", [2**31, 2**32 + 1, 2**63 - 1])
def test_large_seeds_survive_a_restart(db_url: str, seed: int) -> None:  # noqa: F811
    with TestClient(create_app(settings(db_url))) as client:
        ex = new_exercise(client, seed=seed)
        ex.ok("clock", {"action": "jump", "by": "1h"})
        log = ex.log()
        assert log[0]["seed"] == seed
    with TestClient(create_app(settings(db_url))) as client:
        ex.client = client
        assert ex.log() == log
        assert ex.state()["sim_time"] == 3600


def test_seed_past_the_bound_is_a_422(lite: TestClient) -> None:
    r = lite.post("/api/exercises", json={"scenario": "scenario.yaml", "seed": 2**63})
    assert field_of(r) == ["seed"]


def test_a_jump_past_the_horizon_ends_the_exercise_and_survives_a_restart(
    db_url: str,  # noqa: F811
) -> None:
    # 3,650 weeks is past the 10-year bound: 422; 3,650 days is the bound
    # itself, far past the 10-day horizon: the clock stops at the horizon.
    with TestClient(create_app(settings(db_url))) as client:
        ex = new_exercise(client, seed=1)
        r = ex.post("clock", {"action": "jump", "by": "3650w"})
        assert field_of(r) == ["by"]
        assert "3650d" in r.json()["detail"][0]["msg"]
        ex.ok("clock", {"action": "jump", "by": "3650d"})
        state = ex.state()
        assert (state["clock"], state["sim_time"]) == ("ended", 10 * 86400)
        log = ex.log()
        jumps = [e["payload"] for e in log[1:] if e["kind"] == "clock"]
        assert jumps == [{"action": "jump", "to": 10 * 86400}]
    with TestClient(create_app(settings(db_url))) as client:
        ex.client = client
        assert ex.log() == log
        assert (ex.state()["clock"], ex.state()["sim_time"]) == ("ended", 10 * 86400)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "jump", "by": "1" * 300 + "d"}, "by"),
        ({"action": "speed", "speed": "NaN"}, "speed"),
    ],
)
def test_clock_bodies_out_of_range(lite_ex: Ex, body: dict[str, str], field: str) -> None:
    assert field_of(lite_ex.post("clock", body)) == [field]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_json_numbers_are_rejected(lite_ex: Ex, literal: str) -> None:
    # Python's json accepts these non-standard literals; the API must not.
    body = f'{{"action": "speed", "speed": {literal}}}'
    r = lite_ex.client.post(lite_ex.url("clock"), content=body,
                            headers={**lite_ex.auth("facilitator"),
                                     "Content-Type": "application/json"})  # fmt: skip
    assert r.status_code == 422, r.text
    assert "speed" in r.text or literal in r.text
    assert lite_ex.state()["speed"] == 60


def test_state_and_log_are_strict_json(lite_ex: Ex) -> None:
    lite_ex.ok("clock", {"action": "jump", "by": "2h"})
    for text in (
        lite_ex.client.get(lite_ex.url("state"), headers=lite_ex.auth("observer")).text,
        *lite_ex.client.get(lite_ex.url("log"), headers=lite_ex.auth("observer")).text.splitlines(),
    ):
        json.loads(text, parse_constant=_no_constant)


def _no_constant(name: str) -> float:
    raise AssertionError(f"non-standard JSON constant {name}")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("horizon", "3651d", "3650d"),
        ("horizon", "1" * 400 + "h", "too long"),
        ("seed", 2**63, "less than or equal to 9223372036854775807"),
        ("seed", math.inf, "finite"),
        ("seed", math.nan, "finite"),
        ("horizon", math.inf, "finite"),
    ],
)
def test_scenario_numbers_out_of_range(field: str, value: object, message: str) -> None:
    data = {"scenario": {"id": "s", "title": "t"}, "company": "c.yaml", field: value}
    with pytest.raises(ValueError, match=message):
        Scenario.model_validate(data, context={"from_file": True})


def test_a_duration_at_the_bound_is_fine(tmp_path: Path) -> None:
    data = {"scenario": {"id": "s", "title": "t"}, "company": "c.yaml", "horizon": "3650d"}
    assert Scenario.model_validate(data, context={"from_file": True}).horizon == TEN_YEARS


def _models(root: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """Every pydantic model reachable from `root`'s fields."""
    if root in seen:
        return seen
    seen.add(root)
    for info in root.model_fields.values():
        stack: list[Any] = [info.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                _models(tp, seen)
            stack.extend(typing.get_args(tp))
    return seen


def test_every_input_model_rejects_non_finite_numbers() -> None:
    models: set[type[BaseModel]] = set()
    for root in (Scenario, Company, ClockCommand, InjectCreate, DecisionCreate, ExerciseCreate):
        _models(root, models)
    assert len(models) > 30  # the walk reached the hazards and commands
    assert (
        sorted(m.__name__ for m in models if m.model_config.get("allow_inf_nan") is not False) == []
    )
