"""simulator/exercise/views.py: the stream's full states, updates and feed
pages per audience. A player's feed, records, proposals and paging use the
player's own numbers (1, 2, 3 … among what they see): nothing they receive
lets them count the entries or records kept from them. Facilitators and
observers keep the log's seq."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator.exercise.audience import FULL, PLAYER, audience_of
from simulator.exercise.session import Exercise
from simulator.exercise.views import Publication
from simulator.readwrite.io import load_bundle

BUNDLE = load_bundle(Path(__file__).resolve().parent / "data" / "web" / "scenario.yaml")
IT = audience_of("participant", "IT")
H = 3600


def exercise() -> Exercise:
    """The web scenario (MSEL m1 3h, m2 4h, m3 5h, m4 6h, m5 1d; a hazard at
    8h) with hidden entries between visible ones. The log's seqs:
    1, 2 people (hidden); 3 a message; 4 an observation (hidden); 5 an inject
    for team IT only (takes the mail server down); 6-9 m1-m4 played on time;
    10 m5 skipped (hidden); 11 a proposal; 12 its acceptance; 13 a message."""
    ex = Exercise(BUNDLE, seed=7)

    def do(actor: str, kind: str, **payload: Any) -> None:
        ex.apply(ex.command(actor, kind, payload))

    do("facilitator", "person", id="p-anna", name="Anna", team="IT", role="participant")
    do("facilitator", "person", id="p-ben", name="Ben", team="Krisenstab", role="participant")
    do("facilitator", "inject", message="hello")
    do("facilitator", "observation", text="zq-calm")
    do("facilitator", "inject", command={"action": "down", "asset": "mail"}, title="zq-it-only",
       teams=["IT"])  # fmt: skip
    ex.run_until(9 * H)
    do("facilitator", "skip", inject="m5")
    do("participant", "proposal", text="call the insurer")
    do("facilitator", "accept", proposal=11)
    do("facilitator", "inject", message="again")
    assert [e.kind for e in ex.log] == ["person", "person", "inject", "observation", "inject",
                                        "msel", "msel", "msel", "msel", "skip", "proposal",
                                        "accept", "inject"]  # fmt: skip
    return ex


# what a player sees of the log: seq -> their number
ANON = {3: 1, 6: 2, 7: 3, 8: 4, 9: 5, 11: 6, 12: 7, 13: 8}
TEAM_IT = {3: 1, 5: 2, 6: 3, 7: 4, 8: 5, 9: 6, 11: 7, 12: 8, 13: 9}


def feed(message: dict[str, Any]) -> list[tuple[int, str]]:
    return [(e["seq"], e["kind"]) for e in message["feed"]]


def test_a_players_full_state_numbers_its_feed_and_proposals_without_gaps() -> None:
    ex = exercise()
    pub = Publication(ex)
    pub.sent()
    kinds = {e.seq: e.kind for e in ex.log}
    for audience, seen in ((PLAYER, ANON), (IT, TEAM_IT)):
        message = pub.message(audience, full=True)
        assert feed(message) == [(n, kinds[s]) for s, n in seen.items()], audience
        accept = message["feed"][-2]
        assert accept["kind"] == "accept" and accept["payload"] == {"proposal": seen[11]}
        assert [(p["seq"], p["status"]) for p in message["proposals"]] == [(seen[11], "accepted")]
        assert message["feed_before"] is None
        text = json.dumps(message, ensure_ascii=False)
        assert "zq-calm" not in text and "m5" not in text and "p-ben" not in text
        assert ("zq-it-only" in text) == ("p-anna" in text) == (audience == IT)  # their own
    full = pub.message(FULL, full=True)
    assert feed(full) == list(kinds.items())
    assert full["feed"][-2]["payload"] == {"proposal": 11}
    assert [p["seq"] for p in full["proposals"]] == [11]


def test_a_players_records_are_numbered_among_those_it_sees() -> None:
    """Of the records so far, a player misses the hazard's start (8h) and,
    unless of team IT, the record of the inject for team IT; a record caused
    by an entry names it by the player's number."""
    ex = exercise()
    pub = Publication(ex)
    pub.sent()
    full = pub.message(FULL, full=True)["records"]
    hazard = [r for r in full if r["event"] == "hazard"]
    it_inject = [r for r in full if r["event"] == "inject" and r["cause"] == "inject:5"]
    assert len(hazard) == len(it_inject) == 1
    for audience, seen, hidden in ((PLAYER, ANON, 2), (IT, TEAM_IT, 1)):
        records = pub.message(audience, full=True)["records"]
        assert [r["seq"] for r in records] == list(range(1, len(full) - hidden + 1))
        causes = {r["cause"] for r in records if r["event"] in ("inject", "decision")}
        assert {"inject:1", f"decision:{seen[12]}", f"inject:{seen[13]}"} <= causes
        assert ("inject:2" in causes) == (audience == IT)  # team IT's inject, by its number
        if audience == PLAYER:  # its effect is seen; what caused it only as "an inject"
            mail_down = next(r for r in records if r["asset"] == "mail" and r["t"] == 0)
            assert mail_down["cause"] == "inject"
    assert {r["cause"] for r in full if r["event"] == "decision"} == {"decision:12"}


def test_an_update_goes_on_with_the_players_numbers() -> None:
    ex = exercise()
    pub = Publication(ex)
    pub.sent()
    records = {a: len(pub.message(a, full=True)["records"]) for a in (FULL, PLAYER)}
    ex.apply(ex.command("facilitator", "observation", {"text": "zq-later"}))  # seq 14
    ex.apply(ex.command("facilitator", "inject", {"message": "third"}))  # seq 15
    update = pub.message(PLAYER, full=False)
    assert feed(update) == [(9, "inject")]
    assert [(r["seq"], r["event"], r["cause"]) for r in update["records"]] == [
        (records[PLAYER] + 1, "inject", "inject:9")]  # fmt: skip
    assert "zq-later" not in json.dumps(update)
    full = pub.message(FULL, full=False)
    assert feed(full) == [(14, "observation"), (15, "inject")]
    assert [(r["seq"], r["cause"]) for r in full["records"]] == [(records[FULL], "inject:15")]
    pub.sent()  # a viewer joining now: the same numbers in a full state
    assert feed(pub.message(PLAYER, full=True))[-1] == (9, "inject")
    assert pub.message(PLAYER, full=True)["records"][-1]["seq"] == records[PLAYER] + 1


def test_a_player_pages_back_through_its_own_numbers() -> None:
    ex = exercise()
    pub = Publication(ex, init_feed=3)
    pub.sent()
    message = pub.message(PLAYER, full=True)
    assert (feed(message), message["feed_before"]) == ([(6, "proposal"), (7, "accept"),
                                                        (8, "inject")], 6)  # fmt: skip
    assert feed({"feed": pub.feed_page(PLAYER, 6, 3)}) == [(3, "msel"), (4, "msel"), (5, "msel")]
    assert feed({"feed": pub.feed_page(PLAYER, 3, 100)}) == [(1, "inject"), (2, "msel")]
    assert pub.feed_page(PLAYER, 1, 100) == []
    assert [e["seq"] for e in pub.feed_page(PLAYER, 10**6, 100)] == list(range(1, 9))
    # the facilitator pages by the log's seq
    full = pub.message(FULL, full=True)
    assert ([e["seq"] for e in full["feed"]], full["feed_before"]) == ([11, 12, 13], 11)
    assert [(e["seq"], e["kind"]) for e in pub.feed_page(FULL, 11, 3)] == [
        (8, "msel"), (9, "msel"), (10, "skip")]  # fmt: skip
