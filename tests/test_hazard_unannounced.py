"""Players meet a hazard by its effects and by what control tells them, never
by the engine's note that it began: a ransomware is silent until detected,
and an ad hoc hazard reaches them by the title and message the facilitator
gives it (found by a new user: the participant's feed once said
"Schadensereignis – Ransomware" the moment the facilitator injected it)."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.exercise.audience import FULL, audience_of
from simulator.exercise.session import Exercise
from simulator.exercise.views import Publication
from simulator.readwrite.io import load_bundle

ROOT = Path(__file__).resolve().parent.parent
PLAYERS = (audience_of("participant"), audience_of("participant", "IT"))


def _records(message: dict[str, object]) -> list[dict[str, object]]:
    records = message.get("records")
    assert isinstance(records, list)
    return records


def test_a_scripted_ransomware_is_not_announced_to_players() -> None:
    ex = Exercise(load_bundle(ROOT / "scenarios" / "dairy" / "ransomware.yaml"), seed=1)
    ex.run_until(6 * 3600)
    started = [r for r in ex.sim.records if r.event == "hazard"]
    assert started and started[0].detail == "ransomware"  # the engine noted it
    pub = Publication(ex)
    pub.sent()  # everything so far is published: a full state carries it
    full = pub.message(FULL, full=True)
    assert any(r["event"] == "hazard" for r in _records(full))  # control sees it
    for audience in PLAYERS:
        message = pub.message(audience, full=True)
        assert not [r for r in _records(message) if r["event"] in ("hazard", "compromised")]
        assert "ransomware" not in json.dumps(message).lower()


def test_an_ad_hoc_hazard_reaches_players_by_its_title_only() -> None:
    ex = Exercise(load_bundle(ROOT / "scenarios" / "dairy" / "blackout.yaml"), seed=1)
    ex.run_until(3600)
    pub = Publication(ex)
    pub.sent()
    entry = ex.command("facilitator", "inject", {
        "hazard": {"type": "ransomware", "entry": "hq_clients", "dwell": "4d"},
        "title": "Auffällige Anmeldungen", "message": "Die IT meldet seltsame Logins."})
    ex.apply(entry)
    ex.run_until(2 * 3600)
    pub.sent()
    for audience in PLAYERS:
        message = pub.message(audience, full=True)
        text = json.dumps(message, ensure_ascii=False)
        assert "Auffällige Anmeldungen" in text
        assert "ransomware" not in text.lower()  # the company's graph names hq_clients anyway
        feed = json.dumps(message["feed"])
        assert "hq_clients" not in feed and '"hazard"' not in feed
