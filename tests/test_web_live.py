"""Units of the live server: the clock's re-anchoring, exact replay of the
command log (what a restart relies on), and the stream hub."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from simulator.model.schema import text
from simulator.readwrite.io import load_bundle
from web.clock import ENDED, PAUSED, RUNNING, Clock
from web.live import Hub, LiveExercise, Rejected
from web.settings import Settings
from web.storage import Store

DATA = Path(__file__).resolve().parent / "data" / "web"
H = 3600

# --- the clock -------------------------------------------------------------------


def test_clock_paused_stays_put() -> None:
    c = Clock(sim0=100, wall0=0.0, speed=60.0)
    assert c.state == PAUSED
    assert c.target(0.0) == c.target(1000.0) == 100


def test_clock_runs_at_its_speed_from_the_anchor() -> None:
    c = Clock(sim0=100, wall0=0.0, speed=60.0)
    c.start(10.0)
    assert (c.state, c.target(10.0), c.target(11.0), c.target(12.5)) == (RUNNING, 100, 160, 250)
    assert c.target(9.0) == 100  # a wall time before the anchor never goes back


def test_clock_pause_and_resume_reanchor() -> None:
    c = Clock(sim0=0, wall0=0.0, speed=10.0)
    c.start(0.0)
    c.pause(5.0)
    assert (c.state, c.sim0, c.target(100.0)) == (PAUSED, 50, 50)
    c.start(100.0)  # resume: the 95 s of pause do not count
    assert c.target(101.0) == 60
    c.start(101.0)  # starting a running clock changes nothing
    assert c.target(102.0) == 70
    c.pause(102.0)
    c.pause(200.0)  # pausing a paused clock changes nothing
    assert c.sim0 == 70


def test_clock_speed_change_reanchors() -> None:
    c = Clock(sim0=0, wall0=0.0, speed=10.0)
    c.start(0.0)
    c.set_speed(2.0, 100.0)
    assert (c.sim0, c.wall0, c.speed) == (20, 2.0, 100.0)
    assert c.target(3.0) == 120
    c.pause(4.0)
    c.set_speed(50.0, 1.0)  # paused: only the speed changes
    assert (c.target(60.0), c.sim0) == (220, 220)
    c.start(60.0)
    assert c.target(70.0) == 230


def test_clock_jump_never_goes_back_and_keeps_running() -> None:
    c = Clock(sim0=0, wall0=0.0, speed=10.0, horizon=1000)
    c.start(0.0)
    c.jump(1.0, 500)
    assert (c.state, c.target(1.0), c.target(2.0)) == (RUNNING, 500, 510)
    c.jump(2.0, 100)
    assert c.target(2.0) == 510
    c.jump(3.0, 5000)  # capped at the horizon
    assert c.target(3.0) == c.target(100.0) == 1000


def test_clock_end_freezes() -> None:
    c = Clock(sim0=0, wall0=0.0, speed=10.0, horizon=100)
    c.start(0.0)
    c.end(20.0)
    assert (c.state, c.target(50.0)) == (ENDED, 100)
    c.start(60.0)
    assert c.state == ENDED


# --- replay -----------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = Store(f"sqlite:///{tmp_path}/live.db")
    yield s
    s.close()


def new(store: Store, path: str = "scenario.yaml", seed: int = 7, speed: float = 3600.0,
        **settings: Any) -> LiveExercise:  # fmt: skip
    bundle = load_bundle(DATA / path if "/" not in path else Path(path))
    live, _tokens = LiveExercise.create(store, Settings(**settings), path, bundle, seed, speed)
    return live


def restore(live: LiveExercise) -> LiveExercise:
    row = live.store.exercise(live.id)
    assert row is not None
    return LiveExercise.restore(row, live.store, live.settings)


def records(live: LiveExercise) -> list[dict[str, Any]]:
    return [r.to_dict() for r in live.sim.records]


def assert_same(a: LiveExercise, b: LiveExercise) -> None:
    assert b.sim.now == a.sim.now
    assert records(b) == records(a)
    assert b.state() == {**a.state(), "clock": b.clock.state}
    assert {k: vars(v) for k, v in b.msel.items()} == {k: vars(v) for k, v in a.msel.items()}
    assert {k: vars(v) for k, v in b.proposals.items()} == {
        k: vars(v) for k, v in a.proposals.items()}  # fmt: skip
    assert b.feed == a.feed
    assert b.seq == a.seq
    assert b.clock.speed == a.clock.speed


def drive(live: LiveExercise) -> None:
    """Commands at many simulated times, through the clock with fake wall times."""
    live.submit("facilitator", "inject", {"command": {"action": "down", "asset": "wan_a"}}, 0.0)
    live.submit("facilitator", "clock", {"action": "start"}, 0.0)  # 1 simulated h per s
    live.tick(0.5)
    assert live.sim.now == H // 2
    live.submit("facilitator", "inject", {"hazard": {"type": "outage", "assets": ["mail"]}},
                0.75)  # fmt: skip
    assert live.feed[-1]["t"] == 3 * H // 4  # at the clock's time, not the last tick's
    live.submit("participant", "proposal", {"action": "activate_dr"}, 1.0)
    proposal = live.seq
    live.tick(2.0)
    live.submit("facilitator", "delay", {"inject": "m2", "by": 2 * H}, 2.2)
    live.tick(3.5)  # m1 released at 3h on the way, by the system
    assert [(f["kind"], f["t"]) for f in live.feed if f["kind"] == "msel"] == [("msel", 3 * H)]
    live.submit("facilitator", "accept", {"proposal": proposal}, 3.6)
    live.submit("facilitator", "clock", {"action": "speed", "speed": 1800.0}, 4.0)
    live.tick(5.0)
    live.submit("facilitator", "release", {"inject": "u1"}, 5.5)
    live.submit("participant", "proposal", {"text": "Call the insurer"}, 5.6)
    live.submit("facilitator", "reject", {"proposal": live.seq}, 5.7)
    live.submit("facilitator", "decision", {"action": "restore_erp"}, 6.0)
    live.submit("facilitator", "skip", {"inject": "m4"}, 6.1)
    live.submit("facilitator", "observation", {"text": "calm"}, 6.2)
    live.submit("facilitator", "clock", {"action": "pause"}, 7.0)
    live.submit("facilitator", "clock", {"action": "jump", "to": 20 * H}, 8.0)
    live.submit("facilitator", "clock", {"action": "resume"}, 9.0)
    live.tick(10.0)
    live.submit("facilitator", "inject", {"message": "still here"}, 10.1)
    live.submit("facilitator", "clock", {"action": "pause"}, 10.2)


def test_replay_rebuilds_the_exercise_exactly(store: Store) -> None:
    live = new(store)
    drive(live)
    kinds = [f["kind"] for f in live.feed]
    assert kinds.count("msel") >= 3 and "accept" in kinds and "reject" in kinds
    assert live.msel["m1"].status == "released" and live.msel["m4"].status == "skipped"
    assert live.msel["m2"].due == 6 * H
    assert live.clock.state == PAUSED
    again = restore(live)
    assert again.clock.state == PAUSED
    assert_same(live, again)
    # and the rebuilt engine goes on exactly like the original (pending
    # restores, timed repairs and hazards included)
    for x in (live, again):
        x.sim.advance(x.sim.horizon)
    assert records(again) == records(live)


def test_replay_of_a_running_exercise_stops_at_the_saved_time(store: Store) -> None:
    live = new(store, save_s=0.0)
    live.submit("facilitator", "clock", {"action": "start"}, 0.0)
    live.tick(2.0)
    live.submit("facilitator", "inject", {"command": {"action": "down", "asset": "grid"}}, 2.5)
    live.tick(4.0)  # no pause: as if the server died here
    assert live.clock.state == RUNNING
    again = restore(live)
    assert again.clock.state == PAUSED
    assert again.sim.now == 4 * H
    assert_same(live, again)


def test_replay_after_a_crash_between_ticks_loses_no_command(store: Store) -> None:
    live = new(store, save_s=1000.0)  # the running clock is (almost) never saved
    live.submit("facilitator", "clock", {"action": "start"}, 0.0)
    live.tick(0.1)
    live.submit("facilitator", "inject", {"message": "late"}, 2.0)
    live.tick(2.5)
    again = restore(live)
    assert again.seq == live.seq == 2
    assert again.sim.now == 2 * H  # the last command's time: nothing before it is lost
    assert again.feed == live.feed


def test_restore_completes_a_jump_cut_short(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server dies after logging a jump but before the MSEL entries it
    passes are logged: the restore releases them, as the live server would."""
    live = new(store)
    reference = new(store)
    reference.submit("facilitator", "clock", {"action": "jump", "to": 5 * H}, 0.0)

    appended: list[int] = []
    original = Store.append

    def dying_append(self: Store, exercise_id: str, entry: Any, key: str | None = None) -> None:
        if exercise_id == live.id and appended:
            raise SystemExit("killed")
        appended.append(entry.seq)
        original(self, exercise_id, entry, key)

    monkeypatch.setattr(Store, "append", dying_append)
    with pytest.raises(SystemExit):
        live.submit("facilitator", "clock", {"action": "jump", "to": 5 * H}, 0.0)
    monkeypatch.setattr(Store, "append", original)
    assert [e.kind for e in store.log(live.id)] == ["clock"]
    again = restore(live)
    assert [(e.kind, e.role, e.sim_time) for e in store.log(live.id)] == [
        ("clock", "facilitator", 0), ("msel", "system", 3 * H), ("msel", "system", 4 * H),
        ("msel", "system", 5 * H)]  # fmt: skip
    assert again.sim.now == 5 * H
    assert records(again) == records(reference)


def test_rejected_commands_are_not_logged(store: Store) -> None:
    live = new(store)
    with pytest.raises(Rejected) as e:
        live.submit("facilitator", "inject", {"command": {"action": "down", "asset": "x"}}, 0.0)
    assert e.value.field == "command.asset"
    with pytest.raises(Rejected):
        live.submit("facilitator", "clock", {"action": "jump", "to": -5}, 0.0)
    assert list(store.log(live.id)) == []
    assert live.seq == 0


def test_msel_entries_played_by_a_hazard_are_marked_released(store: Store) -> None:
    """The flood's alarm levels release MSEL entries by themselves: the MSEL
    shows them released, and the facilitator cannot release them again."""
    live = new(store, "scenarios/dairy/flood.yaml", seed=1)
    triggered = [t.inject for h in live.bundle.scenario.hazards
                 for t in getattr(h.hazard, "triggers", [])]  # fmt: skip
    assert triggered
    live.submit("facilitator", "clock", {"action": "jump", "to": live.sim.horizon}, 0.0)
    played = {r.cause.removeprefix("inject:") for r in live.sim.records
              if r.event == "inject" and r.cause}  # fmt: skip
    fired = [i for i in triggered if i in played]
    assert fired
    for item in fired:
        assert live.msel[item].status == "released"
    again = restore(live)
    assert {k: v.status for k, v in again.msel.items()} == {
        k: v.status for k, v in live.msel.items()}  # fmt: skip


def test_the_exercise_ends_at_the_horizon(store: Store) -> None:
    live = new(store)
    live.submit("facilitator", "clock", {"action": "speed", "speed": 1440.0}, 0.0)
    live.submit("facilitator", "clock", {"action": "start"}, 0.0)
    live.tick(1000.0)
    assert (live.clock.state, live.sim.now) == (ENDED, live.sim.horizon)
    assert {m.status for m in live.msel.values() if m.due is not None} == {"released"}
    again = restore(live)
    assert again.clock.state == ENDED
    assert_same(live, again)


def test_an_ended_exercise_goes_into_overtime_and_replays_exactly(store: Store) -> None:
    """At the horizon the facilitator extends it by a day: the clock is paused
    (not ended), runs on to the new horizon, and a restart rebuilds the same
    exercise — the extension is a logged command the replay applies."""
    live = new(store)
    horizon = live.sim.horizon
    live.submit("facilitator", "clock", {"action": "jump", "to": horizon + 5 * 86400}, 0.0)
    assert (live.clock.state, live.sim.now) == (ENDED, horizon)
    with pytest.raises(Rejected) as e:
        live.submit("facilitator", "clock", {"action": "extend", "by": 3650 * 86400}, 1.0)
    assert e.value.field == "by" and "3650 days" in e.value.message
    live.submit("facilitator", "clock", {"action": "extend", "by": 86400}, 1.0)
    assert (live.clock.state, live.sim.horizon, live.clock.horizon) == (
        PAUSED, horizon + 86400, horizon + 86400)  # fmt: skip
    assert live.state()["horizon"] == horizon + 86400
    # a restart now: paused at the old horizon (the jump does not run on into the overtime)
    paused = restore(live)
    assert (paused.clock.state, paused.sim.now, paused.sim.horizon) == (
        PAUSED, horizon, horizon + 86400)  # fmt: skip
    live.submit("facilitator", "inject", {"hazard": {"type": "outage", "assets": ["erp"]}}, 1.0)
    live.submit("facilitator", "clock", {"action": "start"}, 1.0)
    live.tick(1.5)  # 3600x: half an hour of overtime
    assert live.sim.now == horizon + H // 2
    live.tick(100.0)
    assert (live.clock.state, live.sim.now) == (ENDED, horizon + 86400)
    again = restore(live)
    assert again.sim.horizon == horizon + 86400
    assert again.clock.state == ENDED
    assert_same(live, again)


def test_msel_entries_carry_their_actual_release_time(store: Store) -> None:
    live = new(store)
    live.submit("facilitator", "delay", {"inject": "m1", "by": H}, 0.0)  # due 4h now
    live.submit("facilitator", "clock", {"action": "jump", "to": 2 * H}, 0.0)
    live.submit("facilitator", "release", {"inject": "u1"}, 0.0)
    live.submit("facilitator", "clock", {"action": "jump", "to": 4 * H}, 0.0)
    released = {k: v.released_at for k, v in live.msel.items() if v.status == "released"}
    assert released == {"u1": 2 * H, "m1": 4 * H, "m2": 4 * H}
    assert live.msel["m3"].released_at is None
    message = live.update("full", full=True)
    assert {m["id"]: m["released_at"] for m in message["msel"]}["u1"] == 2 * H
    assert restore(live).msel["u1"].released_at == 2 * H


# --- the stream hub -----------------------------------------------------------------


def test_hub_keeps_history_for_resumption() -> None:
    hub = Hub(history=3, start=0)
    for i in range(1, 6):
        assert hub.publish({"full": f"f{i}", "player": f"p{i}"}) == i
    assert hub.missed("full", 5) == []
    assert [(e.id, e.data) for e in hub.missed("full", 3) or []] == [(4, "f4"), (5, "f5")]
    assert [e.data for e in hub.missed("player", 2) or []] == ["p3", "p4", "p5"]
    assert hub.history["full"][-1].frame == b"id: 5\ndata: f5\n\n"
    assert hub.missed("full", 1) is None  # event 2 is no longer kept
    assert hub.missed("full", 9) is None  # an id from another run


def _events(live: LiveExercise, audience: str, last: int | None, n: int, between: Any) -> list[
        tuple[int, dict[str, Any]]]:  # fmt: skip
    """Read `n` events from a viewer's stream, calling `between(i)` after each."""

    async def run() -> list[tuple[int, dict[str, Any]]]:
        out = []
        stream = live.stream(audience, last)
        async for event_id, data in stream:
            out.append((event_id, json.loads(data)))
            if len(out) == n:
                break
            between(len(out))
        await stream.aclose()
        return out

    return asyncio.run(run())


def _all_records(events: list[tuple[int, dict[str, Any]]]) -> list[int]:
    return [r["seq"] for _, e in events for r in e["records"]]


def test_stream_starts_with_full_state_then_updates_without_gaps(store: Store) -> None:
    live = new(store, publish_s=0.0)
    live.submit("facilitator", "inject", {"command": {"action": "down", "asset": "erp"}}, 0.0)
    live.publish(0.0)
    live.submit("facilitator", "inject", {"command": {"action": "down", "asset": "grid"}}, 0.0)
    # unpublished records when the viewer joins: they come with the next update

    def between(i: int) -> None:
        live.submit("facilitator", "inject", {"message": f"m{i}"}, 0.0)
        live.publish(0.0)

    events = _events(live, "full", None, 4, between)
    assert events[0][1]["type"] == "init" and "graph" in events[0][1]
    assert [e["type"] for _, e in events[1:]] == ["update"] * 3
    assert [i for i, _ in events] == sorted({i for i, _ in events})
    assert _all_records(events) == list(range(len(live.sim.records)))
    feed = [f["seq"] for _, e in events for f in e["feed"]]
    assert feed == list(range(1, live.seq + 1))


def test_a_players_stream_numbers_what_they_see_without_gaps(store: Store) -> None:
    """Between the messages a player sees, the facilitator skips, observes
    and starts a hazard (whose start players never see): the player's
    stream (a full state, then updates) numbers feed entries and records
    1, 2, 3 … with no gap; the facilitator's carries the log's seqs."""
    live = new(store, publish_s=0.0)
    live.submit("facilitator", "inject", {"message": "first"}, 0.0)  # seq 1
    live.submit("facilitator", "observation", {"text": "zq-calm"}, 0.0)  # 2
    live.publish(0.0)
    hidden = [("skip", {"inject": "m2"}), ("observation", {"text": "zq-tense"}),
              ("inject", {"hazard": {"type": "outage", "assets": ["mail"]}, "title": "Mail"})]

    def between(i: int) -> None:  # seqs 3, 4; 5, 6; 7, 8
        kind, payload = hidden[i - 1]
        live.submit("facilitator", kind, payload, 0.0)
        live.submit("facilitator", "inject", {"message": f"said {i}"}, 0.0)
        live.publish(0.0)

    events = _events(live, "player", None, 4, between)
    assert [e["type"] for _, e in events] == ["init", "update", "update", "update"]
    feed = [(f["seq"], f["kind"]) for _, e in events for f in e["feed"]]
    assert feed == [(1, "inject"), (2, "inject"), (3, "inject"), (4, "inject"), (5, "inject")]
    # the hazard's inject is seen by its title; the hazard's own start is not
    assert [f["payload"] for _, e in events for f in e["feed"]][3] == {"title": "Mail",
                                                                       "event": True}  # fmt: skip
    shown = [r for r in live.sim.records if r.event != "hazard"]
    assert len(shown) == len(live.sim.records) - 1
    assert _all_records(events) == list(range(1, len(shown) + 1))
    assert "zq-" not in json.dumps(events) and '"m2"' not in json.dumps(events)
    full = live.publication.message("full", full=True)
    assert [(f["seq"], f["kind"]) for f in full["feed"]][-2:] == [(7, "inject"), (8, "inject")]
    assert live.answer_for("player", 200, {"seq": 8, "kind": "inject"})["seq"] == 5
    assert live.answer_for("full", 200, {"seq": 8})["seq"] == 8
    refused = {"detail": "x"}
    assert live.answer_for("player", 422, refused) is refused


def test_stream_resumes_after_last_event_id(store: Store) -> None:
    live = new(store)
    for i in range(3):
        live.submit("facilitator", "inject", {"message": f"m{i}"}, 0.0)
        live.publish(0.0)
    first = live.hub.next_id - 2
    events = _events(live, "full", first, 2, lambda i: None)
    assert [i for i, _ in events] == [first + 1, first + 2]
    assert [f["payload"]["message"] for _, e in events for f in e["feed"]] == ["m1", "m2"]
    stale = _events(live, "full", 1, 1, lambda i: None)  # not kept: a full state instead
    assert stale[0][1]["type"] == "init"


def test_players_do_not_see_the_msel(store: Store) -> None:
    live = new(store)
    live.submit("facilitator", "skip", {"inject": "m2"}, 0.0)
    live.submit("facilitator", "observation", {"text": "secret"}, 0.0)
    live.submit("facilitator", "inject", {"message": "public"}, 0.0)
    live.submit("facilitator", "release", {"inject": "m1"}, 0.0)
    live.publish(0.0)
    (_, init), = _events(live, "player", None, 1, lambda i: None)
    assert "msel" not in init
    assert [f["kind"] for f in init["feed"]] == ["inject", "release"]
    released = init["feed"][1]["payload"]  # with its text, as the players have no script
    m1 = next(e for e in live.bundle.scenario.injects if e.id == "m1")
    assert released["title"] == {"de": text(m1.title, "de"), "en": text(m1.title, "en")}
    (_, full), = _events(live, "full", None, 1, lambda i: None)
    assert [f["kind"] for f in full["feed"]] == ["skip", "observation", "inject", "release"]
    assert {m["id"]: m["status"] for m in full["msel"]}["m2"] == "skipped"


def test_a_slow_viewer_gets_a_fresh_full_state_and_no_duplicates(store: Store) -> None:
    live = new(store, queue=2)

    async def run() -> list[tuple[int, dict[str, Any]]]:
        stream = live.stream("full", None)
        out = [await anext(stream)]
        for i in range(6):  # the viewer reads nothing meanwhile: its queue overflows
            live.submit("facilitator", "inject", {"message": f"m{i}"}, 0.0)
            live.publish(0.0)
        out.append(await anext(stream))  # a full state standing for all six
        live.submit("facilitator", "inject", {"message": "after"}, 0.0)
        live.publish(0.0)
        out.append(await anext(stream))
        await stream.aclose()
        return [(i, json.loads(d)) for i, d in out]

    events = asyncio.run(run())
    assert [e["type"] for _, e in events] == ["init", "init", "update"]
    ids = [i for i, _ in events]
    assert ids == sorted(set(ids))
    assert ids[1] == ids[2] - 1
    assert [f["payload"]["message"] for f in events[1][1]["feed"]][-1] == "m5"
    assert [f["payload"]["message"] for f in events[2][1]["feed"]] == ["after"]
    assert live.hub.viewers["full"] == set()  # closed streams unregister
