#!/usr/bin/env bash
# Set up and start the live exercise server on the bundled scenarios (embedded
# SQLite in ./tabletop.db, no other service). Open http://127.0.0.1:8000/ and pick
# the reference company (dairy/...) or the small example. Extra arguments go to
# `tabletop serve`, e.g. `bash scripts/demo.sh --port 8080`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh

# Also write the terminal report and timeline of the example, as a first look.
.venv/bin/tabletop run scenarios/example/scenario.yaml --html timeline.html >/dev/null
echo "Example timeline written to $(pwd)/timeline.html"

exec .venv/bin/tabletop serve --demo dairy/blackout.yaml "$@"
