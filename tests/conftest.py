"""Shared test helpers: build scenario bundles from short Python dicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from simulator.schema import Company, Scenario, ScenarioBundle

Factory = Callable[..., ScenarioBundle]


def make_bundle(
    assets: list[dict[str, Any]],
    *,
    teams: dict[str, Any] | None = None,
    hazards: list[dict[str, Any]] | None = None,
    injects: list[dict[str, Any]] | None = None,
    horizon: str = "10d",
    seed: int = 1,
) -> ScenarioBundle:
    """A bundle validated exactly as files are (durations must carry units)."""
    ctx = {"from_file": True}
    company = Company.model_validate(
        {"company": {"id": "test", "name": "Test"}, "teams": teams or {}, "assets": assets},
        context=ctx,
    )
    scenario = Scenario.model_validate(
        {
            "scenario": {"id": "s", "title": "t"},
            "company": "company.yaml",
            "horizon": horizon,
            "seed": seed,
            "hazards": hazards or [],
            "injects": injects or [],
        },
        context=ctx,
    )
    return ScenarioBundle(scenario=scenario, company=company)


@pytest.fixture
def bundle() -> Factory:
    return make_bundle
