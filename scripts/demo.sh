#!/usr/bin/env bash
# Set up and run the example scenario; writes the timeline report to timeline.html.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh

scenario="scenarios/example/scenario.yaml"
if [[ ! -f "$scenario" ]]; then
    echo "demo.sh: $scenario not found" >&2
    exit 1
fi

.venv/bin/tabletop run "$scenario" --html timeline.html

echo "Timeline written to $(pwd)/timeline.html"
