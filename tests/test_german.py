"""German pages speak German throughout: no English text from the engine, the
validation or the API reaches a German page.

The server side is checked with TestClient (the start page's problems, the
API's refusals as the console shows them, the stream's records); the console
itself in a real browser (Debian chromium; skipped without it, failed in CI):
a German console of a running exercise with injects, a decision, a rejected
proposal and a refused request.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from simulator.exercise.audience import script_ref
from web.app import create_app
from web.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad" / "many_problems.yaml"
GOOD_COMPANY = ROOT / "tests" / "data" / "good" / "company.yaml"
DE = {"accept-language": "de-DE,de;q=0.9,en;q=0.8"}

# English phrases the engine, the validation and the API produce; none may show
# on a German page (quoted ids and names are data and are left out).
ENGLISH = (
    "unknown", "did you mean", "missing", "required", "Input should", "duplicate",
    "not a duration", "is after", "has no", "already", "cannot", "Rejected", "Request refused",
    "Proposal", "Inject", "released", "skipped", "jumped", "buffer ran dry", "data lost",
    "Hazard", "Power failure", "Sent", "Decision", "Message", "Status", "Script", "down",
    "degraded", "standby", "Ransom note", "Press enquiry", "HTTP",
)  # fmt: skip


def english_in(text: str) -> list[str]:
    """The English phrases in `text`, quoted values left out."""
    unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", "", text)
    return [p for p in ENGLISH if re.search(rf"\b{re.escape(p)}\b", unquoted)]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path}/german.db"))
    with TestClient(app) as c:
        yield c


def exercise(client: TestClient, scenario: str) -> tuple[str, dict[str, str]]:
    r = client.post("/api/exercises", json={"scenario": scenario, "seed": 1})
    assert r.status_code == 201, r.text
    return r.json()["id"], r.json()["tokens"]


def test_a_bad_upload_on_a_german_start_page(client: TestClient) -> None:
    scenario = BAD.read_text().replace("../good/company.yaml", "company.yaml")
    files = {
        "scenario_file": ("many_problems.yaml", scenario.encode()),
        "company_file": ("company.yaml", GOOD_COMPANY.read_bytes()),
    }
    r = client.post("/", data={"source": "upload", "speed": "5000"}, files=files, headers=DE)
    assert r.status_code == 422
    assert "Die Übung konnte nicht angelegt werden" in r.text
    problems = [html.unescape(p) for p in re.findall(r"<li><code>(.*?)</code></li>", r.text)]
    # The same problems as on an English page (test_pages), in German, by hand.
    assert problems == [
        "Uhrgeschwindigkeit: muss zwischen 0 und 1440 liegen",
        "many_problems.yaml:6: seeed: unbekanntes Feld; meinten Sie 'seed'?",
        "many_problems.yaml:9: injects[0] (a).at: 2d liegt nach dem Ende des Szenarios (Horizont 1d)",
        "many_problems.yaml:11: injects[1] (a).id: doppelte Einlage-ID 'a' (zuerst bei injects[0].id)",
        "many_problems.yaml:15: injects[1] (a).do[0].process: Ressource 'server' hat keine "
        "Ersatzlösung (workaround)",
    ]
    for problem in problems:
        assert not english_in(problem), problem


def test_the_apis_refusals_carry_a_german_message(client: TestClient) -> None:
    exercise_id, tokens = exercise(client, "example/scenario.yaml")
    api = f"/api/exercises/{exercise_id}"
    boss = {"Authorization": f"Bearer {tokens['facilitator']}"}
    player = {"Authorization": f"Bearer {tokens['participant']}"}

    def refused(what: str, body: dict[str, Any], headers: dict[str, str]) -> str:
        r = client.post(f"{api}/{what}", json=body, headers=headers)
        assert r.status_code == 422, r.text
        (item,) = r.json()["detail"]
        assert item["msg"] != item["msg_de"]
        return str(item["msg_de"])

    # A German jump: "2 Std" is two hours.
    r = client.post(f"{api}/clock", json={"action": "jump", "by": "2 Std"}, headers=boss)
    assert r.status_code == 200, r.text
    assert client.get(f"{api}/state", headers=boss).json()["sim_time"] == 2 * 3600
    assert client.post(f"{api}/injects", json={"release": "m1"}, headers=boss).status_code == 200
    proposal = client.post(f"{api}/decisions", json={"text": "Notstrom prüfen"}, headers=player)
    seq = proposal.json()["seq"]
    assert client.post(f"{api}/decisions", json={"reject": seq}, headers=boss).status_code == 200

    messages = [
        refused("clock", {"action": "jump", "by": "bald"}, boss),
        refused("injects", {"release": "m1"}, boss),
        refused("injects", {"release": "m99"}, boss),
        refused("decisions", {"reject": seq}, boss),
        refused("injects", {"command": {"action": "down", "asset": "sever"}}, boss),
        refused("decisions", {"action": "teleport"}, player),
    ]
    assert messages[0].startswith("keine Dauer: 'bald'")
    assert messages[1] == "Einlage 'm1' ist bereits eingespielt"
    assert messages[2] == "keine Einlage 'm99' im Drehbuch (MSEL)"
    assert messages[3] == f"Vorschlag {seq} ist bereits abgelehnt"
    assert messages[4] == "unbekannte Ressource 'sever'"
    for message in messages:
        assert not english_in(message), message


def test_a_scripted_inject_the_engine_plays_carries_its_german_title(client: TestClient) -> None:
    """A flood alarm releases MSEL entries with no log entry: the stream's
    record names them in both languages (the players' page has no script)."""
    exercise_id, tokens = exercise(client, "dairy/flood.yaml")
    boss = {"Authorization": f"Bearer {tokens['facilitator']}"}
    r = client.post(f"/api/exercises/{exercise_id}/clock", json={"action": "jump", "by": "6 Tage"},
                    headers=boss)  # fmt: skip
    assert r.status_code == 200, r.text
    live = client.app.state.manager.exercises[exercise_id]  # type: ignore[attr-defined]
    message = live.update("player", True)
    released = {f["payload"]["inject"] for f in message["feed"] if f["kind"] in ("release", "msel")}
    played = [r for r in message["records"] if r["event"] == "inject"]
    by_engine = [r for r in played if r["cause"].removeprefix("inject:") not in released]
    assert by_engine, "the flood's alarms release scripted injects"
    # players name scripted injects by their reference, never by the script's id
    titles = {script_ref(live.bundle, e.id): e.title for e in live.bundle.scenario.injects}
    for record in played:
        entry = titles[record["cause"].removeprefix("inject:")]
        assert record["title"] == {"de": entry.de, "en": entry.en}


def test_a_german_console_names_buffers_and_commands_in_german(client: TestClient) -> None:
    r = client.post("/", data={"source": "bundled", "scenario": "example/scenario.yaml"},
                    headers=DE)  # fmt: skip
    link = html.unescape(re.findall(r'value="([^"]*token=[^"]*)"', r.text)[0])
    page = client.get(link[link.index("/exercises/"):], headers=DE)
    block = re.search(r'<script type="application/json" id="config">(.*?)</script>', page.text, re.S)
    assert block is not None
    config = json.loads(block.group(1))
    # The author's name for the generator's tank; the page's word for a UPS.
    assert config["buffers"] == {"plant/fuel": "Dieselvorrat des Notstromaggregats"}
    assert config["t"]["buffer.ups"] == "USV"
    assert config["t"]["command.activate_standby"] == "Bereitschaft aktivieren"
    assert config["t"]["feed.inject"] == "Einlage" and config["t"]["clock.jump_go"] == "Zeitsprung"
    assert config["t"]["done.failed"] == "Anfrage abgelehnt"
    assert config["t"]["feed.reject"] == "Vorschlag abgelehnt"


# --- the console in a real browser ------------------------------------------------------


def test_a_german_console_shows_no_english_from_the_engine(browser: Any, tmp_path: Path) -> None:
    import httpx
    from liveserver import Server
    from playwright.sync_api import expect

    errors: list[str] = []
    toasts: list[str] = []
    with Server(f"sqlite:///{tmp_path}/german.db", ROOT / "scenarios") as server:
        r = httpx.post(f"{server.base}/api/exercises",
                       json={"scenario": "example/scenario.yaml", "seed": 1, "speed": 60})  # fmt: skip
        assert r.status_code == 201, r.text
        links = {role: f"{server.base}{url}&lang=de" for role, url in r.json()["links"].items()}
        pages = {}
        for role in ("facilitator", "participant"):
            page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
            page.set_default_timeout(15_000)
            page.on("pageerror", lambda e, role=role: errors.append(f"{role}: {e}"))
            page.goto(links[role])
            page.wait_for_selector("body[data-ready]")
            pages[role] = page
        boss, player = pages["facilitator"], pages["participant"]
        toast = boss.locator("#toast")

        def sent() -> None:
            expect(toast).to_have_text("Gesendet")
            toasts.append(toast.inner_text())
            boss.evaluate("document.getElementById('toast').textContent = ''")

        # A jump in German units: the grid outage of the script starts at 2 h.
        boss.fill("#jump-by", "2 Std")
        boss.click("#jump-form button[type=submit]")
        sent()
        expect(boss.locator("#clock-t")).to_have_text("T+02:00")
        expect(player.locator("#feed")).to_contain_text("ausgefallen")

        # A scripted inject released by hand: once in each feed, in German.
        boss.locator('#msel li[data-inject="m1"] button.ok').click()
        sent()
        ransom = "Lösegeldforderung auf den Bildschirmen"
        for page in (boss, player):
            expect(page.locator("#feed .ftitle", has_text=ransom)).to_have_count(1)

        # An ad hoc hazard through the form (German duration).
        boss.select_option("#hazard-type", "power_failure")
        boss.select_option("#hazard-fields select[name=assets]", ["grid"])
        boss.fill("#hazard-fields input[name=duration]", "2 Std")
        boss.click("#hazard-form button[type=submit]")
        sent()

        # A decision, and a participant's proposal that is rejected.
        boss.locator('#actions button[data-action="activate_dr"]').click()
        sent()
        player.fill("#decision-text", "Notstrom prüfen")
        player.click("#decision-form button[type=submit]")
        boss.locator("#proposals li[data-status=open] button.danger").click()
        sent()
        expect(player.locator("#feed")).to_contain_text("Vorschlag abgelehnt")

        # A refused request is not a rejected proposal.
        boss.fill("#delay-by", "bald")
        boss.locator('#msel li[data-inject="m2"] button', has_text="Verschieben").click()
        expect(toast).to_contain_text("Anfrage abgelehnt: by: keine Dauer: 'bald'")
        toasts.append(toast.inner_text())

        # A refusal in words (a 403, not a 422) shows the server's German text:
        # the facilitator's jump sent on the participant's token.
        def as_player(route: Any) -> None:
            route.continue_(headers={**route.request.headers,
                                     "authorization": f"Bearer {r.json()['tokens']['participant']}"})

        boss.route("**/clock", as_player)
        boss.fill("#jump-by", "1 Std")
        boss.click("#jump-form button[type=submit]")
        expect(toast).to_contain_text("(das darf nur die Übungsleitung)")
        toasts.append(toast.inner_text())
        boss.unroute("**/clock")

        # To the next inject: m2 is released on the way, once.
        boss.click("#jump-next")
        for page in (boss, player):
            expect(page.locator("#feed .ftitle", has_text="Presseanfrage")).to_have_count(1)
        # As written (inner_text would give the CSS's upper case).
        parts = "#feed .fi .meta span, #feed .fi .ftitle, #feed .fi .fbody"
        feeds = {role: "\n".join(page.locator(parts).all_text_contents())
                 for role, page in pages.items()}  # fmt: skip
        script = "\n".join(boss.locator("#msel li span").all_text_contents())
    assert errors == []
    for role, feed in feeds.items():
        assert not english_in(feed), (role, english_in(feed), feed)
        for german in ("Einlage", "Lösegeldforderung", "ausgefallen", "Vorschlag abgelehnt",
                       "Entscheidung", "Presseanfrage"):  # fmt: skip
            assert german in feed, (role, german)
    assert "Zeitsprung" in feeds["facilitator"]
    assert "eingespielt" in script and not english_in(script)
    for text in toasts:
        assert not english_in(text), text
