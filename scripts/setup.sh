#!/usr/bin/env bash
# Set up the development environment: .tools/ (uv, pinned) and .venv/ (project + all groups).
# Idempotent: safe to run repeatedly; only does work when something is missing or stale.
# Needs only python3 (with venv and pip) and access to PyPI.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

UV_VERSION="0.13.9"

export UV_PYTHON_DOWNLOADS=never
if [[ -z "${SSL_CERT_FILE:-}" && -f /etc/ssl/certs/ca-certificates.crt ]]; then
    export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
fi

# uv lives in its own venv, outside the .venv it syncs.
uv_found="$(.tools/bin/uv --version 2>/dev/null || true)"
if [[ "$uv_found" != "uv ${UV_VERSION}" && "$uv_found" != "uv ${UV_VERSION} "* ]]; then
    rm -rf .tools
    log="$(mktemp)"
    if ! { python3 -m venv .tools && .tools/bin/pip install --quiet "uv==${UV_VERSION}"; } >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "setup.sh: failed to install uv ${UV_VERSION} into .tools/" >&2
        exit 1
    fi
    rm -f "$log"
fi

# Creates/updates .venv exactly as pinned in uv.lock (fails if uv.lock is out of date).
.tools/bin/uv sync --quiet --locked --all-groups --all-extras --python python3
