"""Named people and teams through the web (issue 11, part 1): the facilitator
adds participants and observers, each gets a personal link that works like
their role's and names them in the log; injects addressed to teams reach
only those teams' players, through every endpoint and the stream; attendance
(joined, first and last activity) is kept in the database."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import player_views
import pytest
import yaml
from liveserver import Server, read_events
from starlette.testclient import TestClient
from test_web_api import SCENARIOS as WEB_DATA
from test_web_api import Ex, new_exercise, settings
from test_web_triggers import BLACKOUT, EXERCISE_GETS, ROOT, get_paths

from web.app import create_app
from web.settings import Settings

# Teams are the company's, by id: tests/data/web's company has "it" and "krisenstab".
ANNA = {"name": "Anna Krause", "function": "Leiterin Krisenstab", "team": "krisenstab",
        "role": "participant"}  # fmt: skip


def dairy_with_teams(tmp: Path) -> Path:
    """The bundled dairy with the teams "it" and "krisenstab" of the web
    tests' company (its own are recovery teams), as a scenarios folder."""
    out = tmp / "scenarios" / "dairy"
    shutil.copytree(ROOT / "scenarios" / "dairy", out)
    company = yaml.safe_load((out / "company.yaml").read_text())
    company["teams"]["it"] = {"name": {"de": "IT", "en": "IT"}, "size": 1}
    company["teams"]["krisenstab"] = {"name": {"de": "Krisenstab", "en": "Crisis staff"},
                                      "size": 1}  # fmt: skip
    (out / "company.yaml").write_text(yaml.safe_dump(company, allow_unicode=True))
    return tmp / "scenarios"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/people.db"


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(settings(db))) as c:
        yield c


@pytest.fixture
def ex(client: TestClient) -> Ex:
    return new_exercise(client, seed=1, speed=60)


def add(ex: Ex, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    r = ex.client.post(ex.url("people"), json=body, headers={**ex.auth("facilitator"), **headers})
    assert r.status_code == 200, r.text
    person: dict[str, Any] = r.json()
    ex.tokens[person["id"]] = person["token"]  # ex.auth(person id) uses their link
    return person


def people(ex: Ex, role: str = "facilitator") -> dict[str, Any]:
    r = ex.client.get(ex.url("people"), headers=ex.auth(role))
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def test_a_person_s_link_works_like_their_role_s_and_names_them(ex: Ex) -> None:
    anna = add(ex, ANNA)
    assert re.fullmatch(r"p-[a-z0-9]{10}", anna["id"])
    assert anna["link"] == f"/exercises/{ex.id}?token={anna['token']}"  # relative: no base URL
    assert {k: anna[k] for k in ANNA} == ANNA
    # the log names her: a `person` entry by the facilitator
    added = ex.log()[-1]
    assert (added["kind"], added["actor"]) == ("person", "facilitator")
    assert added["payload"] == {"id": anna["id"], **ANNA}
    # her link is a participant's: state, propose; but no facilitator's command
    assert ex.state(anna["id"])["id"] == ex.id
    ex.ok("decisions", {"text": "Notstrom anfordern"}, anna["id"])
    proposal = ex.log()[-1]
    assert proposal["kind"] == "proposal" and proposal["actor"] == anna["id"]
    assert proposal["payload"] == {"text": "Notstrom anfordern", "team": "krisenstab"}
    for what, body in (("injects", {"message": "hi"}), ("clock", {"action": "start"}),
                       ("people", {"name": "X", "role": "observer"})):  # fmt: skip
        assert ex.post(what, body, anna["id"]).status_code == 403, what
    # the facilitator accepts: the decision is the facilitator's, the proposal stays hers
    ex.ok("decisions", {"accept": proposal["seq"]})
    assert ex.log()[-1]["actor"] == "facilitator"
    # an observer's link observes: no decision
    olaf = add(ex, {"name": "Olaf Prüfer", "role": "observer"})
    r = ex.post("decisions", {"text": "x"}, olaf["id"])
    assert r.status_code == 403 and "observers may not decide" in r.text
    assert ex.log(olaf["id"])[0]["seed"] == 1  # the full view, as observers have it
    # the role links of today still work, anonymously
    ex.ok("decisions", {"text": "anonym"}, "participant")
    assert ex.log()[-1]["actor"] == "participant" and "team" not in ex.log()[-1]["payload"]


def test_only_the_facilitator_adds_people(ex: Ex) -> None:
    anna = add(ex, ANNA)
    for role in ("participant", "observer", "manager", anna["id"]):
        r = ex.post("people", {"name": "Eve", "role": "participant"}, role)
        assert r.status_code == 403, role
    r = ex.client.post(ex.url("people"), json={"name": "Eve", "role": "participant"})
    assert r.status_code == 401
    r = ex.post("people", {"name": "Eve", "role": "participant"}, "facilitator")
    assert r.status_code == 200
    # who may read the list: not the players
    assert ex.client.get(ex.url("people"), headers=ex.auth("participant")).status_code == 403
    assert ex.client.get(ex.url("people"), headers=ex.auth(anna["id"])).status_code == 403
    assert len(people(ex, "observer")["people"]) == 2
    assert len(people(ex, "manager")["people"]) == 2


@pytest.mark.parametrize(("body", "field"), [
    ({"role": "participant"}, "name"),
    ({"name": "", "role": "participant"}, "name"),
    ({"name": "   ", "role": "participant"}, "name"),
    ({"name": "A" * 201, "role": "participant"}, "name"),
    ({"name": 5, "role": "participant"}, "name"),
    ({"name": "Anna", "role": "facilitator"}, "role"),
    ({"name": "Anna"}, "role"),
    ({"name": "Anna", "role": "participant", "team": "T" * 81}, "team"),
    ({"name": "Anna", "role": "participant", "team": ""}, "team"),
    ({"name": "Anna", "role": "participant", "function": "F" * 201}, "function"),
    ({"name": "Anna", "role": "participant", "id": "p-chosen1"}, "id"),
])  # fmt: skip
def test_bad_people_are_refused_naming_the_field(ex: Ex, body: dict[str, Any],
                                                  field: str) -> None:  # fmt: skip
    r = ex.post("people", body)
    assert r.status_code == 422, r.text
    assert [d["loc"][-1] for d in r.json()["detail"]] == [field]
    assert [e["kind"] for e in ex.log()[1:]] == []  # nothing logged


def test_a_repeated_request_adds_one_person(ex: Ex) -> None:
    first = add(ex, ANNA, **{"Idempotency-Key": "add-anna-1"})
    again = add(ex, ANNA, **{"Idempotency-Key": "add-anna-1"})
    assert again == first
    assert [e["kind"] for e in ex.log()[1:]] == ["person"]
    other = add(ex, ANNA, **{"Idempotency-Key": "add-anna-2"})  # a namesake is another person
    assert other["id"] != first["id"]
    # a key another command used is another request here (and the reverse)
    ex.client.post(ex.url("clock"), json={"action": "start"},
                   headers={**ex.auth("facilitator"), "Idempotency-Key": "k-shared"})  # fmt: skip
    shared = add(ex, {"name": "Bert", "role": "observer"}, **{"Idempotency-Key": "k-shared"})
    assert shared["name"] == "Bert"
    r = ex.client.post(ex.url("clock"), json={"action": "pause"},
                       headers={**ex.auth("facilitator"), "Idempotency-Key": "add-anna-1"})
    assert r.status_code == 200 and r.json()["kind"] == "clock"


def test_injects_are_addressed_to_known_teams_only(ex: Ex) -> None:
    r = ex.post("injects", {"message": "Nur für die IT", "teams": ["it"]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "teams"
    add(ex, {"name": "Ida", "team": "it", "role": "participant"})
    ex.ok("injects", {"message": "Nur für die IT", "teams": ["it"]})
    assert ex.log()[-1]["payload"] == {"message": "Nur für die IT", "teams": ["it"]}
    for body in ({"release": "m1", "teams": ["it"]}, {"message": "x", "teams": []},
                 {"message": "x", "teams": ["it"] * 21}, {"message": "x", "teams": [""]}):
        r = ex.post("injects", body)
        assert r.status_code == 422, body
        assert r.json()["detail"][0]["loc"][:2] == ["body", "teams"], r.text


def test_a_person_s_team_is_one_of_the_company_s(ex: Ex) -> None:
    """QA 4: a team given as free text ("Krisenstab", following an older
    README) would see none of the injects addressed to `krisenstab`: the
    server refuses it, naming the field and the company's teams, in German
    too; a company team by its id and no team at all are fine."""
    for team in ("Krisenstab", "IT", "crisis_staff", "krisenstab "[:-1].upper()):
        r = ex.post("people", {"name": "Anna", "team": team, "role": "participant"})
        assert r.status_code == 422, r.text
        detail = r.json()["detail"][0]
        assert detail["loc"] == ["body", "team"]
        assert detail["msg"] == (f"no team {team!r} in the company (its teams: 'it', "
                                 "'krisenstab'; or leave the team out)")  # fmt: skip
        assert detail["msg_de"] == (f"kein Team {team!r} im Unternehmen (seine Teams: 'it', "
                                    "'krisenstab'; oder das Team weglassen)")  # fmt: skip
    assert [e["kind"] for e in ex.log()[1:]] == []  # nothing logged
    assert add(ex, {"name": "Anna", "team": "krisenstab", "role": "participant"})["team"] == \
        "krisenstab"  # fmt: skip
    assert add(ex, {"name": "Olaf", "role": "observer"})["team"] is None
    assert [e["payload"].get("team") for e in ex.log()[1:]] == ["krisenstab", None]


def test_a_company_without_teams_takes_people_without_one(tmp_path: Path) -> None:
    root = web_copy(tmp_path, {})
    with TestClient(create_app(Settings(db_url=f"sqlite:///{tmp_path}/none.db",
                                        scenarios_dir=root))) as client:  # fmt: skip
        ex = new_exercise(client, seed=1)
        r = ex.post("people", {"name": "Anna", "team": "it", "role": "participant"})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "team"]
        assert r.json()["detail"][0]["msg_de"] == (
            "kein Team 'it': das Unternehmen legt keine Teams fest; das Team weglassen")
        assert add(ex, {"name": "Anna", "role": "participant"})["team"] is None
        page = client.get(f"/exercises/{ex.id}?token={ex.tokens['facilitator']}&lang=de").text
        assert 'id="person-team-none"' in page and "keine Teams fest" in page


def web_copy(tmp: Path, teams: dict[str, Any]) -> Path:
    """tests/data/web with the company's `teams` replaced (restores need no team)."""
    out = tmp / "web"
    shutil.copytree(WEB_DATA, out)
    company = yaml.safe_load((out / "company.yaml").read_text())
    company["teams"] = teams
    for asset in company["assets"]:
        (asset.get("recovery") or {}).pop("team", None)
    (out / "company.yaml").write_text(yaml.safe_dump(company, allow_unicode=True))
    return out


def test_people_and_teams_are_bounded(tmp_path: Path) -> None:
    # a company of 21 teams: each team with people is a stream audience, 20 at most
    root = web_copy(tmp_path, {f"t{i:02d}": {"size": 1} for i in range(21)})
    with TestClient(create_app(Settings(db_url=f"sqlite:///{tmp_path}/many.db",
                                        scenarios_dir=root))) as client:  # fmt: skip
        ex = new_exercise(client, seed=1)
        for i in range(20):
            add(ex, {"name": f"Lead {i}", "team": f"t{i:02d}", "role": "participant"})
        r = ex.post("people", {"name": "One too many", "team": "t20", "role": "participant"})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "team"]
        assert "höchstens 20 Teams" in r.json()["detail"][0]["msg_de"]
        add(ex, {"name": "Second of team 03", "team": "t03", "role": "participant"})
        add(ex, {"name": "No team", "role": "observer"})
        live = ex.client.app.state.manager.exercises[ex.id]  # type: ignore[attr-defined]
        assert len(live.audiences()) == 2 + 20  # full, player, one per team


def test_attendance_is_kept_in_the_database(db: str) -> None:
    with TestClient(create_app(settings(db))) as client:
        ex = new_exercise(client, seed=1, speed=60)
        anna = add(ex, ANNA)
        bert = add(ex, {"name": "Bert", "team": "krisenstab", "role": "participant"})
        ida = add(ex, {"name": "Ida", "team": "it", "role": "participant"})
        add(ex, {"name": "Olaf", "role": "observer"})
        before = {p["id"]: p for p in people(ex)["people"]}
        assert before[anna["id"]]["joined"] is None and before[anna["id"]]["entries"] == 0
        # Anna opens her console page; Ida her stream (the API's)
        assert client.get(f"/exercises/{ex.id}?token={anna['token']}").status_code == 200
        live = client.app.state.manager.exercises[ex.id]  # type: ignore[attr-defined]
        with client.stream("GET", ex.url("stream"), headers=ex.auth(ida["id"])) as r:
            assert r.status_code == 200
        assert set(live.joined) == {anna["id"], ida["id"]}
        ex.ok("decisions", {"text": "eins"}, anna["id"])
        ex.ok("decisions", {"text": "zwei"}, anna["id"])
        seen = {p["id"]: p for p in people(ex)["people"]}
        entries = [e for e in ex.log()[1:] if e["actor"] == anna["id"]]
        assert [e["payload"]["text"] for e in entries] == ["eins", "zwei"]
        assert seen[anna["id"]]["first_active"] == entries[0]["wall_time"].replace("Z", "+00:00")
        assert seen[anna["id"]]["last_active"] == entries[1]["wall_time"].replace("Z", "+00:00")
        assert seen[anna["id"]]["entries"] == 2 and seen[bert["id"]]["entries"] == 0
        teams = people(ex)["teams"]
        assert teams == [
            {"team": "it", "people": 1, "joined": 1, "active": 0},
            {"team": "krisenstab", "people": 2, "joined": 1, "active": 1},
            {"team": None, "people": 1, "joined": 0, "active": 0},
        ]
        joined = seen[anna["id"]]["joined"]
    # a restarted server rebuilds the exercise: links and attendance are still there
    with TestClient(create_app(settings(db))) as client:
        ex.client = client
        after = {p["id"]: p for p in people(ex)["people"]}
        assert after[anna["id"]]["joined"] == joined
        assert after[ida["id"]]["joined"] is not None and after[bert["id"]]["joined"] is None
        ex.ok("decisions", {"text": "drei"}, bert["id"])
        assert ex.log()[-1]["actor"] == bert["id"]
        assert ex.log()[-1]["payload"]["team"] == "krisenstab"


def test_a_person_link_of_another_exercise_grants_nothing(client: TestClient) -> None:
    one = new_exercise(client, seed=1)
    two = new_exercise(client, seed=2)
    anna = add(one, ANNA)
    r = client.get(two.url("state"), headers={"Authorization": f"Bearer {anna['token']}"})
    assert r.status_code == 401


# --- teams: a player never receives another team's injects -----------------------------

SECRETS = ("zq-it-nachricht", "zq-it-title", "zq-it-hazard-message", "zq-it-second",
           "Olaf Prüfer", "Ida Neumann")  # fmt: skip


def test_a_player_never_receives_another_team_s_injects(tmp_path: Path) -> None:
    """After injects addressed to team IT, a player of team Krisenstab (and an
    anonymous player) finds their text on no GET route, page or stream; a
    player of team IT gets them. Names: a team's players see their own
    team's people by name only."""
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path}/routes.db"))
    assert {p for p in get_paths(app) if "{exercise_id}" in p} == set(EXERCISE_GETS)
    with Server(f"sqlite:///{tmp_path}/teams.db", dairy_with_teams(tmp_path)) as server:
        base = server.base
        made = httpx.post(f"{base}/api/exercises", json={"scenario": BLACKOUT}).json()
        api, tokens = f"{base}/api/exercises/{made['id']}", made["tokens"]
        boss = {"Authorization": f"Bearer {tokens['facilitator']}"}

        def command(what: str, body: dict[str, Any]) -> dict[str, Any]:
            r = httpx.post(f"{api}/{what}", json=body, headers=boss)
            assert r.status_code == 200, r.text
            out: dict[str, Any] = r.json()
            return out

        anna = command("people", ANNA)
        bert = command("people", {"name": "Bert Brandt", "team": "krisenstab",
                                  "role": "participant"})  # fmt: skip
        ida = command("people", {"name": "Ida Neumann", "team": "it", "role": "participant"})
        command("people", {"name": "Olaf Prüfer", "function": "Beobachter", "role": "observer"})
        command("clock", {"action": "jump", "by": "2h"})
        command("injects", {"message": "zq-it-nachricht: Server neu starten", "teams": ["it"]})
        command("injects", {"hazard": {"type": "outage", "assets": ["lep_refrigeration"],
                                       "duration": "3h"}, "id": "zq-it-sabotage",
                            "title": "zq-it-title", "message": "zq-it-hazard-message",
                            "teams": ["it"]})  # fmt: skip
        command("injects", {"message": "An alle: Lagebesprechung", "teams": ["it", "krisenstab"]})
        command("clock", {"action": "jump", "by": "1h"})

        def everything(token: str) -> dict[str, str]:
            # the stream's update: one more inject for IT
            return player_views.everything(base, made["id"], token, then=lambda: command(
                "injects", {"message": "zq-it-second", "teams": ["it"]}))  # fmt: skip

        for token in (anna["token"], tokens["participant"]):
            seen = everything(token)
            for what, text in seen.items():
                for secret in SECRETS:
                    assert secret not in text, (what, secret)
            # what is addressed to their team (Anna's) reaches them; an anonymous
            # player is of no team: they get what is addressed to everyone
            said = "An alle: Lagebesprechung"
            assert (said in seen["log"]) == (token == anna["token"])
        # Anna sees her own team by name (Bert), no one else's
        anna_stream = read_events(base, made["id"], anna["token"], 1)[0][1]
        assert anna_stream["people"] == {
            anna["id"]: {k: v for k, v in ANNA.items()},
            bert["id"]: {"name": "Bert Brandt", "team": "krisenstab", "role": "participant"},
        }
        assert read_events(base, made["id"], tokens["participant"], 1)[0][1]["people"] == {}
        # team IT's player gets all of it: feed, log, stream, why
        it = everything(ida["token"])
        for secret in ("zq-it-nachricht", "zq-it-title", "zq-it-hazard-message", "zq-it-second"):
            assert secret in it["log"] or secret in it["stream"], secret
        assert "zq-it-nachricht" in it["log"] and "zq-it-second" in it["stream"]
        assert "zq-it-title" in it["why/lep_refrigeration?lang=de"]
        assert "Olaf Prüfer" not in it["stream"]  # an observer is not of their team
        # the facilitator's stream names everyone
        full = read_events(base, made["id"], tokens["facilitator"], 1)[0][1]
        assert {p["name"] for p in full["people"].values()} == {
            "Anna Krause", "Bert Brandt", "Ida Neumann", "Olaf Prüfer"}  # fmt: skip
