"""The report and the improvement plan over the web: GET .../report (HTML,
PDF; German and English; for those who may replay, never participants; one
PDF at a time), GET .../plan(.csv|.xlsx), POST .../plan (the facilitator
only; the server names new items; a later entry with the same item replaces
it; 422s name the field; an Idempotency-Key logs once)."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from test_report import require_pdf
from test_web_api import Ex, field_of, lite, lite_ex, settings  # noqa: F401  (fixtures)

from web.routers.report import pdf_gate

ITEM = {"issue": "Die Telefonkette dauerte 40 Minuten", "action": "Telefonkette quartalsweise üben",
        "objective": "orders_rto", "owner": "Leiter Krisenstab", "due": "2026-06-30",
        "status": "open"}  # fmt: skip


def get(ex: Ex, what: str, role: str = "facilitator") -> object:
    return ex.client.get(ex.url(what), headers=ex.auth(role))


# --- POST .../plan ---------------------------------------------------------------


def test_the_facilitator_adds_items_named_by_the_server_and_replaces_one_by_item(
    lite_ex: Ex,  # noqa: F811
) -> None:
    lite_ex.ok("plan", ITEM)
    lite_ex.ok("plan", {"issue": "No DR runbook", "action": "Write it"})
    plans = [e for e in lite_ex.log()[1:] if e["kind"] == "plan"]
    assert [(e["actor"], e["payload"]["item"]) for e in plans] == [("facilitator", "ip-1"),
                                                                  ("facilitator", "ip-2")]
    assert plans[0]["payload"] == {**ITEM, "item": "ip-1"}
    assert plans[1]["payload"]["status"] == "open"  # the default
    # the same item again replaces it: the plan keeps its place, with the new status
    lite_ex.ok("plan", {**ITEM, "item": "ip-1", "status": "done"})
    r = get(lite_ex, "plan")
    assert r.status_code == 200  # type: ignore[attr-defined]
    assert [(p["item"], p["status"]) for p in r.json()] == [  # type: ignore[attr-defined]
        ("ip-1", "done"), ("ip-2", "open")]
    # a third new one after a replacement: ip-3, not a second ip-2
    lite_ex.ok("plan", {"issue": "c", "action": "d"})
    assert [p["item"] for p in get(lite_ex, "plan").json()] == [  # type: ignore[attr-defined]
        "ip-1", "ip-2", "ip-3"]


@pytest.mark.parametrize(("body", "field"), [
    ({**ITEM, "issue": ""}, ["issue"]),
    ({k: v for k, v in ITEM.items() if k != "action"}, ["action"]),
    ({**ITEM, "status": "finished"}, ["status"]),
    ({**ITEM, "due": "2026-02-31"}, ["due"]),
    ({**ITEM, "due": "30.06.2026"}, ["due"]),
    ({**ITEM, "item": "ip 1<script>"}, ["item"]),
    ({**ITEM, "owner": "o" * 201}, ["owner"]),
    ({**ITEM, "issue": "x" * 4001}, ["issue"]),
])  # fmt: skip
def test_a_bad_plan_item_is_a_422_naming_the_field(lite_ex: Ex, body: dict[str, object],  # noqa: F811
                                                    field: list[str]) -> None:  # fmt: skip
    assert field_of(lite_ex.post("plan", body)) == field
    assert not [e for e in lite_ex.log()[1:] if e["kind"] == "plan"]


@pytest.mark.parametrize("role", ["participant", "observer", "manager"])
def test_only_the_facilitator_writes_the_plan(lite_ex: Ex, role: str) -> None:  # noqa: F811
    assert lite_ex.post("plan", ITEM, role).status_code == 403
    assert not [e for e in lite_ex.log()[1:] if e["kind"] == "plan"]


def test_a_repeated_plan_request_with_its_key_is_logged_once(lite_ex: Ex) -> None:  # noqa: F811
    headers = {**lite_ex.auth("facilitator"), "Idempotency-Key": "plan-click-1"}
    first = lite_ex.client.post(lite_ex.url("plan"), json=ITEM, headers=headers)
    again = lite_ex.client.post(lite_ex.url("plan"), json=ITEM, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert [p["item"] for p in get(lite_ex, "plan").json()] == ["ip-1"]  # type: ignore[attr-defined]


def test_the_plan_is_written_after_the_exercise_has_ended(lite_ex: Ex) -> None:  # noqa: F811
    lite_ex.ok("clock", {"action": "jump", "by": "10d"})
    assert lite_ex.state()["clock"] == "ended"
    lite_ex.ok("plan", ITEM)
    assert lite_ex.post("decisions", {"text": "too late"}).status_code == 422


# --- GET .../report and the plan's exports ----------------------------------------


@pytest.mark.parametrize(("role", "status"), [("participant", 403), ("observer", 200),
                                              ("manager", 200), ("facilitator", 200)])
def test_the_report_is_for_those_who_may_replay(lite_ex: Ex, role: str, status: int) -> None:  # noqa: F811
    for what in ("report?lang=en", "plan", "plan.csv", "plan.xlsx"):
        assert get(lite_ex, what, role).status_code == status, what  # type: ignore[attr-defined]


def test_the_html_report_names_the_plan_and_each_decision_with_its_actor(
    lite_ex: Ex,  # noqa: F811
) -> None:
    lite_ex.ok("decisions", {"action": "activate_dr"})
    lite_ex.ok("plan", ITEM)
    r = lite_ex.client.get(lite_ex.url("report?format=html&lang=de"),
                           headers=lite_ex.auth("manager"))  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-disposition"] == \
        f'attachment; filename="uebungsbericht-{lite_ex.id}.html"'  # fmt: skip
    assert "Telefonkette quartalsweise üben" in r.text and "Leiter Krisenstab" in r.text
    assert "Maßnahmenplan" in r.text and "Activate the cloud DR site" in r.text
    en = lite_ex.client.get(lite_ex.url("report?lang=en"), headers=lite_ex.auth("observer"))
    assert en.headers["content-disposition"] == \
        f'attachment; filename="after-action-report-{lite_ex.id}.html"'  # fmt: skip
    assert "Improvement plan" in en.text


def test_an_untagged_note_is_in_the_report_but_never_reaches_a_participant(
    lite_ex: Ex,  # noqa: F811
) -> None:
    """QA 6: an observation without tagging or rating is in the report's
    section 6 now; the report stays closed to participants, so the note does
    not reach them this way (nor through their state)."""
    lite_ex.ok("observations", {"text": "zq-untagged-note"}, "observer")
    shown = get(lite_ex, "report?format=html&lang=de", "observer")
    assert shown.status_code == 200  # type: ignore[attr-defined]
    page = shown.text  # type: ignore[attr-defined]
    assert "Alle Beobachtungen" in page
    assert "zq-untagged-note" in page.split("Anhang: Übungsprotokoll")[0]
    refused = get(lite_ex, "report?format=html&lang=de", "participant")
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert "zq-untagged-note" not in refused.text  # type: ignore[attr-defined]
    assert "zq-untagged-note" not in str(lite_ex.state("participant"))


def test_the_pdf_report_contains_the_plan_item_just_added(lite_ex: Ex, tmp_path: Path) -> None:  # noqa: F811
    require_pdf()
    lite_ex.ok("plan", ITEM)
    r = lite_ex.client.get(lite_ex.url("report?format=pdf&lang=de"),
                           headers=lite_ex.auth("facilitator"))  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == \
        f'attachment; filename="uebungsbericht-{lite_ex.id}.pdf"'  # fmt: skip
    assert r.content.startswith(b"%PDF")
    out = tmp_path / "r.pdf"
    out.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    flat = " ".join(text.split())  # table cells wrap
    assert "Übungsbericht" in flat and "Maßnahmenplan" in flat
    for word in ("Telefonkette", "quartalsweise", "Krisenstab", "2026-06-30"):
        assert word in flat, word


def test_a_second_pdf_meanwhile_is_told_to_come_back(lite_ex: Ex) -> None:  # noqa: F811
    gate = pdf_gate(SimpleNamespace(app=lite_ex.client.app))  # type: ignore[arg-type]
    assert gate._slots.acquire(blocking=False)  # another PDF is being made
    try:
        r = get(lite_ex, "report?format=pdf")
        assert r.status_code == 503  # type: ignore[attr-defined]
        assert r.headers["retry-after"] == "10"  # type: ignore[attr-defined]
        assert get(lite_ex, "report?format=html").status_code == 200  # type: ignore[attr-defined]
    finally:
        gate._slots.release()


def test_a_bad_format_or_language_is_a_422(lite_ex: Ex) -> None:  # noqa: F811
    for query, field in (("format=docx", "format"), ("lang=fr", "lang")):
        r = get(lite_ex, f"report?{query}")
        assert r.status_code == 422  # type: ignore[attr-defined]
        assert r.json()["detail"][0]["loc"] == ["query", field]  # type: ignore[attr-defined]


def test_the_plan_as_csv_and_xlsx_reads_back(lite_ex: Ex) -> None:  # noqa: F811
    lite_ex.ok("plan", ITEM)
    lite_ex.ok("plan", {"issue": "=HYPERLINK(\"x\")", "action": "check the formula guard"})
    r = get(lite_ex, "plan.csv?lang=de", "observer")
    assert r.headers["content-disposition"] == \
        f'attachment; filename="massnahmenplan-{lite_ex.id}.csv"'  # type: ignore[attr-defined]  # fmt: skip
    rows = list(csv.reader(io.StringIO(r.text)))  # type: ignore[attr-defined]
    assert rows == [
        ["Nr.", "Feststellung", "Maßnahme", "Übungsziel / Fähigkeit", "Verantwortlich",
         "Termin", "Status"],
        ["ip-1", ITEM["issue"], ITEM["action"], "orders_rto", "Leiter Krisenstab",
         "2026-06-30", "open"],
        ["ip-2", "'=HYPERLINK(\"x\")", "check the formula guard", "", "", "", "open"]]  # fmt: skip
    x = get(lite_ex, "plan.xlsx?lang=en", "manager")
    assert x.headers["content-disposition"] == \
        f'attachment; filename="improvement-plan-{lite_ex.id}.xlsx"'  # type: ignore[attr-defined]  # fmt: skip
    sheet = load_workbook(io.BytesIO(x.content)).active  # type: ignore[attr-defined]
    assert sheet is not None and sheet.title == "Improvement plan"
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][:3] == ["item", "issue", "action"]
    assert cells[1][:3] == ["ip-1", ITEM["issue"], ITEM["action"]]


def test_control_characters_in_the_plan_reach_the_workbook_as_replacement_characters(
    lite_ex: Ex,  # noqa: F811
) -> None:
    lite_ex.ok("plan", {"issue": "bell\x07 and\ttab", "action": "a\x0bb"})
    x = get(lite_ex, "plan.xlsx?lang=de")
    assert x.status_code == 200  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(x.content)).active  # type: ignore[attr-defined]
    assert sheet is not None
    assert [c.value for c in sheet[2]][1:3] == ["bell\ufffd and\ttab", "a\ufffdb"]
    rows = list(csv.reader(io.StringIO(get(lite_ex, "plan.csv").text)))  # type: ignore[attr-defined]
    assert rows[1][1:3] == ["bell\x07 and\ttab", "a\x0bb"]  # CSV keeps them


def test_a_stored_exercise_reports_from_its_log_after_a_restart(tmp_path: Path) -> None:
    from starlette.testclient import TestClient
    from test_web_api import new_exercise

    from web.app import create_app

    db = f"sqlite:///{tmp_path}/t.db"
    with TestClient(create_app(settings(db))) as first:
        ex = new_exercise(first, seed=1, speed=60)
        ex.ok("plan", ITEM)
    with TestClient(create_app(settings(db))) as again:  # nothing rebuilt yet: read from the database
        ex = Ex(again, ex.id, ex.tokens)
        assert ex.id not in again.app.state.manager.exercises  # type: ignore[attr-defined]
        rows = list(csv.reader(io.StringIO(get(ex, "plan.csv?lang=en", "manager").text)))  # type: ignore[attr-defined]
        assert rows[1][:3] == ["ip-1", ITEM["issue"], ITEM["action"]]
        r = get(ex, "report?lang=en", "manager")
        assert r.status_code == 200 and ITEM["action"] in r.text  # type: ignore[attr-defined]
        assert ex.id not in again.app.state.manager.exercises  # type: ignore[attr-defined]
