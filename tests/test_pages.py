"""The HTML pages: start page, upload validation, the console per role, i18n, no CDN."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient

from simulator import load_company
from web.app import create_app
from web.i18n import TEXTS, from_accept_language
from web.routers.pages import hazard_schema
from web.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "example"
BAD = ROOT / "tests" / "data" / "bad" / "many_problems.yaml"
GOOD_COMPANY = ROOT / "tests" / "data" / "good" / "company.yaml"
EN = {"accept-language": "en-US,en;q=0.9"}
DE = {"accept-language": "de-DE,de;q=0.9,en;q=0.8"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path}/pages.db"))
    with TestClient(app) as c:
        yield c


def create(client: TestClient, **form: str) -> dict[str, str]:
    """Create an exercise through the start page; the links by role."""
    data = {"source": "bundled", "scenario": "example/scenario.yaml", "speed": "60", **form}
    r = client.post("/", data=data, headers=EN)
    assert r.status_code == 201, r.text
    links = dict(re.findall(r'data-role="(\w+)">.*?value="([^"]+)"', r.text, re.S))
    assert set(links) == {"facilitator", "participant", "observer", "manager"}
    assert "/replay?token=" in links["manager"]  # the manager reads the replay
    return {role: url.replace("&amp;", "&") for role, url in links.items()}


def path_of(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.path}?{parts.query}"


def config_of(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="config">(.*?)</script>', html, re.S)
    assert block is not None
    return json.loads(block.group(1))


# --- language ------------------------------------------------------------------------


def test_start_page_in_english(client: TestClient) -> None:
    r = client.get("/", headers=EN)
    assert r.status_code == 200
    assert '<html lang="en">' in r.text
    assert "New exercise" in r.text and "Create exercise" in r.text
    assert 'value="example/scenario.yaml"' in r.text
    # the reference dairy is preselected
    assert re.findall(r'<option value="([^"]+\.yaml)" selected>', r.text) == ["dairy/blackout.yaml"]
    assert "Blackout, cyberattack and supplier failure" in r.text
    assert "1440 × – a day per minute" in r.text


def test_start_page_in_german_from_accept_language(client: TestClient) -> None:
    r = client.get("/", headers=DE)
    assert '<html lang="de">' in r.text
    assert "Neue Übung" in r.text and "Übung anlegen" in r.text
    assert "Stromausfall, Cyberangriff und Lieferantenausfall" in r.text


def test_lang_parameter_is_remembered_in_a_cookie(client: TestClient) -> None:
    r = client.get("/?lang=de", headers=EN)
    assert '<html lang="de">' in r.text
    assert "lang=de" in r.headers["set-cookie"]
    assert '<html lang="de">' in client.get("/", headers=EN).text  # the cookie wins
    assert '<html lang="en">' in client.get("/?lang=en", headers=DE).text
    assert '<html lang="en">' in client.get("/", headers=DE).text


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("de", "de"),
        ("de-AT,en;q=0.5", "de"),
        ("en-US,en;q=0.9,de;q=0.8", "en"),
        ("en;q=0.4, de;q=0.7", "de"),
        ("fr-FR,de;q=0.8", "en"),
        ("", "en"),
        ("de;q=bad, en", "en"),
    ],
)
def test_accept_language(header: str, lang: str) -> None:
    assert from_accept_language(header) == lang


def test_every_text_has_both_languages() -> None:
    for key, (de, en) in TEXTS.items():
        assert de and en, key


def test_terms_follow_iso_22301_and_bsi_200_4(client: TestClient) -> None:
    links = create(client)
    de = client.get(path_of(links["observer"]) + "&lang=de").text
    assert "WAZ (RTO)" in de and "MTA (MTPD)" in de and "Notbetriebsniveau" in de
    en = client.get(path_of(links["observer"]) + "&lang=en").text
    assert ">RTO<" in en and ">MTPD<" in en and "MBCO" in en


# --- creating an exercise ---------------------------------------------------------------


def test_any_speed_can_be_typed_on_the_start_page(client: TestClient) -> None:
    page = client.get("/", headers=EN).text
    assert re.search(r'<input type="number" name="speed" min="1" max="1440" step="any"', page)
    links = create(client, speed="250")
    exercise_id = urlparse(links["facilitator"]).path.rsplit("/", 1)[1]
    assert client.app.state.manager.exercises[exercise_id].clock.speed == 250  # type: ignore[attr-defined]


def test_create_from_a_bundled_scenario(client: TestClient) -> None:
    links = create(client, seed="3", speed="600", start="2026-03-02T08:00")
    query = parse_qs(urlparse(links["facilitator"]).query)
    exercise_id = urlparse(links["facilitator"]).path.rsplit("/", 1)[1]
    live = client.app.state.manager.exercises[exercise_id]  # type: ignore[attr-defined]
    assert live.seed == 3 and live.clock.speed == 600
    assert live.bundle.scenario.start.isoformat() == "2026-03-02T08:00:00+01:00"  # scenario's zone
    assert live.scenario == "example/scenario.yaml"
    assert query["lang"] == ["en"]
    # the API sees the same exercise with the same tokens
    token = query["token"][0]
    state = client.get(
        f"/api/exercises/{exercise_id}/state", headers={"authorization": f"Bearer {token}"}
    )
    assert state.status_code == 200


def test_the_start_form_sent_twice_makes_one_exercise(client: TestClient) -> None:
    """A reload of the page the form led to (the browser posts it again) or
    a double click carries the form's key: the same exercise and links come
    back, and no second exercise is made. A fresh form is a new exercise."""
    page = client.get("/", headers=EN).text
    once = re.search(r'<input type="hidden" name="once" value="([\w-]+)">', page)
    assert once is not None
    first = create(client, once=once[1])
    again = create(client, once=once[1])
    assert again == first
    assert len(client.app.state.manager.exercises) == 1  # type: ignore[attr-defined]
    fresh = re.search(r'name="once" value="([\w-]+)"', client.get("/", headers=EN).text)
    assert fresh is not None and fresh[1] != once[1]
    assert create(client, once=fresh[1]) != first
    assert len(client.app.state.manager.exercises) == 2  # type: ignore[attr-defined]
    # A form with problems is shown again with a new key: fixed, it creates.
    r = client.post("/", data={"source": "bundled", "scenario": "nope.yaml", "once": fresh[1]},
                    headers=EN)  # fmt: skip
    assert r.status_code == 422 and f'value="{fresh[1]}"' not in r.text


def test_start_field_is_read_in_the_scenario_zone(client: TestClient) -> None:
    """A summer time typed into the start page gets Berlin's summer offset, and
    the console is told the zone (the browser formats calendar times in it)."""
    links = create(client, start="2026-07-01T08:00")
    exercise_id = urlparse(links["observer"]).path.rsplit("/", 1)[1]
    live = client.app.state.manager.exercises[exercise_id]  # type: ignore[attr-defined]
    assert live.bundle.scenario.start.isoformat() == "2026-07-01T08:00:00+02:00"
    config = config_of(client.get(path_of(links["observer"])).text)
    assert (config["start"], config["timezone"]) == ("2026-07-01T08:00:00+02:00", "Europe/Berlin")
    data = {"source": "bundled", "scenario": "example/scenario.yaml", "speed": "60",
            "start": "2026-10-25T02:30"}  # fmt: skip
    r = client.post("/?lang=de", data=data)
    assert r.status_code == 422
    assert ("&#39;2026-10-25T02:30&#39; gibt es in &#39;Europe/Berlin&#39; zweimal: in dieser "
            "Nacht wird die Uhr zurückgestellt") in r.text  # fmt: skip


def test_scenario_seed_is_the_default(client: TestClient) -> None:
    links = create(client)
    exercise_id = urlparse(links["observer"]).path.rsplit("/", 1)[1]
    live = client.app.state.manager.exercises[exercise_id]  # type: ignore[attr-defined]
    assert live.seed == 7 and live.clock.speed == 60


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"seed": "-1"}, "Seed: not a whole number ≥ 0"),
        ({"seed": "x"}, "Seed: not a whole number ≥ 0"),
        ({"speed": "5000"}, "Clock speed: must be between 0 and 1440"),
        ({"start": "yesterday"}, "Start (simulated time): not a date and time"),
        # read in the scenario's zone (Europe/Berlin): the hour the clocks skip,
        # a winter offset in summer
        ({"start": "2026-03-29T02:30"}, "Start (simulated time): &#39;2026-03-29T02:30&#39; "
                                        "does not exist in &#39;Europe/Berlin&#39;"),
        ({"start": "2026-07-01T06:00+01:00"}, "offset &#39;+01:00&#39; is not the offset of "
                                              "&#39;Europe/Berlin&#39; at that time"),
        ({"scenario": "../pyproject.toml"}, "Scenario: "),
        ({"scenario": "nothing.yaml"}, "Scenario: &#39;nothing.yaml&#39;: not a bundled scenario"),
    ],
)
def test_bad_form_values_are_shown_on_the_page(
    client: TestClient, form: dict, message: str
) -> None:
    data = {"source": "bundled", "scenario": "example/scenario.yaml", "speed": "60", **form}
    r = client.post("/", data=data, headers=EN)
    assert r.status_code == 422
    assert "The exercise could not be created" in r.text
    assert message in r.text
    assert "Traceback" not in r.text
    assert not client.app.state.manager.exercises  # type: ignore[attr-defined]


def test_upload_a_valid_scenario(client: TestClient) -> None:
    files = {
        "scenario_file": ("scenario.yaml", (EXAMPLE / "scenario.yaml").read_bytes()),
        "company_file": ("company.yaml", (EXAMPLE / "company.yaml").read_bytes()),
    }
    r = client.post("/", data={"source": "upload", "speed": "60"}, files=files, headers=EN)
    assert r.status_code == 201, r.text
    (live,) = client.app.state.manager.exercises.values()  # type: ignore[attr-defined]
    assert live.scenario == "upload:scenario.yaml"
    assert len(live.bundle.company.assets) == 20


def test_upload_of_a_broken_file_shows_every_problem_with_file_and_line(client: TestClient) -> None:
    scenario = BAD.read_text().replace("../good/company.yaml", "company.yaml")
    files = {
        "scenario_file": ("many_problems.yaml", scenario.encode()),
        "company_file": ("company.yaml", GOOD_COMPANY.read_bytes()),
    }
    r = client.post("/", data={"source": "upload", "speed": "60"}, files=files, headers=EN)
    assert r.status_code == 422
    problems = re.findall(r"<li><code>(.*?)</code></li>", r.text)
    assert problems == [
        "many_problems.yaml:6: seeed: unknown field; did you mean &#39;seed&#39;?",
        "many_problems.yaml:9: injects[0] (a).at: 2d is after the end of the scenario (horizon 1d)",
        "many_problems.yaml:11: injects[1] (a).id: duplicate inject id &#39;a&#39; (first at injects[0].id)",
        "many_problems.yaml:15: injects[1] (a).do[0].process: asset &#39;server&#39; has no workaround",
    ]
    assert "tabletop-upload-" not in r.text and "Traceback" not in r.text
    assert 'value="upload" checked' in r.text  # the form keeps the choice


def test_upload_problems_in_the_company_file_name_it(client: TestClient) -> None:
    company = GOOD_COMPANY.read_text() + "\nbogus: 1\n"
    scenario = BAD.read_text().replace("../good/company.yaml", "firma.yaml")
    files = {
        "scenario_file": ("s.yaml", scenario.encode()),
        "company_file": ("firma.yaml", company.encode()),
    }
    r = client.post("/", data={"source": "upload"}, files=files, headers=EN)
    assert r.status_code == 422
    assert re.search(r"<code>firma\.yaml:\d+: bogus: ", r.text)


def test_upload_without_company_file_says_so(client: TestClient) -> None:
    files = {"scenario_file": ("scenario.yaml", (EXAMPLE / "scenario.yaml").read_bytes())}
    r = client.post("/", data={"source": "upload"}, files=files, headers=EN)
    assert r.status_code == 422
    assert "cannot read company file &#39;company.yaml&#39;" in r.text


def test_upload_cannot_reach_files_on_the_server(client: TestClient) -> None:
    scenario = (
        (EXAMPLE / "scenario.yaml")
        .read_text()
        .replace("company: company.yaml", "company: ../../../etc/passwd")
    )
    files = {"scenario_file": ("scenario.yaml", scenario.encode())}
    r = client.post("/", data={"source": "upload"}, files=files, headers=EN)
    assert r.status_code == 422
    line = scenario.splitlines().index("company: ../../../etc/passwd") + 1
    assert (
        f"scenario.yaml:{line}: company: cannot read company file &#39;../../../etc/passwd&#39;: "
        "upload the company file too, or name a bundled company" in r.text
    )
    assert "root:" not in r.text


def test_upload_needs_a_scenario_file_with_a_plain_name(client: TestClient) -> None:
    r = client.post(
        "/", data={"source": "upload"}, files={"company_file": ("c.yaml", b"x")}, headers=EN
    )
    assert r.status_code == 422 and "please upload a scenario file" in r.text
    files = {"scenario_file": ("bad name;.txt", b"x")}
    r = client.post("/", data={"source": "upload"}, files=files, headers=EN)
    assert r.status_code == 422 and "not a usable file name" in r.text


def test_page_text_from_files_is_escaped(client: TestClient) -> None:
    scenario = (
        (EXAMPLE / "scenario.yaml")
        .read_text()
        .replace("en: Blackout, cyberattack and supplier failure", "en: <script>alert(1)</script>")
    )
    files = {
        "scenario_file": ("scenario.yaml", scenario.encode()),
        "company_file": ("company.yaml", (EXAMPLE / "company.yaml").read_bytes()),
    }
    r = client.post("/", data={"source": "upload"}, files=files, headers=EN)
    assert r.status_code == 201
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    links = dict(re.findall(r'data-role="(\w+)">.*?value="([^"]+)"', r.text, re.S))
    page = client.get(path_of(links["facilitator"].replace("&amp;", "&"))).text
    assert "<script>alert(1)" not in page
    assert config_of(page)["id"]  # the JSON block stays parseable


# --- the console -------------------------------------------------------------------------


def test_exercise_page_needs_a_valid_token(client: TestClient) -> None:
    links = create(client)
    exercise_path = urlparse(links["observer"]).path
    for url in (exercise_path, f"{exercise_path}?token=wrong", f"{exercise_path}?token="):
        r = client.get(url, headers=EN)
        assert r.status_code == 401, url
        assert "needs a valid access link" in r.text
        assert 'id="config"' not in r.text
    # in German it is the link one was given, not "the facilitator's link"
    r = client.get(f"{exercise_path}?token=wrong", headers=DE)
    assert r.status_code == 401 and "den Sie von der Übungsleitung erhalten haben" in r.text
    r = client.get("/exercises/nothing?token=x", headers=DE)
    assert r.status_code == 404 and "Diese Übung gibt es nicht" in r.text


def test_facilitator_console(client: TestClient) -> None:
    links = create(client)
    r = client.get(path_of(links["facilitator"]))
    assert r.status_code == 200
    for element in ('id="clock-panel"', 'id="clock-toggle"', 'id="speed-input"', 'id="jump-form"',
                    'id="extend-form"', 'id="end-panel"',
                    'id="jump-next"', 'id="msel-panel"', 'id="hazard-form"', 'id="message-form"',
                    'id="decision-form"', 'id="proposals"', 'id="observation-form"',
                    'id="board"', 'id="timeline"', 'id="impact"', 'id="graph"', 'id="assets"',
                    'id="feed"'):  # fmt: skip
        assert element in r.text, element
    config = config_of(r.text)
    assert config["role"] == "facilitator"
    assert config["token"] == parse_qs(urlparse(links["facilitator"]).query)["token"][0]
    assert set(config["hazards"]["discriminator"]["mapping"]) >= {"outage", "power_failure"}
    assert config["msel"]["m1"]["title"] == "Ransom note on the screens"
    assert {a["id"] for a in config["actions"]} >= {"activate_dr", "manual_orders"}
    assert len(config["assets"]) == 20 and config["start"].startswith("2026-02-16T06:00")


def test_flood_gauges_are_offered_to_the_hazard_form(client: TestClient) -> None:
    links = create(client, scenario="dairy/flood.yaml")
    config = config_of(client.get(path_of(links["facilitator"])).text)
    assert config["gauges"] == ["dresden-elbe"]
    assert len(config["assets"]) > 100
    assert config["hazards_unfit"] == {}  # the dairy has gauges, IT and staff: every hazard


def test_a_company_without_gauges_is_offered_no_flood(client: TestClient) -> None:
    links = create(client, scenario="itdienstleister/power.yaml")
    config = config_of(client.get(path_of(links["facilitator"]) + "&lang=de").text)
    assert config["gauges"] == []
    assert list(config["hazards_unfit"]) == ["flood"]
    # in the console's words: no field of the file ("flood: gauge") on a German page
    assert config["hazards_unfit"]["flood"] == ("Hochwasser braucht eine Ressource an einem "
                                                "Hochwasserpegel; das Unternehmensmodell hat keine")
    config = config_of(client.get(path_of(links["facilitator"]) + "&lang=en").text)
    assert config["hazards_unfit"]["flood"] == ("a flood needs an asset exposed to a flood "
                                                "gauge; the company model has none")
    # participants never get the hazard form, nor what it would offer
    assert "hazards_unfit" not in config_of(client.get(path_of(links["participant"])).text)


def test_participant_console_has_no_script_and_no_clock(client: TestClient) -> None:
    links = create(client)
    r = client.get(path_of(links["participant"]))
    assert r.status_code == 200
    assert 'id="decision-form"' in r.text and "Propose" in r.text
    for element in ('id="clock-panel"', 'id="msel-panel"', 'id="hazard-form"',
                    'id="observation-form"', 'id="eeg-panel"', "eeg-rating"):  # fmt: skip
        assert element not in r.text, element
    assert 'id="objectives-panel"' in r.text  # players know their objectives
    config = config_of(r.text)
    assert config["role"] == "participant"
    assert "msel" not in config and "hazards" not in config
    assert "Ransom note" not in r.text  # the script's injects stay secret


def test_an_anonymous_participant_learns_how_to_get_their_teams_injects(
    client: TestClient,
) -> None:
    # Injects addressed to teams reach only players of those teams (audience.py);
    # the role's link has no team, so its page says how to get one.
    links = create(client, scenario="itdienstleister/power.yaml")
    page = client.get(path_of(links["participant"]) + "&lang=de").text
    assert 'id="no-team"' in page and "persönlichen Link mit Ihrem Team" in page
    assert "only injects addressed to everyone" in client.get(
        path_of(links["participant"]) + "&lang=en").text  # fmt: skip
    for role in ("facilitator", "observer"):
        assert 'id="no-team"' not in client.get(path_of(links[role])).text, role
    # a named participant of the crisis staff (a team of the company) is on a team
    parts = urlparse(links["facilitator"])
    token = parse_qs(parts.query)["token"][0]
    r = client.post(f"/api{parts.path}/people", headers={"Authorization": f"Bearer {token}"},
                    json={"name": "Anna", "team": "crisis_staff", "role": "participant"})
    assert r.status_code == 200, r.text
    page = client.get(r.json()["link"] + "&lang=de").text
    # the badge names her team as the company does, never by its id
    badge = re.search(r'<span class="badge role-badge"[^>]*>(.*?)</span>', page, re.S)
    assert badge is not None and badge.group(1) == (
        "Teilnehmende · Anna (Krisenstab (Geschäftsführung, BCM, IT-Leitung, Kommunikation))")
    assert 'id="no-team"' not in page


def test_the_person_card_offers_the_company_s_teams_by_name(client: TestClient) -> None:
    """QA 4: a select of the company's teams by their names (values: the ids
    the script addresses), "ohne Team" first; no free text, no datalist."""
    links = create(client, scenario="itdienstleister/power.yaml")
    page = client.get(path_of(links["facilitator"]) + "&lang=de").text
    select = re.search(r'<select id="person-team">(.*?)</select>', page, re.S)
    assert select is not None
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', select.group(1))
    assert options[0] == ("", "ohne Team")
    assert ("crisis_staff", "Krisenstab (Geschäftsführung, BCM, IT-Leitung, Kommunikation)") \
        in options and ("it_operations", "IT-Betrieb (Leitstand und Betriebsführung)") in options
    assert len(options) == 1 + 9  # the company's nine teams (scenarios/itdienstleister)
    assert 'id="person-teams"' not in page and 'list="person-teams"' not in page
    assert 'id="person-team-none"' not in page  # it has teams


def test_the_evaluation_guide_speaks_german(client: TestClient) -> None:
    links = create(client)
    url = path_of(links["facilitator"])
    r = client.get(url.replace("lang=en", "lang=de") if "lang=" in url else f"{url}&lang=de", headers=DE)
    form = r.text[r.text.index('id="eeg-panel"'):r.text.index("</form>", r.text.index('id="eeg-panel"'))]
    for words in ("Beobachtungsbogen (EEG)", "Stärke", "Verbesserungspotenzial",
                  "P – ohne Schwierigkeiten durchgeführt", "S – mit einigen Schwierigkeiten durchgeführt",
                  "M – mit erheblichen Schwierigkeiten durchgeführt", "U – nicht durchführbar",
                  "– kein Übungsziel –"):  # fmt: skip
        assert words in form, words
    assert "Übungsziele" in r.text


def test_observer_console_is_read_only_but_for_the_evaluation_guide(client: TestClient) -> None:
    links = create(client)
    r = client.get(path_of(links["observer"]))
    assert r.status_code == 200
    for element in ('id="clock-panel"', 'id="msel-panel"', 'id="hazard-form"', 'id="message-form"',
                    'id="decision-form"', 'id="clock-toggle"', 'id="extend-form"'):  # fmt: skip
        assert element not in r.text, element
    # the only controls: which feed entries to show, and the Exercise Evaluation Guide
    assert re.findall(r"<form[^>]*>", r.text) == ['<form id="observation-form" class="stack eeg-form">']
    assert re.findall(r"<textarea[^>]*>", r.text) == [
        '<textarea id="observation-text" rows="3" maxlength="4000" required>']
    assert re.findall(r"<select[^>]*>", r.text) == ['<select id="observation-objective">',
                                                    '<select id="feed-filter">']  # fmt: skip
    assert set(re.findall(r'<input type="(\w+)" name="([\w-]+)"', r.text)) == {
        ("radio", "eeg-tag"), ("radio", "eeg-rating")}  # fmt: skip
    form = r.text[r.text.index('id="eeg-panel"'):]
    for words in ("Strength", "Area for improvement", "P – performed without challenges",
                  "S – performed with some challenges", "M – performed with major challenges",
                  "U – unable to be performed"):  # fmt: skip
        assert words in form, words
    assert 'id="objectives-panel"' in r.text
    for element in ('id="board"', 'id="timeline"', 'id="impact"', 'id="graph"', 'id="feed"'):
        assert element in r.text
    assert config_of(r.text)["role"] == "observer"


def test_console_in_german(client: TestClient) -> None:
    links = create(client)
    r = client.get(path_of(links["facilitator"]) + "&lang=de")
    assert '<html lang="de">' in r.text
    assert "Übungsleitung" in r.text and "Drehbuch (MSEL)" in r.text
    config = config_of(r.text)
    assert config["lang"] == "de"
    assert config["msel"]["m1"]["title"] == "Lösegeldforderung auf den Bildschirmen"
    assert config["t"]["state.down"] == "ausgefallen"


def test_hazard_schema_marks_asset_and_team_fields() -> None:
    defs = hazard_schema()["$defs"]
    assert defs["PowerFailure"]["properties"]["assets"]["x-widget"] == "asset"
    assert defs["Ransomware"]["properties"]["entry"]["x-widget"] == "asset"
    assert defs["StaffAbsence"]["properties"]["staff"]["x-widget"] == "asset"
    # Which assets a field may name is the catalogue's rule, sent apart
    # (hazard_targets), not a second copy in the schema.
    assert "x-kinds" not in json.dumps(defs)
    assert defs["StaffAbsence"]["properties"]["teams"]["x-widget"] == "team"
    assert defs["Flood"]["properties"]["gauge"]["x-widget"] == "gauge"
    assert "x-widget" not in defs["PowerFailure"]["properties"]["duration"]


# --- everything local ------------------------------------------------------------------


def test_pages_load_only_local_scripts_and_styles(client: TestClient) -> None:
    links = create(client)
    pages = {
        "start": client.get("/", headers=EN).text,
        "start-de": client.get("/", headers=DE).text,
        "created": client.post(
            "/", data={"source": "bundled", "scenario": "example/scenario.yaml"}
        ).text,
        "problems": client.post("/", data={"source": "upload"}).text,
        "error": client.get("/exercises/x?token=y").text,
        **{role: client.get(path_of(url)).text for role, url in links.items()},
    }
    fetched = set()
    for name, html in pages.items():
        assert "cdn" not in html.lower(), name
        scripts = re.findall(r"<script\b([^>]*)>", html)
        for attributes in scripts:
            src = re.search(r'src="([^"]+)"', attributes)
            if src is None:  # only the JSON data block may be inline
                assert 'type="application/json"' in attributes, name
                continue
            assert src.group(1).startswith("/static/"), (name, src.group(1))
            fetched.add(src.group(1))
        for href in re.findall(r'<link [^>]*href="([^"]+)"', html):
            assert href.startswith("/static/"), (name, href)
            fetched.add(href)
    assert "/static/plotly/plotly.min.js" in fetched
    for url in fetched:
        r = client.get(url)
        assert r.status_code == 200, url
        assert "cdn.plot.ly" not in r.text[:2000]


def test_pages_forbid_foreign_scripts(client: TestClient) -> None:
    links = create(client)
    r = client.get(path_of(links["facilitator"]))
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    assert r.headers["referrer-policy"] == "no-referrer"  # links carry tokens


def test_the_hazard_form_offers_each_hazard_only_its_targets(client: TestClient) -> None:
    links = create(client)
    targets = config_of(client.get(path_of(links["facilitator"])).text)["hazard_targets"]
    # scenarios/example/company.yaml: two power utilities (grid, generator), the
    # WAN links carry network; two suppliers and a fuel truck.
    assert targets["power_failure"] == {"assets": ["grid", "generator"]}
    assert sorted(targets["supply_break"]["assets"]) == [
        "fuel_supplier", "fuel_truck", "packaging_supplier"]  # fmt: skip
    assert targets["staff_absence"]["staff"] == ["staff_plant"]
    # ransomware gets in through IT (it_system, application, data), never
    # through a site, a utility, staff or a supplier.
    company = load_company(ROOT / "scenarios" / "example" / "company.yaml")
    it = [a.id for a in company.assets if a.kind.value in ("it_system", "application", "data")]
    assert targets["ransomware"]["entry"] == it and it
    # A player never gets the form's targets.
    assert "hazard_targets" not in config_of(client.get(path_of(links["participant"])).text)


def test_a_power_failure_on_staff_is_refused_naming_the_field(client: TestClient) -> None:
    r = client.post("/api/exercises", json={"scenario": "example/scenario.yaml"})
    token = r.json()["tokens"]["facilitator"]
    r = client.post(f"/api/exercises/{r.json()['id']}/injects",
                    headers={"authorization": f"Bearer {token}"},
                    json={"hazard": {"type": "power_failure", "assets": ["staff_plant"],
                                     "duration": "2h"}})  # fmt: skip
    assert r.status_code == 422, r.text
    (item,) = r.json()["detail"]
    assert "hazard.assets.0" in json.dumps(item) or "assets" in json.dumps(item["loc"])
    assert item["msg"].endswith("not staff") and "Stromausfall" in item["msg_de"]


def test_every_duration_field_says_its_format_in_the_page_language(client: TestClient) -> None:
    """QA 8: "1,5 Std" was refused and the browser said only "Please match the
    requested format.". Each duration field of the console takes the decimal
    comma and names the format in its title; the hazard form's fields (drawn by
    the script) get the same text from the page's texts."""
    import html

    from simulator.terms.durations import DURATION_PATTERN

    links = create(client)
    for lang, title in (("de", "Dauer mit Einheit, z. B. 90 Min, 1,5 Std, 2 Tage"),
                        ("en", "A duration with its unit, e.g. 90min, 1.5h, 2d")):  # fmt: skip
        page = client.get(path_of(links["facilitator"]) + f"&lang={lang}").text
        for field in ("jump-by", "delay-by", "extend-by"):
            tag = re.search(rf'<input id="{field}"[^>]*>', page)
            assert tag is not None, field
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag.group()))
            assert html.unescape(attrs["title"]) == title, (lang, field)
            assert html.unescape(attrs["pattern"]) == DURATION_PATTERN, field
        assert config_of(page)["t"]["clock.duration_format"] == title
    assert re.match(DURATION_PATTERN, "1,5 Std") and re.match(DURATION_PATTERN, "2 Tage")
    assert not re.match(DURATION_PATTERN, "1,5,3 Std")
