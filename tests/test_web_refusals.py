"""Every refusal of the web server says it in German too (found by a German QA
pass: a participant's POST to .../clock answered only "only the facilitator
may do this"). A text `detail` comes with `detail_de`; the German texts are
in the one catalogue, simulator/terms/messages.py.

The messages are found in the source: each `HTTPException(status, "...")` or
f-string in web/, the texts handed to `too_busy`, `Busy`, `Damaged` (why an
exercise cannot run, part of a 409) and the library's
refusals the web passes on (a full quota, a missing PDF library), with a
sample for each value an f-string fills in."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from simulator.terms.messages import translate
from web.app import create_app
from web.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

# What an f-string's values stand for in a refusal (by their source text); a
# new value without a sample fails test_every_refusal_is_found, on purpose.
SAMPLES = {
    "role": "observer", "stored.seq": "3", "str(e)[:300]": "the exercise has ended",
    "e": "the exercise has ended", "taken": "40", "limit": "30",
    "manager.damaged[exercise_id]": "log entry 3: the exercise has ended",
    "status.reason": "log entry 3: the exercise has ended", "retry_after_s": "5",
    "exercise_id": "abc123", "message": "the server is making another report",
    "entry.seq": "3", "entry.error": "the exercise has ended", "stored.error":
    "the exercise has ended", "e.error_count()": "2", "where": "scenario.horizon",
    "first['msg']": "Field required", "_first_error(e)": "scenario.horizon: Field required",
    "engine": "0.1.0", "ENGINE_VERSION": "0.2.0",
}  # fmt: skip

# English left in a German text (quoted values are data and are left out)
ENGLISH = re.compile(r"\b(the|is|are|may|only|not|no|cannot|exercise|server|try|token|"
                     r"required|damaged|log|decisions?|replayed|forked|this|for|and|at)\b")  # fmt: skip


def _sample(node: ast.expr) -> str | None:
    """The message a str or f-string argument makes, its values by SAMPLES."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if not isinstance(node, ast.JoinedStr):
        return None
    out = ""
    for part in node.values:
        if isinstance(part, ast.Constant):
            out += str(part.value)
        elif isinstance(part, ast.FormattedValue):
            source = ast.unparse(part.value)
            if part.conversion == ord("r"):
                out += "'abc123'"
            else:
                assert source in SAMPLES, f"no sample for {{{source}}} in {ast.unparse(node)}"
                out += SAMPLES[source]
    return out


def raised() -> list[tuple[str, str]]:
    """(where, message) of each text refusal the web's source makes."""
    found = []
    for path in sorted((ROOT / "web").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if name.endswith("HTTPException") and len(node.args) >= 2:
                message = _sample(node.args[1])
            elif name in ("too_busy", "Busy", "Damaged") and node.args:
                message = _sample(node.args[0])
            else:
                continue
            if message is not None:
                found.append((where, message))
    return found


def passed_on(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The library's refusals the web hands on as they are (str(e))."""
    from simulator.exercise.aar_pdf import PdfUnavailable, pdf
    from web.limits import BodyTooLarge
    from web.live import QuotaExceeded

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # importing it fails
    with pytest.raises(PdfUnavailable) as missing:
        pdf("<p>x</p>")
    return [str(QuotaExceeded(20)), str(missing.value), str(BodyTooLarge(1024 * 1024).detail),
            "managers may not decide", "Not Found", "Method Not Allowed"]  # fmt: skip


def test_every_refusal_is_found() -> None:
    messages = dict(raised())
    # the ones the QA pass met, and the count the brief names (~25 in web/)
    assert "only the facilitator may do this" in messages.values()
    assert "no asset 'abc123' in this exercise" in messages.values()
    assert len(messages) >= 25, messages


@pytest.mark.parametrize("english", [m for _, m in raised()] + ["(passed on)"])
def test_every_refusal_has_a_german_text(english: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for message in passed_on(monkeypatch) if english == "(passed on)" else [english]:
        german = translate(message, "de")
        assert german != message, message
        unquoted = re.sub(r"'[^']*'|`[^`]*`", "", german)
        assert not ENGLISH.findall(unquoted), (message, german)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path}/refusals.db"))
    with TestClient(app) as c:
        yield c


def test_the_answers_carry_detail_de(client: TestClient) -> None:
    r = client.post("/api/exercises", json={"scenario": "example/scenario.yaml", "seed": 1})
    assert r.status_code == 201, r.text
    api, tokens = f"/api/exercises/{r.json()['id']}", r.json()["tokens"]
    player = {"Authorization": f"Bearer {tokens['participant']}"}
    boss = {"Authorization": f"Bearer {tokens['facilitator']}"}
    r = client.post(f"{api}/clock", json={"action": "pause"}, headers=player)
    assert r.status_code == 403
    assert r.json() == {"detail": "only the facilitator may do this",
                        "detail_de": "das darf nur die Übungsleitung"}  # fmt: skip
    r = client.get(f"{api}/why/nope", headers=boss)
    assert r.status_code == 404
    assert r.json()["detail_de"] == "keine Ressource 'nope' in dieser Übung"
    r = client.get("/api/exercises/nope/state", headers=boss)
    assert r.status_code == 404 and r.json()["detail_de"] == "keine Übung 'nope'"
    r = client.get(api + "/state")  # no token at all
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert r.json()["detail_de"] == "ein gültiger Zugangslink (Token) ist nötig"
