"""Scripted (MSEL) injects addressed to teams and the MSEL's control columns
(issue 11): an inject of the script with `teams` reaches only those teams'
players — through the log, the feed, the stream, why, the pages — exactly
as an ad hoc inject with teams does; its expected action, controller and
notes are control's: facilitators and observers read them, no player ever
receives them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import player_views
import yaml
from liveserver import Server, post
from test_web_triggers import ROOT

from simulator.exercise.audience import FULL, audience_of, entry_view
from simulator.exercise.session import Exercise
from simulator.exercise.views import Publication, feed_item
from simulator.readwrite.io import load_bundle

IT_TEXTS = ("zq-b03-titel", "zq-b03-title", "zq-b03-nachricht", "zq-b03-message",
            "zq-b06-titel", "zq-b06-title")  # fmt: skip
WHY = [f"why/lep_generator?lang={lang}" for lang in ("de", "en")]  # b06's cause
CONTROL = ("zq-exp-de", "zq-exp-en", "zq-ctl", "zq-note-de", "zq-note-en",
           "zq-b02-exp-de", "zq-b02-exp-en")  # fmt: skip


def scenarios(tmp: Path) -> Path:
    """The bundled blackout with b03 and b06 addressed to team IT (b06 takes
    the standby generator down: its cause must not name it to other teams)
    and control columns on b02 (for everyone) and b03."""
    out = tmp / "scenarios" / "dairy"
    out.mkdir(parents=True)
    # the teams an inject is addressed to are the company's (validation checks it)
    company = yaml.safe_load((ROOT / "scenarios" / "dairy" / "company.yaml").read_text())
    company["teams"]["IT"] = {"size": 3}
    company["teams"]["Krisenstab"] = {"size": 1}  # people's teams are the company's too
    (out / "company.yaml").write_text(yaml.safe_dump(company, allow_unicode=True))
    data = yaml.safe_load((ROOT / "scenarios" / "dairy" / "blackout.yaml").read_text())
    injects = {i["id"]: i for i in data["injects"]}
    injects["b02"].update(expected_action={"de": "zq-b02-exp-de", "en": "zq-b02-exp-en"},
                          objective="dispatch_rto", controller="zq-ctl")  # fmt: skip
    injects["b03"].update(
        title={"de": "zq-b03-titel", "en": "zq-b03-title"},
        message={"de": "zq-b03-nachricht", "en": "zq-b03-message"},
        teams=["IT"], event_type="expected_action", sender={"de": "Telekom", "en": "Telekom"},
        method="phone", controller="zq-ctl", expected_action={"de": "zq-exp-de", "en": "zq-exp-en"},
        notes={"de": "zq-note-de", "en": "zq-note-en"}, objective="dispatch_rto",
    )  # fmt: skip
    injects["b06"].update(title={"de": "zq-b06-titel", "en": "zq-b06-title"}, teams=["IT"])
    (out / "blackout.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    return tmp / "scenarios"


def test_the_exercise_object_addresses_scripted_injects(tmp_path: Path) -> None:
    bundle = load_bundle(scenarios(tmp_path) / "dairy" / "blackout.yaml")
    ex = Exercise(bundle, seed=1)
    ex.run_until(4 * 3600)
    msel = {e.payload.inject: e for e in ex.log if e.kind == "msel"}
    assert sorted(msel) == ["b01", "b02", "b03"]
    pub = Publication(ex)
    pub.sent()
    for audience, sees in ((FULL, True), (audience_of("participant", "IT"), True),
                           (audience_of("participant", "Krisenstab"), False),
                           (audience_of("participant"), False)):  # fmt: skip
        view = entry_view(audience, feed_item(msel["b03"]), bundle)
        assert (view is not None) == sees, audience
        assert entry_view(audience, feed_item(msel["b02"]), bundle) is not None
        text = json.dumps(pub.message(audience, full=True), ensure_ascii=False)
        assert ("zq-b03-title" in text) == sees, audience
        for secret in CONTROL:  # no stream message carries the control columns
            assert secret not in text, (audience, secret)


def test_scripted_injects_for_a_team_reach_only_its_players(tmp_path: Path) -> None:
    """After b03 and b06 (team IT) fell due, a player of team Krisenstab and
    an anonymous player find their texts on no GET route, page or stream;
    team IT's player gets them; no player ever gets the control columns;
    the facilitator's and the observer's console pages carry them."""
    with Server(f"sqlite:///{tmp_path}/msel.db", scenarios(tmp_path)) as server:
        base = server.base
        made = httpx.post(f"{base}/api/exercises", json={"scenario": "dairy/blackout.yaml"})
        assert made.status_code == 201, made.text
        exercise, tokens = made.json()["id"], made.json()["tokens"]
        api = f"{base}/api/exercises/{exercise}"
        boss = {"Authorization": f"Bearer {tokens['facilitator']}"}

        def command(what: str, body: dict[str, Any]) -> Any:  # an error status raises
            return post(f"{api}/{what}", body, tokens["facilitator"])

        anna = command("people", {"name": "Anna", "team": "Krisenstab", "role": "participant"})
        ida = command("people", {"name": "Ida", "team": "IT", "role": "participant"})
        command("clock", {"action": "jump", "by": "11h"})  # b01 .. b06 fall due

        def everything(token: str) -> dict[str, str]:
            return player_views.everything(base, exercise, token, then=lambda: command(
                "clock", {"action": "jump", "by": "1h"}), extra=WHY)  # fmt: skip

        for token in (anna["token"], tokens["participant"]):
            for what, text in everything(token).items():
                for secret in (*IT_TEXTS, *CONTROL):
                    assert secret not in text, (what, secret)
        it = everything(ida["token"])
        for what, text in it.items():
            for secret in CONTROL:
                assert secret not in text, (what, secret)
        assert "zq-b03-title" in it["log"] and "zq-b03-nachricht" in it["log"]
        assert "zq-b03-title" in it["stream"] and "zq-b06-titel" in it["stream"]
        assert "zq-b06-titel" in it["why/lep_generator?lang=de"]
        # everyone's scripted inject (b02) still reaches every player, without its columns
        anon = everything(tokens["participant"])
        assert "Lines stop, emergency power runs" in anon["log"]
        # control reads the columns on its console page (the script in its config)
        for role in ("facilitator", "observer"):
            page = httpx.get(f"{base}/exercises/{exercise}?token={tokens[role]}&lang=de").text
            for secret in ("zq-exp-de", "zq-ctl", "zq-note-de", "zq-b02-exp-de"):
                assert secret in page, (role, secret)
        why = httpx.get(f"{api}/why/lep_generator?lang=en", headers=boss).text
        assert "zq-b06-title" in why
