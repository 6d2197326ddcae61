"""Adaptive triggers in the exercise object: a decision can prevent an
inject, the facilitator's hand on a trigger is a logged command, a replay
plays the same script, and players never learn of a trigger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.exercise.audience import FULL, PLAYER
from simulator.exercise.log import dumps_log, make_header, read_log
from simulator.exercise.replay import replay
from simulator.exercise.session import Exercise, Rejected
from simulator.exercise.views import Publication
from simulator.readwrite.io import load_bundle

BLACKOUT = Path(__file__).resolve().parent.parent / "scenarios" / "dairy" / "blackout.yaml"
H = 3600


def drive(commands: list[tuple[int, str, str, dict[str, object]]], until: int) -> Exercise:
    """The server's way: scheduled injects as they fall due, then each command."""
    bundle = load_bundle(BLACKOUT)
    ex = Exercise(bundle, bundle.scenario.seed)
    for t, actor, kind, payload in commands:
        ex.run_until(t)
        ex.apply(ex.command(actor, kind, payload))
    ex.run_until(until)
    return ex


def test_a_decision_in_time_prevents_the_suggested_inject() -> None:
    # `no_rental_generator`: when {action: rent_generator, not_taken_by: 12h}
    late = drive([], 24 * H)
    (suggestion,) = late.suggestions.values()
    assert (suggestion.trigger, suggestion.t) == ("no_rental_generator", 12 * H)
    assert late.fired["no_rental_generator"] == (12 * H, "action 'rent_generator' not taken by 12h")
    early = drive([(6 * H, "facilitator", "decision", {"action": "rent_generator"})], 24 * H)
    assert early.suggestions == {} and "no_rental_generator" not in early.fired
    armed = {t.id: t.armed for t in early.sim.triggers()}
    assert armed["no_rental_generator"] is True  # never true: still armed, never fires
    # the same decision one hour too late does not prevent it
    too_late = drive([(13 * H, "facilitator", "decision", {"action": "rent_generator"})], 24 * H)
    assert [s.t for s in too_late.suggestions.values()] == [12 * H]


def test_the_facilitators_hand_on_triggers_is_logged_and_replays() -> None:
    ex = drive([], 13 * H)
    with pytest.raises(Rejected) as err:
        ex.command("facilitator", "trigger", {"trigger": "no_rental_generator", "action": "fire"})
    assert (err.value.field, err.value.message) == ("trigger",
                                                    "trigger 'no_rental_generator' is not armed")
    with pytest.raises(Rejected, match="no trigger 'nope' in the scenario"):
        ex.command("facilitator", "trigger", {"trigger": "nope", "action": "disarm"})
    ex.apply(ex.command("facilitator", "trigger",
                        {"trigger": "no_rental_generator", "action": "release"}))  # fmt: skip
    assert [s.status for s in ex.suggestions.values()] == ["released"]
    said = [r for r in ex.sim.records if r.cause == f"inject:{ex.seq}"]
    assert "every generator within 200 km is taken" in (said[0].detail or "")
    with pytest.raises(Rejected, match="has no suggested inject open"):
        ex.command("facilitator", "trigger", {"trigger": "no_rental_generator",
                                              "action": "dismiss"})  # fmt: skip
    ex.apply(ex.command("facilitator", "trigger", {"trigger": "diesel_low", "action": "disarm"}))
    ex.run_until(5 * 24 * H)
    assert "diesel_low" not in ex.fired  # disarmed: it fires no more
    header = make_header(ex.bundle, ex.seed).model_copy(update={"checkpoint": ex.checkpoint()})
    again = replay(*read_log(dumps_log(header, ex.log)))
    assert again.sim.records == ex.sim.records
    assert [vars(s) for s in again.suggestions.values()] == [vars(s) for s in ex.suggestions.values()]


def test_players_never_learn_of_a_trigger() -> None:
    ex = drive([], 13 * H)
    pub = Publication(ex)
    pub.sent()
    before = json.dumps(pub.message(PLAYER, True))
    full = pub.message(FULL, True)
    assert {t["id"] for t in full["triggers"]} >= {"no_rental_generator", "diesel_low"}
    assert full["suggestions"][0]["trigger"] == "no_rental_generator"
    ex.apply(ex.command("facilitator", "trigger",
                        {"trigger": "no_rental_generator", "action": "release"}))  # fmt: skip
    ex.apply(ex.command("facilitator", "trigger", {"trigger": "diesel_low", "action": "disarm"}))
    update = json.dumps(pub.message(PLAYER, False))
    pub.sent()
    after = pub.message(PLAYER, True)
    for text in (before, update, json.dumps(after)):
        for secret in ("no_rental_generator", "diesel_low", "trigger:", "not_taken_by",
                       '"triggers"', '"suggestions"'):
            assert secret not in text, secret
    released = [e for e in after["feed"] if e["kind"] == "trigger"]
    assert [e["payload"] for e in released] == [{  # what it said, nothing of the trigger
        "title": {"de": "Vermieter hat kein Aggregat mehr",
                  "en": "The rental company has no generator left"},
        "message": {"de": "Der Vermieter meldet: alle Aggregate im Umkreis von 200 km sind "
                          "vergeben.",
                    "en": "The rental company reports every generator within 200 km is taken."}}]
    assert "rental company" not in before  # not before it was released


def test_a_what_if_shows_another_script_for_another_decision() -> None:
    """Dropping the timely generator rental sets off the rental company's call
    (no_rental_generator at 12 h) that the exercise as played never heard."""
    from simulator.exercise.whatif import Drop, whatif

    ex = drive([(6 * H, "facilitator", "decision", {"action": "rent_generator"})], 24 * H)
    seq = next(e.seq for e in ex.log if e.kind == "decision")
    result = whatif(ex.bundle, ex.seed, ex.log, Drop(seq)).comparison
    assert "no_rental_generator" not in dict(result.fired_original)
    assert dict(result.fired_changed)["no_rental_generator"] == 12 * H
    assert {"trigger": "no_rental_generator", "at_h": 12.0} in result.to_dict()[
        "triggers"]["changed"]
