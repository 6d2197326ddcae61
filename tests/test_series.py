"""A series of exercises (issue 11 §4): three runs of one small scenario —
no decision, a late one, an early one — compared in time order, every
figure derived by hand; `tabletop report --series` as PDF (pdftotext) in
German and English; runs of two companies refused, of two scenarios flagged."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.exercise.log import LogEntry, LogHeader, dumps_log, make_header
from simulator.exercise.series import Series, SeriesError, build
from simulator.exercise.series_html import chart_svg, render, words
from simulator.exercise.session import Exercise
from simulator.model.schema import Company, Scenario, ScenarioBundle
from tests.test_report import require_pdf
from web.app import create_app
from web.settings import Settings

H = 3600
runner = CliRunner()
OBJECTIVES = [
    {"id": "rto", "title": {"de": "Aufträge in der WAZ", "en": "Orders within RTO"},
     "check": "within_rto", "process": "orders"},
    {"id": "mtpd", "title": "Orders within MTPD", "check": "within_mtpd", "process": "orders"},
    {"id": "paper3", "title": "Paper by 3 h", "check": "decision_before", "action": "paper",
     "by": "3h"},
    {"id": "eur", "title": "At most 5000 EUR", "check": "max_impact", "amount": 5000},
]  # fmt: skip
ANNA = {"id": "p-anna", "name": "Anna Krause", "team": "krisenstab", "role": "participant"}
BEN = {"id": "p-ben", "name": "Ben Ott", "team": "it", "role": "participant"}
EVA = {"id": "p-eva", "name": "Eva Lind", "role": "observer"}


def company_data(company_id: str = "c") -> dict[str, Any]:
    return {"company": {"id": company_id, "name": "Molkerei C"}, "assets": [
        {"id": "server", "kind": "it_system"},
        {"id": "orders", "kind": "business_process", "name": {"de": "Aufträge", "en": "Orders"},
         "needs": [{"all_of": ["server"]}], "workaround": {"capacity": 0.6},
         "bia": {"rto": "4h", "mtpd": "8h", "mbco": 0.5, "impact_per_hour": 1000}},
    ]}  # fmt: skip


def scenario_data(scenario_id: str = "s") -> dict[str, Any]:
    return {
        "scenario": {"id": scenario_id, "title": {"de": "Serverausfall", "en": "Server outage"}},
        "company": "c.yaml", "horizon": "1d",
        "hazards": [{"at": "1h", "hazard": {"type": "outage", "assets": ["server"],
                                            "duration": "10h"}}],
        "actions": [{"id": "paper", "title": "Paper orders",
                     "do": [{"action": "start_workaround", "process": "orders"}]}],
        "objectives": OBJECTIVES,
    }  # fmt: skip


def bundle(company_id: str = "c", scenario_id: str = "s") -> ScenarioBundle:
    """orders (RTO 4 h, MTPD 8 h, MBCO 0.5, 1000 EUR/h) stands on server,
    which is out from 1 h to 11 h; the action `paper` starts the paper
    workaround (capacity 0.6: above the MBCO, 400 EUR/h lost)."""
    return ScenarioBundle(scenario=Scenario.model_validate(scenario_data(scenario_id)),
                          company=Company.model_validate(company_data(company_id)))


def run(day: datetime, script: Sequence[tuple[float, str, str, dict[str, Any]]],
        b: ScenarioBundle | None = None) -> tuple[LogHeader, list[LogEntry]]:  # fmt: skip
    """A log: (hours, actor, kind, payload) applied in order; the wall clock
    goes one minute per simulated hour from `day`. An `accept` names the
    index of its proposal in the script."""
    b = b or bundle()
    ex = Exercise(b, 1)
    seqs: list[int] = []
    for at, actor, kind, payload in script:
        ex.run_until(round(at * H))
        if kind == "accept":
            payload = {"proposal": seqs[payload["proposal"]]}
        entry = ex.command(actor, kind, payload, day + timedelta(minutes=at))
        ex.apply(entry)
        seqs.append(entry.seq)
    return make_header(b, 1, exercise=day.strftime("%b").lower()), list(ex.log)


def staffed(*people: dict[str, Any]) -> list[tuple[float, str, str, dict[str, Any]]]:
    return [(0, "facilitator", "clock", {"action": "start"}),
            *[(0, "facilitator", "person", p) for p in people]]  # fmt: skip


def rated(objective: str, rating: str, at: float = 12) -> tuple[float, str, str, dict[str, Any]]:
    return (at, "p-eva", "observation", {"text": f"{objective} {rating}",
                                         "objective": objective, "rating": rating})  # fmt: skip


# January: nobody decides; February: Anna decides at 7 h; March: Ben proposes
# at 1.5 h, the facilitator accepts at 2 h. Given out of order on purpose.
JANUARY = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
FEBRUARY = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)
MARCH = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def january() -> tuple[LogHeader, list[LogEntry]]:
    return run(JANUARY, [*staffed(ANNA, EVA), rated("rto", "U")])


def february() -> tuple[LogHeader, list[LogEntry]]:
    return run(FEBRUARY, [*staffed(ANNA, EVA), (7, "p-anna", "decision", {"action": "paper"}),
                          rated("rto", "M")])  # fmt: skip


def march() -> tuple[LogHeader, list[LogEntry]]:
    return run(MARCH, [*staffed(ANNA, BEN, EVA),
                       (1.5, "p-ben", "proposal", {"action": "paper"}),
                       (2, "facilitator", "accept", {"proposal": 4}),
                       rated("rto", "P"), rated("eur", "S")])  # fmt: skip


def three(lang: str = "en") -> Series:
    return build([("march.jsonl", *march()), ("january.jsonl", *january()),
                  ("february.jsonl", *february())], lang)  # fmt: skip


def test_runs_in_time_order_with_their_figures_by_hand() -> None:
    s = three()
    assert [r.label for r in s.runs] == ["january.jsonl", "february.jsonl", "march.jsonl"]
    jan, feb, mar = s.runs
    assert (jan.date, mar.date) == (JANUARY, MARCH)  # the first entry's wall clock
    assert s.company == "Molkerei C" and not s.mixed and not s.company_changed
    # January: orders out 1 h..11 h, 10 h below the MBCO: past the RTO (4 h) and
    # the MTPD (8 h); 10 h x 1000 EUR; no decision, so no time to decision.
    assert {o.id: o.met for o in jan.objectives} == {"rto": False, "mtpd": False,
                                                     "paper3": False, "eur": False}
    assert (jan.rto_breaches, jan.mtpd_breaches, jan.impact_eur) == (1, 1, 10_000)
    assert (jan.first_impact, jan.first_decision, jan.time_to_decision) == (H, None, None)
    # February: paper at 7 h: 6 h down (6000 EUR, past the RTO, within the
    # MTPD), then 4 h at 0.6 (4 x 400 EUR); `paper` 4 h after its 3 h limit.
    assert {o.id: o.met for o in feb.objectives} == {"rto": False, "mtpd": True,
                                                     "paper3": False, "eur": False}
    assert (feb.rto_breaches, feb.mtpd_breaches, feb.impact_eur) == (1, 0, 7_600)
    assert feb.time_to_decision == 6 * H and feb.decisions == 1
    # March: the accepted proposal takes effect at 2 h: 1 h down (1000 EUR),
    # then 9 h at 0.6 (3600 EUR) = 4600 <= 5000; the proposal itself is no decision.
    assert all(o.met for o in mar.objectives) and (mar.met, mar.missed) == (4, 0)
    assert (mar.rto_breaches, mar.mtpd_breaches, mar.impact_eur) == (0, 0, 4_600)
    assert (mar.first_decision, mar.time_to_decision, mar.decisions) == (2 * H, H, 1)
    assert (jan.participants, feb.participants, mar.participants, mar.observers) == (1, 1, 2, 1)
    ratings = {o.id: o.ratings for o in mar.objectives}
    assert ratings == {"rto": ("P",), "mtpd": (), "paper3": (), "eur": ("S",)}
    assert (jan.mean_rating, feb.mean_rating, mar.mean_rating) == (1.0, 2.0, 3.5)


def test_the_team_gets_better() -> None:
    s = three()
    expected = {  # metric: (values, vs previous, vs first)
        "met": ((0, 1, 4), (None, "better", "better"), (None, "better", "better")),
        "rto_breaches": ((1, 1, 0), (None, "same", "better"), (None, "same", "better")),
        "mtpd_breaches": ((1, 0, 0), (None, "better", "same"), (None, "better", "better")),
        "impact_eur": ((10_000, 7_600, 4_600), (None, "better", "better"),
                       (None, "better", "better")),
        "time_to_decision": ((None, 6 * H, H), (None, None, "better"), (None, None, None)),
        "mean_rating": ((1.0, 2.0, 3.5), (None, "better", "better"), (None, "better", "better")),
        "decisions": ((0, 1, 1), (None, "more", "same"), (None, "more", "more")),
        "participants": ((1, 1, 2), (None, "same", "more"), (None, "same", "more")),
    }  # fmt: skip
    got = {t.metric: (t.values, t.vs_previous, t.vs_first) for t in s.trends}
    assert got == expected


def test_deciding_before_the_first_impact_counts_as_no_delay() -> None:
    early = run(MARCH, [*staffed(ANNA), (0.5, "p-anna", "decision", {"action": "paper"})])
    s = build([("a", *january()), ("b", *early)])
    # the workaround runs from 0.5 h; the server fails at 1 h: capacity 0.6 < 1 is
    # the first impact, half an hour after the decision
    assert (s.runs[1].first_impact, s.runs[1].first_decision) == (H, H // 2)
    assert s.runs[1].time_to_decision == 0


def test_different_companies_are_refused_different_scenarios_flagged() -> None:
    other = run(MARCH, staffed(ANNA), bundle(company_id="c2"))
    with pytest.raises(SeriesError) as err:
        build([("jan", *january()), ("other", *other)])
    assert "different companies" in str(err.value) and "jan: 'c'" in str(err.value)
    assert "other: 'c2'" in str(err.value)
    assert "verschiedene Unternehmen" in err.value.say("de")
    second = run(MARCH, staffed(ANNA), bundle(scenario_id="s2"))
    s = build([("jan", *january()), ("s2", *second)], "de")
    assert s.mixed and s.scenarios == ("s", "s2")
    assert "verschiedenen Szenarien (s, s2)" in render(s)
    with pytest.raises(SeriesError, match="at least two"):
        build([("jan", *january())])
    player = make_header(bundle(), 1).model_copy(update={"bundle": None, "seed": None})
    with pytest.raises(SeriesError, match="^feb: the log's header has no scenario bundle"):
        build([("jan", *january()), ("feb", player, [])])


def test_chart_bars_and_line_follow_the_figures() -> None:
    s = three()
    svg = chart_svg(s, words("en"))
    # the plot is 160 px high: impact as a share of the largest (10 000 EUR)
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([0-9.]+)"', svg)]
    assert heights == [160.0, pytest.approx(121.6), pytest.approx(73.6)]
    # objectives met 0, 1, 4 of at most 4: y = 20 + 160 - 160 * met / 4
    ys = [float(y) for y in re.findall(r'<circle cx="[0-9.]+" cy="([0-9.]+)"', svg)]
    assert ys == [180.0, 140.0, 20.0]


def pdf_text(tmp_path: Path, lang: str) -> str:
    paths = []
    for name, (header, entries) in (("march", march()), ("january", january()),
                                    ("february", february())):  # fmt: skip
        path = tmp_path / f"{name}.jsonl"
        path.write_text(dumps_log(header, entries), encoding="utf-8")
        paths.append(str(path))
    out = tmp_path / f"series-{lang}.pdf"
    result = runner.invoke(app, ["report", "--series", *paths, "--lang", lang, "--pdf", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def test_cli_pdf_in_german(tmp_path: Path) -> None:
    require_pdf()
    page = pdf_text(tmp_path, "de")
    for said in ("Übungsreihe: Molkerei C", "Wird das Team besser?", "Zeit bis zur Entscheidung",
                 "2026-01-12", "2026-03-10", "0/4", "1/4", "4/4",
                 "10.000", "7.600", "4.600", "6 Std.", "1 Std. (besser)", "besser", "Aufträge in der WAZ",
                 "WAZ, MTA", "3,5"):  # fmt: skip
        assert said in page, said
    # the runs in time order: January before February before March
    assert page.index("january.jsonl") < page.index("february.jsonl") < page.index("march.jsonl")


def test_cli_pdf_in_english(tmp_path: Path) -> None:
    require_pdf()
    page = pdf_text(tmp_path, "en")
    for said in ("Exercise series: Molkerei C", "Does the team get better?", "Time to decision",
                 "0/4", "1/4", "4/4", "10,000", "7,600", "4,600", "better",
                 "Orders within RTO", "RTO, MTPD", "3.5"):  # fmt: skip
        assert said in page, said
    flat = page.replace(" ", "")  # pdftotext may drop the space in "6 h"
    assert "6h" in flat and "1h(better)" in flat


def test_cli_refuses_mixed_companies_and_bad_arguments(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(dumps_log(*january()), encoding="utf-8")
    b.write_text(dumps_log(*run(MARCH, staffed(ANNA), bundle(company_id="c2"))), encoding="utf-8")
    out = tmp_path / "x.html"
    result = runner.invoke(app, ["report", "--series", str(a), str(b), "--html", str(out)])
    assert result.exit_code == 2 and "verschiedene Unternehmen" in result.output  # --lang de
    assert "a.jsonl: 'c'" in result.output and not out.exists()
    result = runner.invoke(app, ["report", "--series", str(a), "--html", str(out)])
    assert result.exit_code == 2 and "bitte 2 bis 20 Protokolle angeben, nicht 1" in result.output
    result = runner.invoke(app, ["report", str(a), str(a), "--html", str(out)])
    assert result.exit_code == 2 and "2 Protokolle angegeben: eines, oder zwei und mehr mit" in (
        result.output)
    result = runner.invoke(app, ["report", "--series", str(a), str(a), "--plan-csv", str(out)])
    assert result.exit_code == 2 and "--plan-csv" in result.output
    result = runner.invoke(app, ["report", "--series", str(a), str(a), "--lang", "en",
                                 "--html", str(out)])  # fmt: skip
    assert result.exit_code == 0 and "Exercise series" in out.read_text(encoding="utf-8")


# --- the administrator's series page ------------------------------------------------

ADMIN = "admin-secret-for-the-tests-0123456789"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[TestClient]:
    """A server whose scenarios are the small one (JSON is YAML) and a copy of it
    on another company."""
    for folder, company_id in (("small", "c"), ("other", "c2")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "c.yaml").write_text(json.dumps(company_data(company_id)))
        (tmp_path / folder / "scenario.yaml").write_text(json.dumps(scenario_data()))
    settings = Settings(db_url=f"sqlite:///{tmp_path}/series.db", scenarios_dir=tmp_path,
                        tick_s=0.01, publish_s=0.02, admin_token=ADMIN)  # fmt: skip
    with TestClient(create_app(settings)) as client:
        yield client


def played(client: TestClient, decide_at: str | None, scenario: str = "small/scenario.yaml"
           ) -> str:  # fmt: skip
    """An exercise of `scenario`: the clock jumps to `decide_at`, where a
    participant's proposal of `paper` is accepted (None: nobody decides); its id."""
    r = client.post("/api/exercises", json={"scenario": scenario, "seed": 1})
    assert r.status_code == 201, r.text
    exercise_id, tokens = r.json()["id"], r.json()["tokens"]
    url = f"/api/exercises/{exercise_id}"

    def post(what: str, body: dict[str, Any], role: str) -> int:
        r = client.post(f"{url}/{what}", json=body,
                        headers={"Authorization": f"Bearer {tokens[role]}"})  # fmt: skip
        assert r.status_code == 200, r.text
        return int(r.json()["seq"])

    post("clock", {"action": "jump", "by": decide_at or "12h"}, "facilitator")
    if decide_at is not None:  # a participant proposes, the facilitator accepts at once
        proposal = post("decisions", {"action": "paper"}, "participant")
        post("decisions", {"accept": proposal}, "facilitator")
    return str(exercise_id)


def test_the_archive_compares_the_runs_of_a_scenario(served: TestClient) -> None:
    none, late, early = played(served, None), played(served, "7h"), played(served, "2h")
    auth = {"Authorization": f"Bearer {ADMIN}"}
    r = served.get("/api/admin/series", params={"scenario": "small/scenario.yaml",
                                                "lang": "en"}, headers=auth)  # fmt: skip
    assert r.status_code == 200, r.text
    got = r.json()
    # created in this order, so their first entries' wall clocks are in this order
    assert [run["exercise"] for run in got["runs"]] == [none, late, early]
    assert [run["objectives_met"] for run in got["runs"]] == [0, 1, 4]
    assert [run["impact_eur"] for run in got["runs"]] == [10_000, 7_600, 4_600]
    # the decision is taken where the jump stopped: 6 h and 1 h after the impact at 1 h
    assert [run["time_to_decision"] for run in got["runs"]] == [None, 6 * H, H]
    trend = {t["metric"]: t["vs_first"] for t in got["trends"]}
    assert trend["impact_eur"] == [None, "better", "better"] and not got["mixed_scenarios"]
    # the page: linked from the archive, in German and English
    archive = served.get(f"/admin?token={ADMIN}&lang=de")
    assert "/admin/series?scenario=small/scenario.yaml" in archive.text
    assert "3 Übungen" in archive.text
    for lang, said in (("de", ("Übungsreihe: Molkerei C", "Wird das Team besser?", "10.000")),
                       ("en", ("Exercise series: Molkerei C", "Does the team get better?",
                               "10,000"))):  # fmt: skip
        page = served.get("/admin/series", params={"scenario": "small/scenario.yaml",
                                                   "token": ADMIN, "lang": lang})  # fmt: skip
        assert page.status_code == 200 and f'lang="{lang}"' in page.text
        for text in said:
            assert text in page.text, text
        assert page.text.index(none) < page.text.index(late) < page.text.index(early)
        assert "/api/admin/series/report?scenario=small%2Fscenario.yaml&amp;format=pdf" in (
            page.text)
    # the download, two of the three picked by id
    r = served.get("/api/admin/series/report", params={"ids": f"{early},{none}",
                                                       "format": "html", "lang": "de"},
                   headers=auth)  # fmt: skip
    assert r.status_code == 200 and "uebungsreihe.html" in r.headers["content-disposition"]
    assert "0/4" in r.text and "4/4" in r.text and "1/4" not in r.text


def test_an_unplayed_exercise_is_no_run_and_an_unfinished_one_is_flagged(
    served: TestClient,
) -> None:
    """Found by a new user: an exercise created and never started counted as a
    run (replayed to its end it showed the scenario undisturbed, "better")."""
    first, second = played(served, "2h"), played(served, None)
    untouched = served.post("/api/exercises", json={"scenario": "small/scenario.yaml",
                                                    "seed": 1}).json()["id"]  # fmt: skip
    auth = {"Authorization": f"Bearer {ADMIN}"}
    got = served.get("/api/admin/series", params={"scenario": "small/scenario.yaml"},
                     headers=auth).json()  # fmt: skip
    assert [run["exercise"] for run in got["runs"]] == [first, second]
    assert untouched not in json.dumps(got)
    # Both stood at 2 h and 12 h of a 1-day scenario: played, but not to its end.
    page = served.get("/admin/series", params={"scenario": "small/scenario.yaml",
                                               "token": ADMIN, "lang": "de"}).text  # fmt: skip
    assert f"{first} wurde nicht bis zum Ende geübt (Stand T+2 Std." in page
    assert f"{second} wurde nicht bis zum Ende geübt (Stand T+12 Std." in page, re.findall("notice\">([^<]*)", page)


def test_the_series_is_the_administrators_alone(served: TestClient) -> None:
    first, second = played(served, None), played(served, "2h")
    r = served.post("/api/exercises", json={"scenario": "small/scenario.yaml"})
    manager = r.json()["tokens"]["manager"]
    query = {"ids": f"{first},{second}"}
    for path in ("/api/admin/series", "/api/admin/series/report", "/admin/series"):
        for token in (None, manager, "x" * 40):
            r = served.get(path, params={**query, **({"token": token} if token else {})})
            assert r.status_code == 401, (path, token)
            assert "Molkerei" not in r.text and "Server outage" not in r.text


def test_the_web_refuses_mixed_companies_and_bad_selections(served: TestClient) -> None:
    mine, theirs = played(served, None), played(served, "2h", "other/scenario.yaml")
    auth = {"Authorization": f"Bearer {ADMIN}"}
    r = served.get("/api/admin/series", params={"ids": f"{mine},{theirs}"}, headers=auth)
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["loc"] == ["query", "ids"] and "different companies" in detail["msg"]
    assert "verschiedene Unternehmen" in detail["msg_de"]
    page = served.get("/admin/series", params={"ids": f"{mine},{theirs}", "token": ADMIN,
                                               "lang": "de"})  # fmt: skip
    assert page.status_code == 422 and "verschiedene Unternehmen" in page.text
    for params, field, said in (({}, "scenario", "give ?scenario= or ?ids="),
                                ({"ids": f"{mine},nope"}, "ids", "no exercise 'nope'"),
                                ({"ids": mine}, "ids", "at least two")):  # fmt: skip
        r = served.get("/api/admin/series", params=params, headers=auth)
        assert r.status_code == 422, params
        assert r.json()["detail"][0]["loc"] == ["query", field] and said in r.text
    r = served.get("/api/admin/series", params={"ids": "../etc"}, headers=auth)
    assert r.status_code == 422  # the pattern: ids are letters, digits, - and _
    page = served.get("/admin/series", params={"ids": "../etc", "token": ADMIN, "lang": "en"})
    assert page.status_code == 422 and "exercise ids separated by commas" in page.text
