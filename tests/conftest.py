"""Shared test fixtures: scenario bundles from short Python dicts; the browser
tests' headless chromium (`browser`) and served app (`server`, tests/browsing.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from simulator.model.schema import Company, Scenario, ScenarioBundle

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


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Debian chromium (tests/browsing.py): skipped without it, a
    failure in CI."""
    from browsing import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`tabletop serve` on a free port with a fresh SQLite file, for a
    module's browser tests; its base URL."""
    from browsing import require_chromium, serving

    require_chromium()
    with serving(tmp_path_factory.mktemp("e2e")) as served:
        yield served.base
