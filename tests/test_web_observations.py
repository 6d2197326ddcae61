"""Observers evaluate too: observations with an objective, a strength or
improvement tag and an HSEEP rating, posted by the facilitator or an
observer; participants can neither post nor see them (stream, log, feed);
every audience's stream carries the objectives' live state."""

from __future__ import annotations

from typing import Any

import pytest
from test_web_api import Ex, field_of, lite, lite_ex, settings  # noqa: F401  (fixtures)
from test_web_live import _events, new, store  # noqa: F401  (fixtures)

from web.storage import Store

FULL_NOTE = {"text": "Call tree took 40 min", "objective": "orders_rto",
             "tag": "improvement", "rating": "M"}  # fmt: skip


@pytest.mark.parametrize("role", ["facilitator", "observer"])
def test_evaluators_post_observations_with_every_field(lite_ex: Ex, role: str) -> None:  # noqa: F811
    lite_ex.ok("observations", FULL_NOTE, role)
    lite_ex.ok("observations", {"text": "DR decided in time", "objective": "dr_early",
                                "tag": "strength", "rating": "P"}, role)  # fmt: skip
    lite_ex.ok("observations", {"text": "plain note"}, role)
    entries = [e for e in lite_ex.log()[1:] if e["kind"] == "observation"]
    assert [(e["actor"], e["payload"]) for e in entries] == [
        (role, FULL_NOTE),
        (role, {"text": "DR decided in time", "objective": "dr_early", "tag": "strength",
                "rating": "P"}),
        (role, {"text": "plain note"})]  # fmt: skip


@pytest.mark.parametrize(("body", "field"), [
    ({**FULL_NOTE, "rating": "X"}, ["rating"]),
    ({**FULL_NOTE, "rating": "p"}, ["rating"]),
    ({**FULL_NOTE, "tag": "weakness"}, ["tag"]),
    ({**FULL_NOTE, "objective": ""}, ["objective"]),
    ({**FULL_NOTE, "objective": "o" * 121}, ["objective"]),
    ({**FULL_NOTE, "text": ""}, ["text"]),
    ({**FULL_NOTE, "colour": "red"}, ["colour"]),
])  # fmt: skip
def test_bad_observations_are_422s_naming_the_field(lite_ex: Ex, body: dict[str, Any],  # noqa: F811
                                                    field: list[str]) -> None:  # fmt: skip
    assert field_of(lite_ex.post("observations", body, "observer")) == field


def test_an_unknown_objective_is_a_422_on_objective(lite_ex: Ex) -> None:  # noqa: F811
    r = lite_ex.post("observations", {**FULL_NOTE, "objective": "orders_rt0"}, "observer")
    assert r.status_code == 422
    assert "orders_rt0" in r.text and "objective" in r.text
    assert [e for e in lite_ex.log()[1:] if e["kind"] == "observation"] == []


def test_participants_may_not_post_and_never_see_observations(lite_ex: Ex) -> None:  # noqa: F811
    r = lite_ex.post("observations", FULL_NOTE, "participant")
    assert r.status_code == 403
    lite_ex.ok("observations", FULL_NOTE, "observer")
    lite_ex.ok("observations", {"text": "zq-secret note"})
    for what in ("log", "feed?before=1000", "state"):
        seen = lite_ex.client.get(lite_ex.url(what), headers=lite_ex.auth("participant"))
        assert seen.status_code == 200, what
        assert "zq-secret" not in seen.text and "Call tree" not in seen.text, what
        assert "observation" not in seen.text, what
    assert "zq-secret" in lite_ex.client.get(lite_ex.url("log"),
                                             headers=lite_ex.auth("observer")).text  # fmt: skip


def test_streams_carry_objectives_but_no_observation_for_players(store: Store) -> None:  # noqa: F811
    live = new(store, publish_s=0.0)
    live.submit("observer", "observation", {**FULL_NOTE, "text": "zq-hidden"}, 0.0)
    live.submit("participant", "decision", {"action": "activate_dr"}, 0.0)
    live.publish(0.0)

    def between(i: int) -> None:
        live.submit("observer", "observation", {"text": f"zq-hidden {i}", "rating": "S"}, 0.0)
        live.publish(0.0)  # news for the full view only
        live.submit("facilitator", "inject", {"message": f"zq-visible {i}"}, 0.0)
        live.publish(0.0)

    for audience in ("player", "full"):
        events = _events(live, audience, None, 3, between)
        text = str(events)
        assert ("zq-hidden" in text) == (audience == "full"), audience
        for _, message in events:
            states = {o["id"]: o["state"] for o in message["objectives"]}
            assert states == {"orders_rto": "met", "dr_early": "met"}, audience
        dr = next(o for o in events[0][1]["objectives"] if o["id"] == "dr_early")
        assert dr["evidence"]["taken_at"] == 0 and dr["title"]["de"].startswith("Notfallstandort")




def test_a_player_stream_hears_nothing_of_what_only_others_see(store: Store) -> None:  # noqa: F811
    """The clock stands still (publish at the same moment): an observation
    gives the full view an update, the players none -- not even an empty
    one, whose timing would tell them that something hidden happened. What
    they see (a broadcast message) reaches them as usual."""
    live = new(store, publish_s=0.0)
    live.publish(0.0)
    kept = {a: len(live.hub.history.get(a, ())) for a in ("full", "player")}
    live.submit("observer", "observation", {"text": "zq-hidden"}, 0.0)
    live.publish(0.0)
    assert len(live.hub.history["full"]) == kept["full"] + 1
    assert len(live.hub.history.get("player", ())) == kept["player"]
    live.submit("facilitator", "inject", {"message": "zq-visible"}, 0.0)
    live.publish(0.0)
    player = live.hub.history["player"]
    assert len(player) == kept["player"] + 1
    assert "zq-visible" in player[-1].data and "zq-hidden" not in player[-1].data
    # A viewer who resumes from before the hidden update gets only the visible one.
    assert [e.id for e in live.hub.missed("player", player[-1].id - 2) or []] == [player[-1].id]


def test_a_viewer_joining_does_not_swallow_the_update_of_those_watching(
        store: Store) -> None:  # noqa: F811
    """A person joins the IT team while the clock stands: the team's
    players see their team's people, so their streams get an update. A
    second IT player who opens the page before that update goes out gets a
    full state with the person already in it; the players watching all
    along must still get theirs."""
    live = new(store, publish_s=0.0)
    audience = "player:it"
    live.add_person("Pat", None, "it", "participant")  # the team's first member
    live.publish(0.0)
    kept = len(live.hub.history[audience])
    live.add_person("Kim", None, "it", "participant")
    assert "Kim" in live.init_message(audience)  # the newcomer's full state
    live.publish(0.0)
    assert len(live.hub.history[audience]) == kept + 1
    assert "Kim" in live.hub.history[audience][-1].data
