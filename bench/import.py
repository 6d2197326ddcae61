"""Import benchmark: a generated 10,000-asset BIA workbook read and validated.

    .venv/bin/python bench/import.py [--sizes 1000,10000] [--repeat 3]

For each size a company is generated (`simulator.model.generate`, layered: sites,
utilities, IT, data, applications, processes), validated, and written as a
BIA workbook with `simulator.readwrite.bia_write` (not timed). Then, side by
side in the same run, best of `--repeat`:

- **bare read**: openpyxl opens the same bytes read-only and iterates every
  value of every sheet (the least any XLSX reader does);
- **import**: `bia_read.read_xlsx` + `company_of`, i.e. the bounds check of
  the zip, the cells, every column's conversion, the locator, the one
  loading seam (schema and cross-references) -> a validated `Company`.

The ratio import / bare read is what to watch on a shared, noisy machine;
the goal (issue 12) is an import under 10 s at 10,000 assets. No assertions.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402

from simulator.model.gcpause import paused_gc  # noqa: E402
from simulator.model.generate import generate  # noqa: E402
from simulator.readwrite.bia_read import company_of, read_xlsx  # noqa: E402
from simulator.readwrite.bia_write import company_rows, write_xlsx  # noqa: E402
from simulator.readwrite.build import Source, company_from_data  # noqa: E402

GOAL_S = 10.0


@paused_gc()  # as the import does: the ratio compares like with like
def bare_read(raw: bytes) -> int:
    book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    cells = 0
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
    book.close()
    return cells


def best(repeat: int, run) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    largest = 0.0
    for size in (int(s) for s in args.sizes.split(",")):
        data, _ = generate(size, seed=1)
        company = company_from_data(Source("generated", data, from_file=False))
        raw = write_xlsx(company_rows(company), "de")
        assert company_of(read_xlsx(raw, "bench.xlsx")) == company  # the import is right
        rows = sum(len(v) for v in company_rows(company).values())
        bare = best(args.repeat, lambda raw=raw: bare_read(raw))
        full = best(args.repeat, lambda raw=raw: company_of(read_xlsx(raw, "bench.xlsx")))
        largest = full if size == max(int(s) for s in args.sizes.split(",")) else largest
        print(f"{size:>7} assets  {len(raw) / 1e6:5.1f} MB xlsx  {rows:>7} rows   "
              f"bare read {bare:6.2f} s   import {full:6.2f} s   "
              f"ratio {full / bare:4.1f}x")  # fmt: skip
    verdict = "met" if largest < GOAL_S else "MISSED"
    print(f"goal: the largest workbook imports and validates in under {GOAL_S:g} s: "
          f"{largest:.2f} s, {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
