"""simulator/exercise/audience.py: what each audience sees of the log, and by
which numbers. A player numbers the entries they see 1, 2, 3 … without gaps:
the log's seq counts the hidden ones too (observations, skips, another team's
injects), so its gaps would tell a player how many were kept from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulator.exercise.audience import FULL, PLAYER, Numbering, audience_of, record_view
from simulator.readwrite.io import load_bundle

BUNDLE = load_bundle(Path(__file__).resolve().parent / "data" / "web" / "scenario.yaml")
IT = audience_of("participant", "IT")


def entry(seq: int, kind: str, **payload: Any) -> dict[str, Any]:
    return {"seq": seq, "t": 60 * seq, "actor": "facilitator", "kind": kind, "payload": payload}


# 1 and 4, 5 for every player; 3 for team IT only; 2 and 6 for no player
LOG = [
    entry(1, "inject", message="hello"),
    entry(2, "observation", text="calm"),
    entry(3, "inject", message="to IT", teams=["IT"]),
    entry(4, "proposal", text="call the insurer"),
    entry(5, "reject", proposal=4),
    entry(6, "skip", inject="m5"),
]


def numbered(audience: str) -> Numbering:
    numbering = Numbering(audience, BUNDLE)
    for e in LOG:
        numbering.take(e)
    return numbering


def test_a_player_numbers_the_entries_they_see_without_gaps() -> None:
    n = numbered(PLAYER)
    assert n.seqs == [1, 4, 5]
    assert (n.count(), n.count(3), n.count(4)) == (3, 1, 2)
    assert [n.number_of(s) for s in range(1, 7)] == [1, None, None, 2, 3, None]
    assert [n.seq_of(k) for k in (1, 2, 3)] == [1, 4, 5]
    views = [n.view(e) for e in LOG]
    assert [v and v["seq"] for v in views] == [1, None, None, 2, 3, None]
    # the answer names its proposal by the player's number, not the log's 4
    assert views[4] is not None and views[4]["payload"] == {"proposal": 2}
    assert LOG[4]["payload"] == {"proposal": 4}  # the log's entry is left as it was


def test_a_teams_player_counts_its_own_injects() -> None:
    n = numbered(IT)
    assert n.seqs == [1, 3, 4, 5]
    view = n.view(LOG[4])
    assert view is not None and (view["seq"], view["payload"]) == (4, {"proposal": 3})


def test_the_full_view_keeps_the_logs_seq() -> None:
    n = numbered(FULL)
    assert (n.count(), n.count(4), n.seq_of(5), n.number_of(2), n.number_of(7)) == (6, 4, 5, 2,
                                                                                    None)  # fmt: skip
    assert [n.view(e) for e in LOG] == LOG


def test_entries_are_taken_in_log_order_once() -> None:
    n = Numbering(PLAYER, BUNDLE)
    n.take(LOG[0])
    with pytest.raises(ValueError, match="entry 3 taken after 1"):
        n.take(LOG[2])
    with pytest.raises(ValueError, match="entry 1 taken after 1"):
        n.take(LOG[0])
    with pytest.raises(ValueError, match="entry 4 is not taken"):
        n.view(LOG[3])


def test_unreadable_entries_are_passed_over_unnumbered() -> None:
    n = Numbering(PLAYER, BUNDLE)
    n.take(LOG[0])
    n.pass_over(3)  # entries 2 and 3 could not be read
    n.take(LOG[3])
    assert (n.seqs, n.count()) == ([1, 4], 2)


def test_records_name_the_entries_that_caused_them_by_the_players_numbers() -> None:
    from simulator.exercise.audience import script_ref

    own = {"inject:1", "inject:3"}  # the ad hoc injects' causes (the script's: "inject:m1")
    causes = ["inject:1", "inject:3", "decision:5", "inject:m1", "hazard:inject-3",
              "asset:erp", None]  # fmt: skip
    m1 = f"inject:{script_ref(BUNDLE, 'm1')}"  # scripted: by its reference (below)
    expected = {
        PLAYER: ["inject:1", "inject", "decision:3", m1, "hazard", "asset:erp", None],
        IT: ["inject:1", "inject:2", "decision:4", m1, "hazard", "asset:erp", None],
        FULL: causes,
    }
    for audience, want in expected.items():
        n = numbered(audience)
        got = [record_view(audience, {"seq": 9, "event": "state", "cause": c}, n, own)["cause"]
               for c in causes]  # fmt: skip
        assert got == want, audience


# --- scripted injects: named by a reference, not by the script's ids --------------


def _script_bundle() -> Any:
    """The test scenario with m2 addressed to team IT only."""
    bundle = BUNDLE.model_copy(deep=True)
    bundle.scenario.injects[1].teams = ["IT"]
    return bundle


def test_players_name_scripted_injects_by_a_reference_that_shows_no_order() -> None:
    """m1 and m3 are for everyone, m2 for team IT: the script's ids (m1, m3)
    would show a player without a team the gap m2 left. Players get
    references: the same for the entry and the engine's record of one inject,
    different between injects, none of them the id; the full view keeps ids."""
    bundle = _script_bundle()
    log = [entry(1, "release", inject="m1"), entry(2, "release", inject="m2"),
           entry(3, "release", inject="m3")]  # fmt: skip
    anyone, it = Numbering(PLAYER, bundle), Numbering(IT, bundle)
    for e in log:
        anyone.take(e)
        it.take(e)
    seen = [anyone.view(e) for e in log]
    assert seen[1] is None  # m2 is IT's
    ref1, ref3 = seen[0]["payload"]["inject"], seen[2]["payload"]["inject"]  # type: ignore[index]
    assert len({ref1, ref3, "m1", "m3"}) == 4 and ref1.startswith("s") and len(ref1) == 13
    assert seen[0]["payload"]["title"]["en"] == bundle.scenario.injects[0].title  # type: ignore[index]
    assert "m1" not in repr(seen[0]) and "m3" not in repr(seen[2])
    ref2 = it.view(log[1])["payload"]["inject"]  # type: ignore[index]
    assert ref2 not in (ref1, ref3, "m2")
    # the engine's records of the injects: the same reference; m2's cause is
    # nobody's business but team IT's
    record = {"seq": 9, "t": 60, "event": "down", "asset": "server", "cause": "inject:m1"}
    assert record_view(PLAYER, record, anyone)["cause"] == f"inject:{ref1}"
    m2 = {**record, "cause": "inject:m2"}
    assert record_view(PLAYER, m2, anyone)["cause"] is None
    assert record_view(IT, m2, it)["cause"] == f"inject:{ref2}"
    assert record_view(FULL, m2, None)["cause"] == "inject:m2"
    assert Numbering(FULL, bundle).view({**log[0], "seq": 1}) == log[0]


def test_a_reference_is_keyed_by_the_whole_script() -> None:
    """Who lacks the script cannot compute references from guessed ids: a
    change of any inject's text changes every reference."""
    from simulator.exercise.audience import script_ref

    bundle = _script_bundle()
    other = bundle.model_copy(deep=True)
    other.scenario.injects[-1].message = "a different text"
    assert script_ref(bundle, "m1") == script_ref(bundle.model_copy(deep=True), "m1")
    assert script_ref(bundle, "m1") != script_ref(other, "m1")
