"""The after-action report of an exercise stopped before its horizon (found by
a German QA pass: a report of an exercise stopped at T+42 h listed the
ransomware's T+4..6 d breaches and the week's downtime as if played).

The report still replays to the horizon, but everything after the end is
marked as a projection: the key events after the end stand in a group of
their own, the BIA table says up to when its figures run and gives the
figures as played next to the projected ones, the objectives say how they
stood at the end. Figures by hand: tests/data/whatif — the server fails at
T+1 h and never comes back, order entry (RTO 4 h, MTPD 8 h, 1000 EUR/h)
is down from then on; the exercise stops at T+3 h of a 24 h horizon."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from exercise_logs import log
from test_report import Tables, require_pdf, timeline_rows

from simulator.exercise.aar import build
from simulator.exercise.aar_html import render
from simulator.exercise.aar_pdf import pdf
from simulator.exercise.log import LogEntry, LogHeader, make_header
from simulator.readwrite.io import load_bundle

ROOT = Path(__file__).resolve().parent.parent
OBJECTIVE = {"id": "orders_rto", "title": {"de": "Aufträge in der WAZ", "en": "Orders in RTO"},
             "process": "orders", "check": "within_rto"}  # fmt: skip


def exercise(tmp_path: Path, stop: int | None) -> tuple[LogHeader, list[LogEntry]]:
    """The what-if company with an RTO objective; the log's last entry at
    `stop` s (None: a jump to the horizon after it, at T+3 h)."""
    source = ROOT / "tests" / "data" / "whatif"
    shutil.copy(source / "company.yaml", tmp_path / "company.yaml")
    data = yaml.safe_load((source / "scenario.yaml").read_text())
    data["objectives"] = [OBJECTIVE]
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    bundle = load_bundle(tmp_path / "scenario.yaml")
    rows: list[tuple[object, ...]] = [
        (3600, "system", "msel", {"inject": "crash"}),
        (7200, "system", "msel", {"inject": "call"}),
        (stop or 3 * 3600, "facilitator", "decision", {"text": "Krisenstab einberufen"})]
    if stop is None:
        rows.append((3 * 3600, "facilitator", "clock", {"action": "jump", "to": 24 * 3600}))
    entries = log(*rows)
    return make_header(bundle, 3), entries


def tables(header: LogHeader, entries: list[LogEntry], lang: str) -> tuple[Tables, str]:
    page = html.unescape(render(build(header, entries, lang)))
    found = Tables()
    found.feed(page)
    return found, page


WORDS = {
    "de": {"played": "Gespielt bis Übungsende (T+3 Std.)",
           "projected": "Fortschreibung nach Übungsende (T+3 Std. – T+1 Tg.)",
           "bia": "4 BIA-Vorgaben und erreichte Werte", "at_end": "bei Übungsende: ",
           "note": "Werte bis T+1 Tg. (Szenario-Horizont), nach Übungsende bei T+3 Std. "
                   "fortgeschrieben",
           "rto": "WAZ überschritten", "mtpd": "MTA überschritten",
           "result": ("bei Übungsende: offen", "Fortschreibung: nicht erreicht"),
           "judged": "Beurteilt am Szenario-Horizont (T+1 Tg.), nach Übungsende (T+3 Std.)",
           "h": "Std.", "no_breach": "nicht überschr.", "breach": "überschr."},
    "en": {"played": "Played until the end of the exercise (T+3 h)",
           "projected": "Projected after the end of the exercise (T+3 h – T+1 d)",
           "bia": "4 BIA targets vs achieved", "at_end": "at end: ",
           "note": "Figures up to T+1 d (the scenario's horizon), projected after the end of "
                   "the exercise at T+3 h",
           "rto": "RTO breached", "mtpd": "MTPD breached",
           "result": ("at end: pending", "projected: not met"),
           "judged": "Judged at the scenario's horizon (T+1 d), projected after the end of the "
                     "exercise (T+3 h)",
           "h": "h", "no_breach": "no breach", "breach": "breach"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["de", "en"])
def test_events_after_the_end_are_a_projection_of_their_own(tmp_path: Path, lang: str) -> None:
    w = WORDS[lang]
    found, _ = tables(*exercise(tmp_path, 3 * 3600), lang)
    played, projected = found.tables[w["played"]], found.tables[w["projected"]]
    # played: the crash and its first impact at T+1 h, the call, the decision at the end;
    # the time without a breaking space (it wrapped over four lines in the PDF)
    h = "\u00a0" + w["h"]
    assert [row[0] for row in played[1:]] == [f"1{h}", f"1{h}", f"2{h}", f"3{h}"]
    # projected: the RTO passed at 1 h + 4 h, the MTPD at 1 h + 8 h — never played
    assert [(row[0], row[2]) for row in projected[1:]] == [(f"5{h}", w["rto"]),
                                                           (f"9{h}", w["mtpd"])]  # fmt: skip
    assert not any(w["rto"] in cell for row in played for cell in row)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_bia_table_gives_the_figures_as_played_next_to_the_projection(
    tmp_path: Path, lang: str
) -> None:
    w = WORDS[lang]
    found, page = tables(*exercise(tmp_path, 3 * 3600), lang)
    assert w["note"] in page
    rows = found.tables[w["bia"]]
    orders = rows[1]  # order entry: down from T+1 h
    comma = "," if lang == "de" else "."
    # RTO and MTPD breached in the projection, not by the end (down 2 h of 4 h)
    assert orders[1] == f"4{comma}0 {w['breach']}{w['at_end']}{w['no_breach']}"
    assert orders[3] == f"8{comma}0 {w['breach']}{w['at_end']}{w['no_breach']}"
    # downtime: 23 h to the horizon, 2 h played; impact 1000 EUR/h
    assert orders[5] == f"23{comma}0{w['at_end']}2{comma}0"
    assert orders[8] == ("23.000" if lang == "de" else "23,000") + w["at_end"] + (
        "2.000" if lang == "de" else "2,000")
    payroll = rows[2]  # never down: the same at the end, no second figure
    assert w["at_end"] not in "".join(payroll)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_objectives_say_how_they_stood_at_the_end(tmp_path: Path, lang: str) -> None:
    w = WORDS[lang]
    found, page = tables(*exercise(tmp_path, 3 * 3600), lang)
    assert w["judged"] in page
    objective = next(rows for h, rows in found.tables.items() if h.startswith("2 "))[1]
    # at T+3 h order entry is down 2 h of its 4 h RTO: pending; projected: missed
    assert objective[2] == "".join(w["result"])  # two lines
    assert objective[3].startswith(w["at_end"])


def test_an_exercise_played_to_its_horizon_is_not_marked(tmp_path: Path) -> None:
    found, page = tables(*exercise(tmp_path, None), "de")
    assert "Fortschreibung" not in page and "bei Übungsende" not in page
    assert "Beurteilt am" not in page
    assert "Werte bis T+1 Tg." in page
    kinds = [row[2] for row in timeline_rows(found)[1:]]
    assert "WAZ überschritten" in kinds and "MTA überschritten" in kinds


@pytest.mark.parametrize("lang", ["de", "en"])
def test_pdf_marks_the_projection(tmp_path: Path, lang: str) -> None:
    require_pdf()
    w = WORDS[lang]
    out = tmp_path / "r.pdf"
    out.write_bytes(pdf(render(build(*exercise(tmp_path, 3 * 3600), lang))))
    found = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                           check=True).stdout  # fmt: skip
    flat = " ".join(found.split())
    assert w["played"] in flat and w["projected"] in flat
    # the breach rows of the timeline stand under the projection's heading
    assert flat.index(w["played"]) < flat.index(w["projected"]) < flat.rindex(w["rto"])
    assert w["note"] in flat and w["at_end"].strip() in flat
