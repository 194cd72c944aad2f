#!/usr/bin/env bash
# Makes (or remakes when the pins change) <repo>/.venv-scale: Ray Data for the scale-out
# recipe (examples/ray_backfill.py), pinned in tools/requirements.d/scale-out.venv, kept out
# of the main .venv so Ray's pins cannot move the converter's. Prints the venv's python.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV="${SWIFTLET_SCALE_VENV:-$PWD/.venv-scale}"
PINS="$PWD/tools/requirements.d/scale-out.venv"
if [[ ! -x "$VENV/bin/python" ]] || ! cmp -s "$PINS" "$VENV/.pins"; then
    echo "== making $VENV (ray[data], pinned in $PINS)" >&2
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$PINS" >&2
    cp "$PINS" "$VENV/.pins"
fi
echo "$VENV/bin/python"
