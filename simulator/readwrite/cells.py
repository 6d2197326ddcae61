"""Locating problems in tabular sources: workbooks and CSV files.

A reader of a table builds the company's data row by row and, for every value
it puts at a path of the data, notes where it came from (`BIA!C12`, `row 12`)
and what the author calls it (the column header). Problems found later by the
one seam (`simulator.readwrite.build`) are then reported at that cell, named
by that header: `bia.xlsx:BIA!C12: RTO: not a duration: '4 Stunden'`.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.model.validation import Loc, render_loc
from simulator.readwrite.build import Where


class Cells:
    """A `Locator` for tables: paths of the data mapped to cells or rows."""

    def __init__(self) -> None:
        self._where: dict[Loc, tuple[str, str]] = {}
        self._duplicates: list[tuple[Loc, Where, str]] = []

    def put(self, path: Loc, where: str, field: str) -> None:
        """The value at `path` came from `where` (a cell or row) of column `field`.

        Note every column of a row, filled or not, and the row itself (its
        first cell): a missing value is then reported at its own empty cell."""
        self._where[tuple(path)] = (where, field)

    def duplicate(self, path: Loc, where: str, message: str) -> None:
        """A row the data no longer shows (it was merged into, or replaced by,
        an earlier one), reported with the others."""
        self._duplicates.append((tuple(path), where, message))

    def _nearest(self, path: Sequence[str | int]) -> tuple[Loc, tuple[str, str]] | None:
        for end in range(len(path), -1, -1):
            found = self._where.get(tuple(path[:end]))
            if found is not None:
                return tuple(path[:end]), found
        return None

    def line(self, path: Sequence[str | int]) -> Where:
        """The cell of the value at `path`, or of the nearest part above it."""
        found = self._nearest(path)
        return None if found is None else found[1][0]

    def field(self, path: Loc) -> str:
        """The column's header where the path is a column; else the path."""
        found = self._nearest(path)
        if found is not None and found[0] == tuple(path):
            return found[1][1]
        return render_loc(path)

    def duplicate_keys(self) -> list[tuple[Loc, Where, str]]:
        return list(self._duplicates)
