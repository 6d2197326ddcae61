#!/usr/bin/env bash
# Set up and run every check: ruff (lint), mypy (types), pytest (2 xdist workers).
# Extra arguments are passed to pytest, e.g. `bash scripts/test.sh -k scenario`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh

lint_dirs=()
for d in simulator web tests bench notebooks; do
    [[ -d "$d" ]] && lint_dirs+=("$d")
done
.venv/bin/ruff check "${lint_dirs[@]}"

.venv/bin/mypy simulator web

.venv/bin/pytest -n 2 -q "$@"
