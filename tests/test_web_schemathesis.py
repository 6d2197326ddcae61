"""The API against its own OpenAPI document (schemathesis, in process).

Every operation gets schema-valid and schema-invalid requests on a live
exercise with the facilitator's token: no 5xx, every status and content type
documented, responses matching their schemas, invalid input rejected.
`positive_data_acceptance` is left out: a schema-valid command may still name
an asset the scenario lacks, which is a documented 422.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.python import asgi

from web.app import create_app
from web.clock import ENDED
from web.settings import Settings

# The schema is read at collection (schemathesis builds its tests then), so the
# app exists at import; its lifespan only starts in the fixture below.
_TMP = tempfile.mkdtemp(prefix="tabletop-schemathesis-")
atexit.register(shutil.rmtree, _TMP, True)
APP = create_app(Settings(db_url=f"sqlite:///{_TMP}/api.db", tick_s=0.02, publish_s=0.05))
SCHEMA = schemathesis.openapi.from_dict(APP.openapi())
SCHEMA.app = APP
SCHEMA.location = "/openapi.json"


class Exercises:
    """A live exercise to aim requests at; a new one once fuzzing has ended it
    (or the app's manager has been started anew)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.id = ""
        self.token = ""
        self.new()

    def new(self) -> None:
        r = self.client.post("/api/exercises", json={"scenario": "example/scenario.yaml"})
        assert r.status_code == 201, r.text
        self.id, self.token = r.json()["id"], r.json()["tokens"]["facilitator"]

    def current(self) -> tuple[str, str]:
        # the app may have been started anew (rebuilt lazily, on first use)
        live = APP.state.manager.get(self.id)
        if live is None or live.clock.state == ENDED:
            self.new()
        return self.id, self.token


@pytest.fixture(scope="module")
def exercises() -> Iterator[Exercises]:
    client = asgi.get_client(APP)
    client.__enter__()  # starts the app's lifespan (schemathesis keeps one per app)
    try:
        yield Exercises(client)
    finally:
        client.__exit__(None, None, None)
        asgi.shutdown_lifespans()


def test_openapi_documents_errors() -> None:
    """Every exercise route documents 401, 403, 404 and 422 with JSON bodies."""
    paths = APP.openapi()["paths"]
    for path, operations in paths.items():
        if "{exercise_id}" not in path:
            continue
        for operation in operations.values():
            for status in ("401", "403", "404", "422"):
                assert "application/json" in operation["responses"][status]["content"], (path, status)


@SCHEMA.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms(case: Any, exercises: Exercises) -> None:
    exercise_id, token = exercises.current()
    if "exercise_id" in (case.path_parameters or {}):
        case.path_parameters["exercise_id"] = exercise_id
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
