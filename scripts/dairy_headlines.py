"""Print the dairy's headline table (scenarios/README.md, `dairy-headlines`)
from plain runs of the six scenarios, in the README's format:

    .venv/bin/python scripts/dairy_headlines.py

Paste the rows between the markers; `tests/test_dairy.py` asserts them.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_dairy import NAMES, bundle, headline, marked_table, plain_run  # noqa: E402


def main() -> None:
    header = list(marked_table("dairy-headlines")[0])
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name in NAMES:
        row = {"scenario": f"`{name}.yaml`", **headline(bundle(name), list(plain_run(name)))}
        row["process"] = f"`{row['process']}`"
        print("| " + " | ".join(row[h] for h in header) + " |")


if __name__ == "__main__":
    main()
