"""The exercise's read models (simulator.exercise.readmodels): incremental, and
equal at every step to the run summary computed over all records."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from simulator.analysis.metrics import asset_segments, impact_series, summarize
from simulator.engine.records import Record
from simulator.engine.simulation import Simulation
from simulator.exercise.readmodels import (
    ImpactCurve,
    Interval,
    OutageTimeline,
    ProcessBoard,
    ReadModels,
)
from simulator.model.schema import AssetKind, Company, Scenario, ScenarioBundle, text
from simulator.readwrite.io import load_bundle

ROOT = Path(__file__).resolve().parent.parent
H = 3600
# Steps of the clock: whole hours, several hours, odd seconds, one second.
STEPS = [H, 7 * H, 1, 4999, 12 * H + 17, 2 * H, 1, 30 * H + 1]


# --------------------------------------------------------------------------- references


def reference_rows(sim: Simulation, lang: str = "en") -> list[dict[str, Any]]:
    """The process board as web/board.py computed it before: summarize over
    every record, countdowns from the records, state from the cascade."""
    now = sim.now
    summary = summarize(sim.bundle, sim.records, max(now, 1)) if now else None
    processes = [a for a in sim.bundle.company.assets if a.kind is AssetKind.business_process]
    below_since: dict[str, int] = {}
    for r in sim.records:
        if r.event != "state" or r.after is None:
            continue
        asset = next((p for p in processes if p.id == r.asset), None)
        if asset is None:
            continue
        mbco = asset.bia.mbco if asset.bia is not None else 1.0
        if r.after < mbco - 1e-9:
            below_since.setdefault(asset.id, r.t)
        else:
            below_since.pop(asset.id, None)
    out = []
    for asset in processes:
        a = sim.model.index[asset.id]
        bia = asset.bia
        since = below_since.get(asset.id)
        p = summary.process(asset.id) if summary else None
        out.append({
            "id": asset.id,
            "name": text(asset.name, lang) or asset.id,
            "state": sim.cascade.state(a),
            "capacity": sim.cascade.cap[a],
            "mbco": bia.mbco if bia else None,
            "rto_h": bia.rto / 3600 if bia else None,
            "mtpd_h": bia.mtpd / 3600 if bia else None,
            "outage_h": None if since is None else round((now - since) / 3600, 3),
            "rto_left_h": None if since is None or bia is None
            else round((bia.rto - (now - since)) / 3600, 3),
            "mtpd_left_h": None if since is None or bia is None
            else round((bia.mtpd - (now - since)) / 3600, 3),
            "rto_breached": bool(p and p.rto_breached),
            "mtpd_breached": bool(p and p.mtpd_breached),
            "impact_eur": p.impact_eur if p else 0.0,
            "downtime_h": p.downtime_h if p else 0.0,
            "below_mbco_h": p.below_mbco_h if p else (0.0 if bia else None),
        })  # fmt: skip
    return out


def reference_intervals(
    bundle: ScenarioBundle, records: list[Record], now: int
) -> dict[str, list[Interval]]:
    """Every stretch not up from metrics.asset_segments; the one reaching now is open."""
    out: dict[str, list[Interval]] = {}
    for asset, segs in asset_segments(bundle, records, now).items():
        ivs = [
            Interval(asset, s.start, None if s.end >= now else s.end, s.state, s.capacity)
            for s in segs
            if s.state != "up"
        ]
        if ivs:
            out[asset] = ivs
    return out


class Client:
    """What a console does with the deltas: upsert intervals by (asset, from),
    replace the impact points from the slice's start."""

    def __init__(self) -> None:
        self.intervals: dict[str, list[Interval]] = {}
        self.points: list[tuple[int, float]] = []
        self.interval_cursor = self.impact_cursor = 0

    def update(self, models: ReadModels, now: int) -> None:
        changed, self.interval_cursor = models.timeline.changes(self.interval_cursor, now)
        for iv in changed:
            ivs = self.intervals.setdefault(iv.asset, [])
            if ivs and ivs[-1].start == iv.start:
                ivs[-1] = iv
            else:
                ivs.append(iv)
        piece, self.impact_cursor = models.impact.since(self.impact_cursor, now)
        self.points[piece.start :] = piece.points


# --------------------------------------------------------------------------- the scenarios


SCENARIOS = [
    ("dairy/ransomware.yaml", 1),
    ("dairy/ransomware.yaml", 7),
    ("dairy/blackout.yaml", 2),
    ("dairy/blackout.yaml", 11),
    ("dairy/compound.yaml", 3),
    ("example/scenario.yaml", 5),
]


@pytest.mark.parametrize(("path", "seed"), SCENARIOS)
def test_read_models_equal_the_summary_at_every_step(path: str, seed: int) -> None:
    bundle = load_bundle(ROOT / "scenarios" / path)
    sim = Simulation(bundle, seed=seed)
    models = ReadModels(bundle)
    client = Client()
    fed = 0
    steps = 0
    for step in itertools.cycle(STEPS):
        if sim.now >= sim.horizon:
            break
        sim.advance(sim.now + step)
        models.feed(sim.records[fed:])
        fed = len(sim.records)
        now = sim.now
        steps += 1

        assert models.board.rows(now, "de") == reference_rows(sim, "de")
        assert models.board.summaries(now) == list(summarize(bundle, sim.records, now).processes)
        assert models.impact.points(now) == impact_series(bundle, sim.records, now)
        expected = reference_intervals(bundle, sim.records, now)
        assert models.timeline.intervals(now) == expected
        client.update(models, now)
        assert client.intervals == expected
        assert client.points == impact_series(bundle, sim.records, now)
        states = models.assets.snapshot()
        for asset, a in sim.model.index.items():
            assert states[asset] == (sim.cascade.state(a), sim.cascade.cap[a]), asset
    assert steps > 10
    # the scenario did something worth comparing
    assert client.points[-1][1] > 0
    assert client.intervals


def test_state_records_at_now_wait_for_a_later_now() -> None:
    """A record at exactly `now` is after [0, now): the figures ignore it until
    time moves on (as summarize at horizon now does), the countdown starts at once."""
    b = tiny()
    board = ProcessBoard(b)
    board.feed([state(0, 1 * H, "orders", 0.0)])
    (row,) = [r for r in board.rows(1 * H) if r["id"] == "orders"]
    assert row["state"] == "down" and row["outage_h"] == 0.0
    assert row["downtime_h"] == 0.0 and row["impact_eur"] == 0.0
    (row,) = [r for r in board.rows(2 * H) if r["id"] == "orders"]
    assert row["downtime_h"] == 1.0 and row["impact_eur"] == 1000.0
    with pytest.raises(ValueError, match="t=3600"):
        board.feed([state(1, 1 * H, "orders", 1.0)])  # before the time already read
    with pytest.raises(ValueError, match="forward"):
        board.rows(1 * H)


# --------------------------------------------------------------------------- by hand


def tiny() -> ScenarioBundle:
    """Order entry at a flat 1000 EUR/h, dispatch on a step curve (100 EUR/h
    for the first 90 min of an incident, then 1000 EUR/h)."""
    company = Company.model_validate({
        "company": {"id": "tiny", "name": "Tiny"},
        "assets": [
            {"id": "erp", "kind": "application"},
            {"id": "orders", "kind": "business_process", "needs": [{"all_of": ["erp"]}],
             "bia": {"rto": "1h", "mtpd": "24h", "mbco": 0.5, "impact_per_hour": 1000}},
            {"id": "dispatch", "kind": "business_process", "needs": [{"all_of": ["erp"]}],
             "bia": {"rto": "4h", "mtpd": "24h", "mbco": 0.3,
                     "impact": [{"after": "0h", "per_hour": 100},
                                {"after": "90min", "per_hour": 1000}]}},
        ],
    })  # fmt: skip
    scenario = Scenario.model_validate(
        {"scenario": {"id": "s", "title": "T"}, "company": "company.yaml", "horizon": "1d"}
    )
    return ScenarioBundle(scenario=scenario, company=company)


def state(seq: int, t: int, asset: str, after: float) -> Record:
    from simulator.engine.records import state_of

    return Record(seq, t, "state", asset, None, after, state_of(after), "test")


def outage() -> list[Record]:
    """The ERP and both processes at capacity 0 from 1 h to 3 h, 0.5 from 3 h to 4 h."""
    out: list[Record] = []
    for t, cap in ((1 * H, 0.0), (3 * H, 0.5), (4 * H, 1.0)):
        for asset in ("erp", "orders", "dispatch"):
            out.append(state(len(out), t, asset, cap))
    return out


def test_hand_computed_board_impact_and_timeline() -> None:
    b = tiny()
    models = ReadModels(b)
    records = outage()
    models.feed(records[:3])  # the outage begins at 1 h
    rows = {r["id"]: r for r in models.board.rows(2 * H)}
    # 2 h: one hour down. orders: 1000 EUR/h x 1 h; dispatch: 100 EUR/h x 1 h.
    # orders below its MBCO since 1 h: RTO 1 h left 0 h, not breached yet (not longer than).
    assert rows["orders"]["impact_eur"] == 1000.0 and rows["dispatch"]["impact_eur"] == 100.0
    assert rows["orders"]["outage_h"] == 1.0 and rows["orders"]["rto_left_h"] == 0.0
    assert rows["orders"]["rto_breached"] is False
    assert rows["dispatch"]["rto_left_h"] == 3.0
    models.feed(records[3:])
    rows = {r["id"]: r for r in models.board.rows(5 * H)}
    # orders: 2 h x 1000 x 1.0 + 1 h x 1000 x 0.5 = 2500 EUR; down 2 h; below MBCO
    # 0.5 only at capacity 0 (0.5 is not below 0.5): 2 h > RTO 1 h -> breached.
    o = rows["orders"]
    assert (o["impact_eur"], o["downtime_h"], o["below_mbco_h"]) == (2500.0, 2.0, 2.0)
    assert (o["rto_breached"], o["mtpd_breached"], o["outage_h"]) == (True, False, None)
    # dispatch: the episode starts at 1 h; 100 EUR/h x 1.5 h (1 h-2.5 h) = 150,
    # 1000 x 0.5 h (2.5 h-3 h) = 500, 1000 x 0.5 capacity lost x 1 h (3 h-4 h) = 500:
    # 1150 EUR. Below MBCO 0.3 for 2 h, not longer than its RTO 4 h.
    d = rows["dispatch"]
    assert (d["impact_eur"], d["downtime_h"], d["below_mbco_h"]) == (1150.0, 2.0, 2.0)
    assert (d["rto_breached"], d["mtpd_breached"]) == (False, False)
    # Impact over time: rate 1100 EUR/h from 1 h; at 2.5 h 1650 EUR and the step
    # curve goes to 1000 -> 2000 EUR/h; at 3 h 2650 EUR, half capacity -> 500 + 500;
    # at 4 h 3650 EUR, nothing more.
    assert models.impact.points(5 * H) == [
        (0, 0.0), (1 * H, 0.0), (9000, 1650.0), (3 * H, 2650.0), (4 * H, 3650.0), (5 * H, 3650.0)
    ]  # fmt: skip
    assert models.timeline.intervals(5 * H)["orders"] == [
        Interval("orders", 1 * H, 3 * H, "down", 0.0),
        Interval("orders", 3 * H, 4 * H, "degraded", 0.5),
    ]


def test_timeline_sends_an_interval_open_then_its_close() -> None:
    b = tiny()
    timeline = OutageTimeline(b)
    records = outage()
    timeline.feed(records[:3])
    first, cursor = timeline.changes(0, 2 * H)
    assert [iv.to_dict() for iv in first if iv.asset == "erp"] == [
        {"asset": "erp", "from": H, "to": None, "state": "down", "capacity": 0.0}
    ]
    again, same = timeline.changes(cursor, 2 * H + 600)
    assert again == [] and same == cursor  # still open: nothing to send
    timeline.feed(records[3:])
    later, _ = timeline.changes(cursor, 5 * H)
    assert [(iv.start, iv.end, iv.state) for iv in later if iv.asset == "erp"] == [
        (H, 3 * H, "down"),  # closes the open one
        (3 * H, 4 * H, "degraded"),
    ]


def test_impact_slices_replace_the_point_at_now() -> None:
    curve = ImpactCurve(tiny())
    curve.feed(outage())
    piece, cursor = curve.since(0, 2 * H)
    assert piece.start == 0 and piece.points == [(0, 0.0), (H, 0.0), (2 * H, 1100.0)]
    piece, cursor = curve.since(cursor, 5 * H)
    # the point at 2 h was provisional: the slice starts where it stood
    assert piece.start == 2
    assert piece.points == [(9000, 1650.0), (3 * H, 2650.0), (4 * H, 3650.0), (5 * H, 3650.0)]
    assert piece.to_dict()["points"][0] == [9000, 1650.0]


# --------------------------------------------------------------------------- work per update


FIELDS = frozenset(Record._fields)
read: set[int] = set()


class Watched(Record):
    """A record that notes whenever one of its fields is read."""

    __slots__ = ()

    def __getattribute__(self, name: str) -> Any:
        if name in FIELDS:
            read.add(tuple.__getitem__(self, 0))
        return super().__getattribute__(name)


def watched_run(path: str, seed: int) -> tuple[ScenarioBundle, list[Watched]]:
    bundle = load_bundle(ROOT / "scenarios" / path)
    sim = Simulation(bundle, seed=seed)
    sim.run()
    return bundle, [Watched(*r) for r in sim.records]


def test_an_update_reads_only_new_records() -> None:
    """Per update, the models read the records fed since the last update and
    those still pending (at or after the last now), never one settled before."""
    bundle, records = watched_run("dairy/ransomware.yaml", 1)
    models = ReadModels(bundle)
    client = Client()
    horizon = bundle.scenario.horizon
    fed, now, updates = 0, 0, 0
    for step in itertools.cycle(STEPS):
        if now >= horizon:
            break
        prev, now = now, min(now + step, horizon)
        batch = []
        while fed < len(records) and records[fed].t <= now:
            batch.append(records[fed])
            fed += 1
        allowed = {r.seq for r in batch} | {r.seq for r in records[: fed - len(batch)]
                                            if r.t >= prev}  # fmt: skip
        read.clear()
        models.feed(batch)
        models.board.rows(now)
        client.update(models, now)
        assert read <= allowed, f"at t={now} read settled records {sorted(read - allowed)}"
        updates += 1
    assert updates > 100 and fed == len(records) > 100


def test_work_per_update_does_not_grow_with_records_fed() -> None:
    """Feed 20,000 records first, then one more per update: each update reads
    just that record (and what waits at now)."""
    b = tiny()
    models = ReadModels(b)
    many = []
    for i in range(20_000):  # ERP and orders flapping every 10 s
        cap = 0.0 if i % 2 == 0 else 1.0
        many.append(Watched(*state(2 * i, 10 * i, "erp", cap)))
        many.append(Watched(*state(2 * i + 1, 10 * i, "orders", cap)))
    models.feed(many)
    client = Client()
    client.update(models, 10 * 20_000)
    models.board.rows(10 * 20_000)
    seq = 2 * 20_000
    for k in range(5):
        t = 10 * (20_000 + k)
        r = Watched(*state(seq + k, t, "dispatch", 0.0 if k % 2 == 0 else 0.5))
        read.clear()
        models.feed([r])
        models.board.rows(t + 5)
        client.update(models, t + 5)
        assert read == {r.seq}
    assert client.points == impact_series(b, [Record(*r) for r in many] + [
        state(seq + k, 10 * (20_000 + k), "dispatch", 0.0 if k % 2 == 0 else 0.5)
        for k in range(5)
    ], 10 * (20_000 + 4) + 5)  # fmt: skip


# --------------------------------------------------------------------------- random streams

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CAPS = st.sampled_from([0.0, 0.25, 0.5, 1.0])
ASSETS = st.sampled_from(["erp", "orders", "dispatch"])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), ASSETS, CAPS), max_size=40),
    st.lists(st.integers(0, 4), min_size=1, max_size=30),
)
def test_random_streams_match_the_summary(
    changes: list[tuple[int, str, float]], gaps: list[int]
) -> None:
    """Records in bursts at one instant (gap 0), questions at record times,
    between them and repeated: every answer equals the summary at that time."""
    b = tiny()
    records: list[Record] = []
    t = 0
    for gap, asset, cap in changes:
        t += gap * 1800
        records.append(state(len(records), t, asset, cap))
    models = ReadModels(b)
    client = Client()
    fed, now = 0, 0
    for gap in gaps:
        now += gap * 1800 // 2  # half steps: on and between the records' times
        batch = [r for r in records[fed:] if r.t <= now]
        fed += len(batch)
        models.feed(batch)
        seen = records[:fed]
        if now:
            assert models.board.summaries(now) == list(summarize(b, seen, now).processes)
        assert models.impact.points(now) == impact_series(b, seen, now)
        client.update(models, now)
        assert client.intervals == reference_intervals(b, seen, now)
        assert client.points == impact_series(b, seen, now)


class Guarded(list[Record]):
    """The engine's record list, refusing to hand out records before `cursor`."""

    cursor = 0

    def __getitem__(self, key: Any) -> Any:
        start = key.start or 0 if isinstance(key, slice) else key
        if start < self.cursor:
            raise AssertionError(f"read record {start} before the cursor {self.cursor}")
        return super().__getitem__(key)

    def __iter__(self) -> Any:
        if self.cursor:
            raise AssertionError("walked over every record")
        return super().__iter__()


def test_the_published_board_takes_only_the_new_records() -> None:
    """The stream's board (simulator.exercise.views.Publication) reads only
    the records the engine wrote since the last update."""
    from simulator.exercise.session import Exercise
    from simulator.exercise.views import Publication

    bundle = load_bundle(ROOT / "scenarios" / "dairy" / "ransomware.yaml")
    exercise = Exercise(bundle, 1)
    sim = exercise.sim
    pub = Publication(exercise)
    guarded = Guarded()
    sim.records = guarded
    sim.cascade.records = guarded
    for _ in range(40):
        exercise.run_until(sim.now + 5 * H)
        guarded.cursor = pub._fed  # the engine reads its own records: guard the board only
        rows = pub.board("en")
        guarded.cursor = 0
        assert pub._fed == len(sim.records)
    assert rows == reference_rows(sim)
    assert sum(r["impact_eur"] for r in rows) > 0
