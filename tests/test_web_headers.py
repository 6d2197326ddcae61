"""Security headers on every response, no-store where a token may be, and
links from the configured base URL (or relative), never from the Host header."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from liveserver import Server
from starlette.testclient import TestClient
from test_web_api import SCENARIO, SCENARIOS, new_exercise
from typer.testing import CliRunner

from simulator.cli.app import command_line
from web.app import create_app
from web.headers import SECURITY_HEADERS
from web.settings import Settings

cli = command_line()  # the whole `tabletop`, with the web part's commands


def settings(tmp_path: Path, **more: str) -> Settings:
    return Settings(db_url=f"sqlite:///{tmp_path}/h.db", scenarios_dir=SCENARIOS, tick_s=0.01,
                    **more)  # type: ignore[arg-type]  # fmt: skip


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings(tmp_path))) as c:
        yield c


def secure(response: httpx.Response) -> bool:
    return all(response.headers.get(k) == v for k, v in SECURITY_HEADERS.items())


def test_every_response_has_the_security_headers(client: TestClient) -> None:
    ex = new_exercise(client)
    auth = ex.auth("facilitator")
    responses = {
        "start page": client.get("/"),
        "console": client.get(f"/exercises/{ex.id}?token={ex.tokens['facilitator']}"),
        "no such page": client.get("/nowhere"),
        "script": client.get("/static/console.js"),
        "plotly": client.get("/static/plotly/plotly.min.js"),
        "state": client.get(ex.url("state"), headers=auth),
        "log": client.get(ex.url("log"), headers=auth),
        "command": ex.post("observations", {"text": "x"}),
        "created": client.post("/api/exercises", json={"scenario": SCENARIO}),
        "401": client.get(ex.url("state")),
        "404": client.get("/api/exercises/nope/state", headers=auth),
        "422": client.post("/api/exercises", json={"scenario": 5}),
        "schema": client.get("/openapi.json"),
        "health": client.get("/healthz"),
    }
    assert [name for name, r in responses.items() if not secure(r)] == []
    # everything but the static files (named by their hash) is no-store
    stored = {name for name, r in responses.items() if r.headers.get("cache-control") != "no-store"}
    assert stored == {"script", "plotly"}


def test_the_stream_has_them_too(tmp_path: Path) -> None:
    with Server(f"sqlite:///{tmp_path}/s.db") as server:
        data = httpx.post(f"{server.base}/api/exercises", json={"scenario": SCENARIO}).json()
        url = f"{server.base}/api/exercises/{data['id']}/stream"
        token = data["tokens"]["participant"]
        with httpx.stream("GET", url, headers={"Authorization": f"Bearer {token}"}) as r:
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("text/event-stream")
            assert secure(r) and r.headers["cache-control"] == "no-store"


def test_links_ignore_a_forged_host_header(client: TestClient) -> None:
    r = client.post("/api/exercises", json={"scenario": SCENARIO},
                    headers={"host": "evil.example"})  # fmt: skip
    data = r.json()
    for role, link in data["links"].items():
        page = "/replay" if role == "manager" else ""  # the manager's link opens the replay
        assert link == f"/exercises/{data['id']}{page}?token={data['tokens'][role]}"
    page = client.post("/", data={"source": "bundled", "scenario": SCENARIO},
                       headers={"host": "evil.example"})  # fmt: skip
    assert page.status_code == 201
    assert "evil.example" not in page.text
    assert re.search(r'value="/exercises/\w+\?token=[\w-]+&amp;lang=\w+"', page.text)


def test_links_from_the_configured_base_url(tmp_path: Path) -> None:
    app = create_app(settings(tmp_path, public_url="https://bcm.example.org/tabletop"))
    with TestClient(app) as client:
        r = client.post("/api/exercises", json={"scenario": SCENARIO},
                        headers={"host": "evil.example"})  # fmt: skip
        data = r.json()
        assert data["links"]["observer"] == (
            f"https://bcm.example.org/tabletop/exercises/{data['id']}"
            f"?token={data['tokens']['observer']}")  # fmt: skip


@pytest.mark.parametrize("bad", ["bcm.example.org", "ftp://x", "https://x/?a=1", "https://"])
def test_serve_rejects_a_base_url_that_is_no_address(bad: str) -> None:
    result = CliRunner().invoke(cli, ["serve", "--base-url", bad])
    assert result.exit_code == 2
    assert "--base-url" in result.output


def test_a_console_opened_without_its_token_may_resume_from_this_tab(client: TestClient) -> None:
    """Without a token the console page is a 401 that loads resume.js (the
    tab's sessionStorage may hold the token); with a wrong one it does not."""
    ex = new_exercise(client)
    bare = client.get(f"/exercises/{ex.id}")
    assert bare.status_code == 401 and "/static/resume.js" in bare.text
    wrong = client.get(f"/exercises/{ex.id}?token=wrong")
    assert wrong.status_code == 401 and "resume.js" not in wrong.text
