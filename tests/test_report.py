"""`tabletop report`: the after-action report of the bundled exercise log,
read back — the HTML's BIA table against the run summary, the PDF's text
(pdftotext) for the figures, every decision with its actor, the headings in
German and English; the improvement plan as CSV and XLSX; one-line errors."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from simulator.analysis.metrics import summarize
from simulator.cli.app import app
from simulator.exercise.aar import build
from simulator.exercise.aar_html import render
from simulator.exercise.aar_html import words as report_words
from simulator.exercise.aar_pdf import available
from simulator.exercise.log import DecisionEntry, read_log
from simulator.exercise.replay import end_of, horizon_of, replay
from simulator.exercise.replay_report import eur
from simulator.model.schema import text

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "notebooks" / "data" / "exercise-log.jsonl"
runner = CliRunner()


def require_pdf() -> None:
    """WeasyPrint with Pango, and pdftotext; skipped locally, a failure in CI."""
    missing = [what for what, ok in (("WeasyPrint/Pango", available()),
                                     ("pdftotext", shutil.which("pdftotext") is not None))
               if not ok]  # fmt: skip
    if not missing:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{', '.join(missing)} missing: CI must install them (see .ci/run)")
    pytest.skip(f"{', '.join(missing)} missing (libpango-1.0-0, poppler-utils)")


def run_figures() -> tuple[dict[str, object], object]:
    """The run's own figures: the log replayed to its horizon, summarised."""
    header, entries = read_log(LOG.read_text(encoding="utf-8"))
    assert header.bundle is not None
    exercise = replay(header, entries, horizon_of(header.bundle, entries))
    summary = summarize(exercise.bundle, exercise.sim.records, exercise.horizon)
    return {p.id: p for p in summary.processes}, exercise


class Tables(HTMLParser):
    """Every table of a page as rows of cell texts, after the heading before it."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.heading, self.cell, self.row = "", None, None
        self._h = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("h2", "h3"):
            self._h, self.heading = True, ""
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3"):
            self._h = False
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables.setdefault(self.heading, []).append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self._h:
            self.heading += data
        if self.cell is not None:
            self.cell += data


TIMELINE = ("3 ", "Gespielt bis Übungsende", "Played until the end", "Fortschreibung nach",
            "Projected after")


def timeline_rows(tables: Tables) -> list[list[str]]:
    """Section 3's rows: the played events, then the projected ones (one header row)."""
    parts = [rows for h, rows in tables.tables.items() if h.startswith(TIMELINE)]
    return [parts[0][0]] + [row for rows in parts for row in rows[1:]]


def report_html(lang: str) -> str:
    header, entries = read_log(LOG.read_text(encoding="utf-8"))
    return render(build(header, entries, lang))


def hours_de(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}".translate(str.maketrans(",.", ".,"))


def at_end(cell: str) -> tuple[str, str | None]:
    """A BIA cell of a report whose exercise stopped before the horizon:
    (the projected figure, the figure as played where it differs, else None)."""
    projected, _, played = cell.partition("bei Übungsende: ")
    return projected.strip(), played.strip() or None


def test_html_bia_table_equals_the_run_summary() -> None:
    """Every figure is the run summary's at the horizon; the bundled log ends
    at T+7 d of 28, so where the figures at its end differ they stand next to
    them (summarize at the end, by hand here)."""
    by_id, exercise = run_figures()
    header, entries = read_log(LOG.read_text(encoding="utf-8"))
    end = end_of(header, entries)
    assert end == 7 * 86400 < exercise.horizon
    then = {p.id: p for p in summarize(exercise.bundle, exercise.sim.records, end).processes}
    names = {a.id: text(a.name, "de") for a in exercise.bundle.company.assets}
    tables = Tables()
    page = report_html("de")
    tables.feed(page)
    assert "Werte bis T+28 Tg. (Szenario-Horizont), nach Übungsende bei T+7 Tg. fortgeschrieben" in page
    rows = tables.tables["4 BIA-Vorgaben und erreichte Werte"]
    assert rows[0][0] == "Prozess" and rows[0][8] == "Schaden EUR"
    body = {row[0]: row for row in rows[1:-1]}
    with_bia = {pid for pid, a in ((a.id, a) for a in exercise.bundle.company.assets) if a.bia}
    assert {names[p] for p in with_bia} == set(body)
    differ = 0
    for pid in with_bia:
        p, q, row = by_id[pid], then[pid], [at_end(c) for c in body[names[pid]]]
        assert row[1][0].startswith(hours_de(p.rto_h)) and row[3][0].startswith(hours_de(p.mtpd_h))
        assert ("überschr." in row[1][0]) == bool(p.rto_breached)
        if p.rto_breached and not q.rto_breached:
            assert row[1][1] == "nicht überschr."
        else:
            assert row[1][1] is None
        for col, field in ((5, "downtime_h"), (6, "data_loss_h"), (7, "below_mbco_h")):
            now, played = hours_de(getattr(p, field)), hours_de(getattr(q, field))
            assert row[col] == (now, None if played == now else played), (pid, field)
        played = eur(q.impact_eur, "de")
        assert row[8] == (eur(p.impact_eur, "de"), None if played == row[8][0] else played)
        differ += row[8][1] is not None
    assert differ  # the projection adds impact to some process
    total = sum(p.impact_eur for p in by_id.values() if p.id in with_bia)
    total_then = sum(p.impact_eur for p in then.values() if p.id in with_bia)
    assert at_end(rows[-1][8]) == (eur(total, "de"), eur(total_then, "de"))


def test_html_sections_people_plan_and_log_hash() -> None:
    page = report_html("en")
    for heading in ("1 Exercise overview", "2 Objectives and evaluation", "3 Timeline of key events",
                    "4 BIA targets vs achieved", "5 Decisions and their measured value",
                    "6 Strengths and areas for improvement", "7 Improvement plan",
                    "Appendix: exercise log"):
        assert f">{heading}<" in page
    tables = Tables()
    tables.feed(page)
    people = {row[1]: row for row in tables.tables["Participants and observers"][1:]}
    assert people["Dr. Karin Weber"][0] == "Auswertung"  # team
    assert people["Dr. Karin Weber"][4] == "2026-11-24 10:48:45 UTC"  # her first entry
    assert people["Dr. Karin Weber"][6] == "3"  # three observations
    plan = tables.tables["7 Improvement plan"]
    assert [row[0] for row in plan[1:]] == ["M1", "M2"]
    assert plan[2][6] == "in progress"
    improvements = tables.tables["Areas for improvement"]
    assert len(improvements) == 2 and improvements[1][1] == "M"  # the one rated M
    import hashlib
    assert hashlib.sha256(LOG.read_bytes()).hexdigest() in page  # the file as exported
    assert "<script" not in page and "http" not in page.split("<body>")[0]


def pdf_text(tmp_path: Path, lang: str) -> str:
    out = tmp_path / f"report-{lang}.pdf"
    result = runner.invoke(app, ["report", str(LOG), "--lang", lang, "--pdf", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
    assert all(" yes " in line for line in fonts.stdout.splitlines()[2:])  # embedded
    return subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def test_pdf_german_figures_decisions_and_page_numbers(tmp_path: Path) -> None:
    require_pdf()
    found = pdf_text(tmp_path, "de")
    for heading in ("Übungsbericht", "1 Übungsüberblick", "2 Übungsziele und Auswertung",
                    "4 BIA-Vorgaben und erreichte Werte", "6 Stärken und Verbesserungspotenziale",
                    "7 Maßnahmenplan", "Anhang: Übungsprotokoll", "Stabsrahmenübung"):
        assert heading in found
    by_id, exercise = run_figures()
    with_bia = {a.id for a in exercise.bundle.company.assets if a.bia is not None}
    for pid in with_bia:
        assert eur(by_id[pid].impact_eur, "de") in found, pid
    assert eur(sum(by_id[pid].impact_eur for pid in with_bia), "de") in found
    header, entries = read_log(LOG.read_text(encoding="utf-8"))
    actions = {a.id: text(a.title, "de") for a in exercise.bundle.scenario.actions}
    flat = " ".join(found.split())
    for e in entries:
        if isinstance(e, DecisionEntry) and e.payload.action:
            assert actions[e.payload.action] in flat
    assert "Teilnehmende" in flat and "Seite 1 /" in flat


def test_pdf_english(tmp_path: Path) -> None:
    require_pdf()
    found = pdf_text(tmp_path, "en")
    for heading in ("After-Action Report", "3 Timeline of key events", "BIA targets vs achieved",
                    "Decisions and their measured value", "Improvement plan", "page 1 /"):
        assert heading in found


@pytest.mark.parametrize("lang", ["de", "en"])
def test_pdf_bia_table_header_words_are_never_hyphenated(tmp_path: Path, lang: str) -> None:
    """A German QA pass found "Notbe-/triebsni-/veau" in the BIA table's header:
    every word of every header cell reads back whole."""
    require_pdf()
    lines = pdf_text(tmp_path, lang).splitlines()
    w = report_words(lang)
    # the header row (cells aligned at the top, at most three lines each) and
    # the first line of the first process below it
    at = next(i for i, line in enumerate(lines) if w["process"] in line and w["mtpd_h"] in line)
    tokens = " ".join(lines[at : at + 4]).split()
    for col in ("rto_h", "rpo_h", "mtpd_h", "mbco", "downtime", "lost", "below", "eur"):
        for word in w[col].split():
            assert word in tokens, (word, lines[at : at + 4])
    assert not [t for t in tokens if t.endswith(("\u2010", "\u00ad"))], lines[at : at + 4]


def test_plan_csv_and_xlsx_read_back(tmp_path: Path) -> None:
    out_csv, out_xlsx = tmp_path / "plan.csv", tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["report", str(LOG), "--lang", "en", "--plan-csv", str(out_csv),
                                 "--plan-xlsx", str(out_xlsx)])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert rows[0] == ["item", "issue", "action", "objective", "owner", "due", "status"]
    assert rows[1][0] == "M1" and rows[1][5] == "2027-01-31" and rows[1][6] == "open"
    assert rows[2][4] == "Jens Hoffmann (Leiter Krisenstab)" and rows[2][6] == "in_progress"
    sheet = load_workbook(out_xlsx).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == rows[0]
    assert [[c.value for c in r] for r in sheet.iter_rows(min_row=2)] == rows[1:]


@pytest.mark.parametrize(("args", "message"), [
    (["nope.jsonl", "--html", "x.html"], "nope.jsonl"),
    ([str(LOG), "--lang", "fr", "--html", "x.html"], "--lang"),
    ([str(LOG)], "nichts zu schreiben"),  # report's default --lang is de
])  # fmt: skip
def test_cli_errors_are_one_line(args: list[str], message: str, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())  # nothing written


def test_cli_player_log_is_refused(tmp_path: Path) -> None:
    lines = LOG.read_text(encoding="utf-8").splitlines()
    player = tmp_path / "player.jsonl"
    player.write_text('{"format":"tabletop-exercise-log","version":1}\n'
                      + "\n".join(lines[1:]) + "\n")  # fmt: skip
    result = runner.invoke(app, ["report", str(player), "--html", str(tmp_path / "r.html"),
                                 "--lang", "en"])  # fmt: skip
    assert result.exit_code == 2 and "participant's log cannot be replayed" in result.output
    result = runner.invoke(app, ["report", str(player), "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 2  # report speaks German unless told otherwise
    assert "das Protokoll eines Teilnehmers lässt sich nicht nachspielen" in result.output


def test_objective_evidence_is_worded_in_the_report_language() -> None:
    """The evidence reads as sentences (the shipped log takes isolate_ot at
    T+4 d 1 h 30 min, two hours were required), never as the result's keys."""
    for lang, said in (("de", "ergriffen bei T+4 Tg. 1 Std. 30 Min., gefordert bis T+2 Std."),
                       ("en", "taken at T+4 d 1 h 30 min, required by T+2 h")):  # fmt: skip
        page = report_html(lang)
        assert said in page
        for key in ("taken_at", "breach_at", "limit_h", "below_mbco_h"):
            assert key not in page, (lang, key)


def test_anonymous_roles_are_named_in_the_report_language() -> None:
    """Decisions and proposals made through a role's link (no person) are
    the facilitator's, the participants' (anonymous) or the observers' in
    words, never the raw actor ("participant") — in the decisions, the
    timeline, the ratings and the log appendix."""
    from exercise_logs import log

    from simulator.exercise.log import make_header
    from simulator.readwrite.io import load_bundle

    bundle = load_bundle(ROOT / "tests" / "data" / "whatif" / "scenario.yaml")
    rows = [(3600, "system", "msel", {"inject": "crash"}),
            (4000, "participant", "proposal", {"action": "activate_standby"}),
            (5000, "facilitator", "accept", {"proposal": 2}),
            (6000, "facilitator", "decision", {"action": "restore_server"}),
            (7000, "observer", "observation", {"text": "zq-slow", "rating": "S"})]  # fmt: skip
    entries = log(*rows)
    header = make_header(bundle, 3)
    expected = {"de": ("Übungsleitung", "Teilnehmende (anonym)", "Beobachtung (anonym)",
                       "Drehbuch (planmäßig)"),
                "en": ("Facilitator", "Participants (anonymous)", "Observer (anonymous)",
                       "Script (scheduled)")}  # fmt: skip
    for lang, (boss, players, observer, script) in expected.items():
        tables = Tables()
        tables.feed(render(build(header, entries, lang)))
        decisions = next(rows for h, rows in tables.tables.items() if h.startswith("5 "))
        whos = {cell for row in decisions[1:] for cell in row}
        assert boss in whos, (lang, decisions)
        timeline = timeline_rows(tables)
        who = [(row[2], row[4]) for row in timeline[1:] if row[4] != "–"]
        proposal, decision = ("Vorschlag", "Entscheidung") if lang == "de" else ("proposal",
                                                                                 "decision")
        assert who == [("Einlage" if lang == "de" else "inject", script), (proposal, players),
                       (decision, boss), (decision, boss)], (lang, timeline)  # fmt: skip
        log = next(rows for h, rows in tables.tables.items() if "xercise log" in h
                   or "bungsprotokoll" in h)  # fmt: skip
        actors = [row[3] for row in log[1:]]
        assert actors == [script, players, boss, boss, observer], (lang, actors)
        cells = {c for table in tables.tables.values() for row in table for c in row}
        assert not cells & {"participant", "facilitator", "observer", "system"}, lang


def test_the_timeline_says_to_whom_an_inject_went_and_what_control_expected(
    tmp_path: Path,
) -> None:
    import yaml
    from exercise_logs import log

    from simulator.exercise.log import make_header
    from simulator.readwrite.io import load_bundle

    source = ROOT / "tests" / "data" / "whatif"
    company = yaml.safe_load((source / "company.yaml").read_text())
    company["teams"] = {"IT": {"size": 2}}  # an inject's addressees are the company's teams
    (tmp_path / "company.yaml").write_text(yaml.safe_dump(company, allow_unicode=True))
    data = yaml.safe_load((source / "scenario.yaml").read_text())
    data["injects"][0].update(teams=["IT"], expected_action={
        "de": "Ersatzserver prüfen", "en": "Check the standby server"})  # fmt: skip
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    bundle = load_bundle(tmp_path / "scenario.yaml")
    entries = log((3600, "system", "msel", {"inject": "crash"}),
                  (7200, "system", "msel", {"inject": "call"}))  # fmt: skip
    for lang, said in (("de", "Server ausgefallen (an IT) – erwartet: Ersatzserver prüfen"),
                       ("en", "Server down (to IT) – expected: Check the standby server")):
        tables = Tables()
        tables.feed(render(build(make_header(bundle, 3), entries, lang)))
        timeline = timeline_rows(tables)
        assert [row[3] for row in timeline[1:] if row[2] in ("Einlage", "inject")] == [
            said, "Kunde ruft an" if lang == "de" else "A customer calls"], timeline


def test_free_text_decisions_do_not_leave_section_5_saying_none() -> None:
    """Only decisions that took a catalogue action have a measured value; a
    report of decisions in free text says so and points to the timeline
    instead of a bare "keine" (found by a new user)."""
    from exercise_logs import log

    from simulator.exercise.log import make_header
    from simulator.readwrite.io import load_bundle

    bundle = load_bundle(ROOT / "tests" / "data" / "whatif" / "scenario.yaml")
    entries = log((3600, "facilitator", "decision", {"text": "Krisenstab einberufen"}))
    for lang, words in (("de", "Keine Entscheidung nahm eine Maßnahme aus dem Katalog"),
                        ("en", "No decision took an action from the scenario's catalogue")):
        tables = Tables()
        tables.feed(render(build(make_header(bundle, 3), entries, lang)))
        decisions = next(rows for h, rows in tables.tables.items() if h.startswith("5 "))
        assert decisions[1][0].startswith(words), decisions
        timeline = timeline_rows(tables)
        assert any("Krisenstab einberufen" in cell for row in timeline for cell in row)


def test_hazards_in_the_timeline_are_named_by_their_type() -> None:
    """The bundled log's ransomware is the scenario's first hazard (engine
    label "hazard:1"), the outage of the switchboard the facilitator's
    (id "switchboard"): the timeline names them "Ransomware: …" and
    "Ausfall: …", never by number or id (found by a German QA pass)."""
    for lang, ransom, outage in (("de", "Ransomware: Virtualisierungsplattform und Speicher (RZ)",
                                  "Ausfall: Cloud-Telefonanlage Zentrale"),
                                 ("en", "Ransomware: Virtualisation platform and storage "
                                  "(data centre)", "Outage: Head office cloud telephony")):
        tables = Tables()
        tables.feed(report_html(lang))
        rows = timeline_rows(tables)[1:]
        hazards = [row[3] for row in rows if row[2] in ("Gefährdung", "hazard")]
        assert hazards == [ransom, outage], hazards
        injects = [row[3] for row in rows if row[2] in ("Einlage", "inject")]
        assert ("Ausfall" if lang == "de" else "Outage") in injects
        assert not [text for text in hazards + injects
                    if text.startswith(("1:", "Gefährdung ", "hazard ")) or text == "switchboard"]


def whatif_report(lang: str, *rows: tuple[object, ...]) -> str:
    """The report of a log written by hand on the what-if scenario (24 h)."""
    from exercise_logs import log

    from simulator.exercise.log import make_header
    from simulator.readwrite.io import load_bundle

    bundle = load_bundle(ROOT / "tests" / "data" / "whatif" / "scenario.yaml")
    return render(build(make_header(bundle, 3), log(*rows), lang))


OBSERVED = ((3600, "system", "msel", {"inject": "crash"}),
            (5000, "facilitator", "release", {"inject": "call"}),
            (6000, "observer", "observation", {"text": "zq-untagged"}),
            (7000, "observer", "observation", {"text": "zq-strong", "tag": "strength",
                                               "rating": "P"}))  # fmt: skip


def test_every_observation_is_in_the_report_body_tagged_or_not() -> None:
    """QA 6: a note recorded with "Einordnung: keine" and no rating was only in
    the raw log appendix. Section 6 lists every observation (time, who,
    objective, tagging, rating, text); the tagged one is also a strength."""
    for lang, who, strength, t1, t2 in (
        ("de", "Beobachtung (anonym)", "Stärke", "1 Std. 40 Min.", "1 Std. 56 Min."),
        ("en", "Observer (anonymous)", "strength", "1 h 40 min", "1 h 56 min"),
    ):  # fmt: skip
        page = whatif_report(lang, *OBSERVED)
        tables = Tables()
        tables.feed(page)
        w = report_words(lang)
        listed = tables.tables[w["observations"]]
        assert listed[1:] == [[t1, who, "–", "–", "–", "zq-untagged"],
                              [t2, who, "–", strength, "P", "zq-strong"]], listed
        assert [row[2] for row in tables.tables[w["strengths"]][1:]] == ["zq-strong"]
        assert tables.tables[w["improvements"]][1:] == [[w["none"]]]
        body = page.split(f">{w['s8']}<")[0]  # the report before its appendix
        assert "zq-untagged" in body


def test_the_log_appendix_names_kinds_in_words_and_shows_no_json() -> None:
    """QA 5: the appendix said `msel`, `release` and raw JSON. Each entry's kind
    is named in the report's language and its content is one readable line
    (the log download keeps the data in full)."""
    for lang, kinds, lines in (
        ("de", ["Drehbuch-Einlage", "Einspielung", "Beobachtung", "Beobachtung"],
         ["Server ausgefallen", "Kunde ruft an", "zq-untagged", "zq-strong – Stärke; Bewertung P"]),
        ("en", ["scripted inject", "inject released", "observation", "observation"],
         ["Server down", "A customer calls", "zq-untagged", "zq-strong – strength; rating P"]),
    ):  # fmt: skip
        tables = Tables()
        tables.feed(whatif_report(lang, *OBSERVED))
        w = report_words(lang)
        appendix = tables.tables[w["s8"]]
        assert appendix[0][4:] == [w["kind"], w["payload"]]
        assert [row[4] for row in appendix[1:]] == kinds
        assert [row[5] for row in appendix[1:]] == lines
        assert not [c for row in appendix for c in row if "{" in c or '"' in c]


def test_the_appendix_reads_person_plan_clock_and_answers() -> None:
    """The other kinds, by hand: a person with function and team, an improvement
    plan item with owner and due date, the clock, and an answer naming the
    proposal it answers."""
    rows = ((0, "facilitator", "clock", {"action": "start"}),
            (60, "facilitator", "person", {"id": "p-abc", "name": "Eva Roth",
                                           "function": "CISO", "team": "IT",
                                           "role": "participant"}),
            (4000, "participant", "proposal", {"action": "activate_standby"}),
            (4100, "facilitator", "reject", {"proposal": 3}),
            (5000, "facilitator", "plan", {"item": "M1", "issue": "x", "action": "Runbook",
                                           "owner": "IT", "due": "2027-01-31"}))  # fmt: skip
    for lang, kinds, lines in (
        ("de", ["Uhr", "Person", "Vorschlag", "Ablehnung", "Maßnahmenplan"],
         ["Uhr gestartet", "Eva Roth, CISO – Teilnehmende, Team IT", "Ersatzserver aktivieren",
          "Vorschlag 3: Ersatzserver aktivieren",
          "M1: Runbook (offen, verantwortlich: IT, Termin: 2027-01-31)"]),
        ("en", ["clock", "person", "proposal", "rejected", "improvement plan"],
         ["clock started", "Eva Roth, CISO – participant, team IT", "Activate the standby server",
          "proposal 3: Activate the standby server",
          "M1: Runbook (open, owner: IT, due: 2027-01-31)"]),
    ):  # fmt: skip
        tables = Tables()
        tables.feed(whatif_report(lang, *rows))
        appendix = tables.tables[report_words(lang)["s8"]]
        assert [row[4] for row in appendix[1:]] == kinds, lang
        assert [row[5] for row in appendix[1:]] == lines, lang


def test_an_abbreviation_ending_a_sentence_takes_no_second_full_stop() -> None:
    """QA 10: "Werte bis T+4 Tg.." — the log below reaches the what-if
    scenario's horizon (24 h = 1 Tg.), so section 4 says "Werte bis T+1 Tg."
    with one full stop; in English "Figures up to T+1 d."."""
    from simulator.exercise.aar_html import fill

    rows = (*OBSERVED, (7200, "facilitator", "clock", {"action": "jump", "to": 86400}))
    for lang, said in (("de", ">Werte bis T+1 Tg.<"), ("en", ">Figures up to T+1 d.<")):
        page = whatif_report(lang, *rows)
        assert said in page
        assert ".." not in page.split("<body>")[1]
    assert fill("bis {h}.", h="4 Tg.") == "bis 4 Tg."
    assert fill("bis {h}. Dann {k}", h="4 h", k="x.") == "bis 4 h. Dann x."


def test_the_timeline_axis_has_a_caption_in_both_languages() -> None:
    """QA 10: the chart's x-axis "0 h … 96 h" had no caption."""
    for lang, caption in (("de", "Übungszeit (Stunden)"), ("en", "Exercise time (hours)")):
        page = whatif_report(lang, *OBSERVED)
        svg = page[page.index("<svg"): page.index("</svg>")]
        assert 'class="axis"' in svg and f">{caption}</text>" in svg, lang
        assert ">0 h</text>" in svg and ">24 h</text>" in svg
