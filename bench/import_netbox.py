"""NetBox import benchmark: the demo data (v3.6) from bytes to a validated company.

    .venv/bin/python bench/import_netbox.py [--fixture PATH] [--repeat 5]

Times, best of `--repeat`, side by side in one run:

- **json.loads** of the fixture's bytes (the floor any reader pays);
- **import**: `parse_fixture` (json.loads plus the records) + `import_netbox`
  (mapping, and the one seam: schema and cross-reference checks);
- **API import**: the same from the REST API's lists (`inventory_from_api`
  on pages built from the fixture, no HTTP), so the two paths compare.

Goal (issue 12): the demo data imports in under 3 s. Read the ratio to
json.loads: the machine is shared and noisy, the ratio less so.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:  # run as a script from anywhere
        sys.path.insert(0, str(path))

from netbox_api_server import api_lists  # noqa: E402

from simulator.readwrite.netbox import import_netbox, parse_fixture  # noqa: E402
from simulator.readwrite.netbox_api import ENDPOINTS  # noqa: E402
from simulator.readwrite.netbox_fixture import inventory_from_api  # noqa: E402

DEMO = ROOT.parent / "shared" / "data" / "netbox" / "netbox-demo-v3.6.json"
GOAL_S = 3.0


def best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", type=Path, default=DEMO)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.fixture.exists():
        sys.exit(f"no fixture at {args.fixture} (give --fixture)")
    raw = args.fixture.read_bytes()
    name = args.fixture.name
    loads, _ = best(args.repeat, lambda: json.loads(raw))
    imported, result = best(args.repeat, lambda: import_netbox(parse_fixture(raw, name), name))
    lists = api_lists(json.loads(raw))
    pages = {model: lists[path] for model, path in ENDPOINTS.items()}
    api, _ = best(args.repeat, lambda: import_netbox(inventory_from_api(pages, "api"), "api"))
    print(f"fixture: {args.fixture} ({len(raw) / 1e6:.1f} MB), "
          f"{len(result.company.assets)} assets")  # fmt: skip
    print(f"json.loads          {loads * 1000:8.1f} ms")
    print(f"import (fixture)    {imported * 1000:8.1f} ms   {imported / loads:5.1f}x json.loads")
    print(f"import (API lists)  {api * 1000:8.1f} ms")
    verdict = "met" if imported < GOAL_S else "MISSED"
    print(f"goal: demo data imports in < {GOAL_S:g} s: {imported:.2f} s, {verdict}")


if __name__ == "__main__":
    main()
