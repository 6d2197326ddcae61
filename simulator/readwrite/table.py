"""A sheet of a workbook or a CSV file as rows of cell values, read from bytes.

Shared by the spreadsheet readers: the checks every table needs before its
values mean anything (a real workbook, bounded size, no formulas, no merged
cells, UTF-8 text) are made here once, each reported at its cell.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from simulator.model.validation import Problem, ScenarioError

MAX_TABLE_BYTES = 10 * 1024 * 1024
"""The largest workbook or CSV file read: an MSEL of thousands of injects is
well under a megabyte."""
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""An XLSX is a zip: its parts unpacked may not exceed this (a zip bomb
otherwise fills memory before openpyxl sees a cell)."""
MAX_CELL_CHARS = 32_767  # Excel's own limit of a cell


@dataclass
class Table:
    """Rows of one sheet (or CSV file) with their 1-based row numbers."""

    file: str
    sheet: str | None  # None: a CSV file, whose places are "row 12"
    rows: list[tuple[int, list[Any]]]
    problems: list[Problem] = field(default_factory=list)
    bad: set[tuple[int, int]] = field(default_factory=set)  # (row, column) not to be read

    def place(self, row: int, column: int | None = None) -> str:
        """`MSEL!C12` for a workbook (column 0-based), `row 12` for a CSV file."""
        if self.sheet is None or column is None:
            return f"row {row}"
        return f"{self.sheet}!{get_column_letter(column + 1)}{row}"

    def problem(self, row: int, column: int | None, name: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.place(row, column), name, message))


def _fail(file: str, message: str) -> ScenarioError:
    return ScenarioError([Problem(file, None, "file", message)])


def read_table(
    file: str, raw: bytes, sheets: Sequence[str], max_rows: int, max_columns: int
) -> Table:
    """The table of a workbook (the first sheet named in `sheets`, compared
    without case; a workbook of one sheet: that sheet) or of a CSV file (by
    the name's ending). ScenarioError when the file cannot be a table at all."""
    if len(raw) > MAX_TABLE_BYTES:
        raise _fail(file, f"larger than {MAX_TABLE_BYTES // (1024 * 1024)} MB")
    if file.lower().endswith(".csv"):
        return _csv(file, raw, max_rows, max_columns)
    return _xlsx(file, raw, sheets, max_rows, max_columns)


def _xlsx(file: str, raw: bytes, sheets: Sequence[str], max_rows: int, max_columns: int) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            unpacked = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise _fail(file, "not an XLSX workbook (save it as .xlsx, or as CSV UTF-8)") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _fail(file, f"unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB")
    try:
        # Not read-only: merged cells are only known to a fully loaded sheet;
        # the size checks above bound what that costs. Formulas are kept as
        # formulas (not their cached values) so that they can be refused.
        book = load_workbook(io.BytesIO(raw), data_only=False)
    except Exception as e:  # openpyxl raises many kinds for broken parts
        raise _fail(file, f"not a readable XLSX workbook ({type(e).__name__})") from None
    wanted = {s.casefold() for s in sheets}
    found = [ws for ws in book.worksheets if ws.title.casefold() in wanted]
    if not found and len(book.worksheets) == 1:
        found = book.worksheets
    if not found:
        names = ", ".join(repr(ws.title) for ws in book.worksheets)
        raise _fail(file, f"no sheet named {sheets[0]!r} (sheets: {names})")
    ws = found[0]
    table = Table(file, ws.title, [])
    if ws.max_row > max_rows + 1:
        table.problem(1, 0, "sheet", f"{ws.max_row} rows; at most {max_rows} injects a sheet")
        return table
    if ws.max_column > max_columns:
        table.problem(1, 0, "sheet", f"{ws.max_column} columns; at most {max_columns}")
        return table
    for merged in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        message = f"merged cells {merged.coord!r}; unmerge them (one value a cell)"
        table.problem(merged.min_row, merged.min_col - 1, "cells", message)
        table.bad.update((r, c - 1) for r, c in merged.cells)
    for row in ws.iter_rows():
        values: list[Any] = []
        number = int(row[0].row or 0) if row else 0
        for i, cell in enumerate(row):
            value = cell.value
            if cell.data_type == "f":
                formula = str(getattr(value, "text", value))[:40]
                table.problem(
                    number, i, "cells", f"a formula ({formula!r}); enter the value itself"
                )
                table.bad.add((number, i))
                value = None
            values.append(value)
        if row:
            table.rows.append((number, values))
    return table


def _csv(file: str, raw: bytes, max_rows: int, max_columns: int) -> Table:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise ScenarioError([Problem(file, f"row {line}", "file",
                                     f"not UTF-8 text (byte 0x{raw[e.start]:02x}); "
                                     "save it as CSV UTF-8")]) from None  # fmt: skip
    first = text.split("\n", 1)[0]
    # German Excel writes ';', others ',': the separator is the one the header uses most.
    delimiter = max((";", ",", "\t"), key=first.count)
    table = Table(file, None, [])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Rows are counted as records, as a spreadsheet opening the file numbers
    # them (a quoted cell may span lines).
    number = 0
    try:
        for number, values in enumerate(reader, 1):
            if number > max_rows + 1:
                table.problem(number, None, "file", f"more than {max_rows} rows")
                break
            if len(values) > max_columns:
                table.problem(number, None, "row", f"{len(values)} columns; at most {max_columns}")
                continue
            table.rows.append((number, list(values)))
    except csv.Error as e:
        table.problem(number + 1, None, "csv", str(e))
    return table
