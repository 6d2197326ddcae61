"""Print the dairy's headline table (scenarios/README.md, `<!-- dairy-headlines -->`)
from plain runs; `--write` replaces the table in the README.

    .venv/bin/python scripts/dairy_headlines.py [--write]

The figures come from `headline()` in tests/test_dairy.py, the function the
test asserts the table with, so the printed table is what the test expects.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_dairy import NAMES, README, bundle, headline, plain_run  # noqa: E402

COLUMNS = ["seed", "horizon", "RTO breached", "MTPD breached", "impact EUR",
           "most h below MBCO", "process", "data lost h", "RPO breached"]  # fmt: skip


def table() -> str:
    lines = ["| scenario | " + " | ".join(COLUMNS) + " |", "|" + "---|" * (len(COLUMNS) + 1)]
    for name in NAMES:
        row = headline(bundle(name), list(plain_run(name)))
        cells = [f"`{name}.yaml`"] + [f"`{row[c]}`" if c == "process" else row[c] for c in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    text = table()
    if "--write" in sys.argv:
        readme = README.read_text()
        marker = "<!-- dairy-headlines -->\n"
        new = re.sub(r"(?s)<!-- dairy-headlines -->\n.*?(?=<!-- /dairy-headlines -->)",
                     lambda _m: marker + text, readme)  # fmt: skip
        README.write_text(new)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
