#!/usr/bin/env bash
# Makes (or remakes when the pins change) <repo>/.venv-scale: Ray Data for the scale-out
# recipe (examples/ray_backfill.py), pinned in tools/requirements.d/scale-out.venv, kept out
# of the main .venv so Ray's pins cannot move the converter's. Prints the venv's python.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/pinned-venv.sh
pinned_venv "${SWIFTLET_SCALE_VENV:-$PWD/.venv-scale}" "$PWD/tools/requirements.d/scale-out.venv" "ray[data]"
