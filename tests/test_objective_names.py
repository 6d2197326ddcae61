"""The objectives' stream view names who decided: a named person by name
for facilitators and observers (the console writes "by Anna Krause"), a role
by its role (the page translates it), and a player's view names nobody."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_exercise_people import ANNA

from simulator.exercise.audience import FULL, PLAYER
from simulator.exercise.session import Exercise
from simulator.exercise.views import Publication
from simulator.readwrite.io import load_bundle

RANSOMWARE = Path(__file__).resolve().parent.parent / "scenarios" / "dairy" / "ransomware.yaml"
H = 3600


def staffed() -> Exercise:
    ex = Exercise(load_bundle(RANSOMWARE), 1)
    ex.apply(ex.command("facilitator", "person", ANNA))
    return ex


def isolate_early(publication: Publication, audience: str) -> dict[str, Any]:
    """The dairy ransomware's objective: `isolate_ot` decided by T+2 h."""
    return next(o for o in publication.objective_states(audience) if o["id"] == "isolate_early")


def test_a_persons_decision_is_named_for_evaluators_only() -> None:
    ex = staffed()
    ex.run_until(H)
    proposal = ex.command("p-anna", "proposal", {"action": "isolate_ot", "team": "krisenstab"})
    ex.apply(proposal)
    ex.apply(ex.command("facilitator", "accept", {"proposal": proposal.seq}))
    publication = Publication(ex)
    full = isolate_early(publication, FULL)["evidence"]
    assert (full["taken_at"], full["actor"], full["actor_name"]) == (
        H, "p-anna", "Anna Krause (Leiterin Krisenstab)")  # fmt: skip
    player = isolate_early(publication, PLAYER)["evidence"]
    assert player["taken_at"] == H
    assert not {"actor", "actor_name", "team"} & set(player)


def test_a_roles_decision_carries_no_name() -> None:
    ex = staffed()
    ex.run_until(H)
    ex.apply(ex.command("facilitator", "decision", {"action": "isolate_ot"}))
    full = isolate_early(Publication(ex), FULL)["evidence"]
    assert full["actor"] == "facilitator" and "actor_name" not in full


def test_a_player_does_not_learn_the_expected_action_before_it_is_decided() -> None:
    """The objective "isolate_ot by T+2 h" names the expected action and a
    deadline that can give away when a hazard strikes: a player sees only
    that it is open; evaluators see both; once missed, everybody does."""
    ex = staffed()
    ex.run_until(H)
    publication = Publication(ex)
    player = isolate_early(publication, PLAYER)
    assert player["state"] == "pending" and player["evidence"] == {}
    full = isolate_early(publication, FULL)["evidence"]
    assert (full["action"], full["by"]) == ("isolate_ot", 2 * H)
    ex.run_until(3 * H)
    missed = isolate_early(Publication(ex), PLAYER)
    assert missed["state"] == "missed"
    assert (missed["evidence"]["action"], missed["evidence"]["by"]) == ("isolate_ot", 2 * H)
