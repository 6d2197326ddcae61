"""Named people, teams and the evaluation in the exercise object: every
entry names its actor, an inject can be addressed to teams (a player never
sees another team's), observations carry an objective, a tag and a rating,
and the improvement plan is logged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.exercise.audience import FULL, PLAYER, audience_of
from simulator.exercise.log import dumps_log, make_header, read_log
from simulator.exercise.replay import replay
from simulator.exercise.session import Exercise, Rejected
from simulator.exercise.views import Publication
from simulator.readwrite.io import load_bundle

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "example" / "scenario.yaml"
H = 3600
ANNA = {"id": "p-anna", "name": "Anna Krause", "function": "Leiterin Krisenstab",
        "team": "krisenstab", "role": "participant"}  # fmt: skip
BEN = {"id": "p-ben", "name": "Ben Ott", "team": "it", "role": "participant"}
EVA = {"id": "p-eva", "name": "Eva Lind", "function": "Beobachterin", "role": "observer"}


def staffed() -> Exercise:
    ex = Exercise(load_bundle(EXAMPLE), 1)
    for person in (ANNA, BEN, EVA):
        ex.apply(ex.command("facilitator", "person", person))
    return ex


def test_people_act_under_their_names() -> None:
    ex = staffed()
    ex.run_until(H)
    entry = ex.command("p-anna", "proposal", {"action": "activate_dr", "team": "krisenstab"})
    ex.apply(entry)
    assert (entry.actor, ex.actor_name(entry.actor)) == ("p-anna",
                                                         "Anna Krause (Leiterin Krisenstab)")
    assert ex.team_of("p-anna") == "krisenstab" and ex.teams() == {"krisenstab", "it"}
    with pytest.raises(Rejected, match="no person 'p-zed' in this exercise"):
        ex.command("p-zed", "proposal", {"text": "hello"})
    with pytest.raises(Rejected, match="person 'p-ben' is already in the exercise"):
        ex.command("facilitator", "person", BEN)
    with pytest.raises(Rejected) as err:
        ex.command("facilitator", "person", {**BEN, "id": "facilitator"})
    assert err.value.field == "id"  # a person is never named like a role


def test_a_player_sees_only_what_is_addressed_to_everyone_or_their_team() -> None:
    ex = staffed()
    ex.apply(ex.command("facilitator", "inject", {"message": "Alle: Lagebesprechung um 10 Uhr"}))
    ex.apply(ex.command("facilitator", "inject", {"message": "IT: Backups prüfen zq-it",
                                                  "teams": ["it"]}))  # fmt: skip
    with pytest.raises(Rejected) as err:
        ex.command("facilitator", "inject", {"message": "x", "teams": ["legal"]})
    assert (err.value.field, err.value.message) == ("teams", "no team 'legal' in this exercise "
                                                    "(it, krisenstab)")  # fmt: skip
    pub = Publication(ex)
    pub.sent()
    seen = {who: json.dumps(pub.message(audience_of("participant", team), True))
            for who, team in (("it", "it"), ("krisenstab", "krisenstab"), ("anyone", None))}
    assert "zq-it" in seen["it"]
    assert "zq-it" not in seen["krisenstab"] and "zq-it" not in seen["anyone"]
    assert all("Lagebesprechung" in text for text in seen.values())
    assert "zq-it" in json.dumps(pub.message(FULL, True))
    assert "Anna Krause" not in seen["anyone"]  # the staffing is not the players' business
    assert audience_of("participant") == PLAYER


def test_observations_plan_and_replay() -> None:
    ex = staffed()
    ex.run_until(2 * H)
    ex.apply(ex.command("p-eva", "observation", {
        "text": "Lagebild nach 20 Minuten", "objective": ex.bundle.scenario.objectives[0].id,
        "tag": "strength", "rating": "S"}))  # fmt: skip
    with pytest.raises(Rejected, match="no objective 'nope' in the scenario"):
        ex.command("p-eva", "observation", {"text": "x", "objective": "nope"})
    with pytest.raises(Rejected) as err:
        ex.command("p-eva", "observation", {"text": "x", "rating": "A"})
    assert err.value.field == "rating"
    ex.apply(ex.command("facilitator", "plan", {"item": "ip1", "issue": "Lagebild zu spät",
                                                "action": "Lagebildvorlage einführen",
                                                "owner": "BCM", "due": "2027-03-31"}))  # fmt: skip
    ex.apply(ex.command("facilitator", "plan", {"item": "ip1", "issue": "Lagebild zu spät",
                                                "action": "Lagebildvorlage einführen",
                                                "status": "in_progress"}))  # fmt: skip
    assert ex.plan["ip1"].status == "in_progress" and ex.plan["ip1"].owner is None
    header = make_header(ex.bundle, ex.seed)
    again = replay(*read_log(dumps_log(header, ex.log)))
    assert again.people == ex.people and again.plan == ex.plan


def test_a_new_person_s_team_is_checked_against_the_company_s() -> None:
    """The rule the server applies to each person it adds (QA 4): a team is
    one of the company's by id (the example's: it_admins, electricians) or
    none; `command` itself keeps taking a team of its own, so logs written
    before the rule (and these tests' "krisenstab") still replay."""
    ex = Exercise(load_bundle(EXAMPLE), 1)
    ex.check_team(None)
    ex.check_team("it_admins")
    for team in ("Krisenstab", "IT-Administration", "it_admins "):
        with pytest.raises(Rejected) as refused:
            ex.check_team(team)
        assert (refused.value.field, refused.value.message) == (
            "team", f"no team {team!r} in the company (its teams: 'it_admins', "
                    "'electricians'; or leave the team out)")  # fmt: skip
    ex.apply(ex.command("facilitator", "person", ANNA))  # a log's own team replays
    assert ex.people["p-anna"].team == "krisenstab"
