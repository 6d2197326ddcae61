"""The improvement plan (Maßnahmenplan) as CSV and XLSX, for tracking
corrective actions outside Tabletop (HSEEP: the IP is a living document)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from simulator.exercise.log import PlanPayload

COLUMNS = {
    "en": ("item", "issue", "action", "objective", "owner", "due", "status"),
    "de": ("Nr.", "Feststellung", "Maßnahme", "Übungsziel / Fähigkeit", "Verantwortlich",
           "Termin", "Status"),
}


def rows(plan: Sequence[PlanPayload]) -> list[list[str]]:
    return [[p.item, p.issue, p.action, p.objective or "", p.owner or "",
             p.due.isoformat() if p.due else "", p.status] for p in plan]  # fmt: skip


def _safe(cell: str) -> str:
    """A cell a spreadsheet never reads as a formula (CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def plan_csv(plan: Sequence[PlanPayload], lang: str = "en") -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS["de" if lang == "de" else "en"])
    writer.writerows([[_safe(c) for c in row] for row in rows(plan)])
    return out.getvalue()


def plan_xlsx(plan: Sequence[PlanPayload], lang: str = "en") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(text: str) -> str:
        # A worksheet cannot hold most C0 control characters (the XML forbids
        # them): each shows as U+FFFD, the rest of the text is kept.
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", _safe(text))

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Maßnahmenplan" if lang == "de" else "Improvement plan"
    sheet.append(list(COLUMNS["de" if lang == "de" else "en"]))
    for row in rows(plan):
        sheet.append([cell(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
