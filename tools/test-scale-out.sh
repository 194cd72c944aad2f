#!/usr/bin/env bash
# The scale-out recipe (examples/ray_backfill.py) on a local 2-CPU Ray cluster: every vector
# and every OCR line equal to one process's. Ray lives in its own venv, <repo>/.venv-scale
# (tools/make-scale-venv.sh), with the swiftlet wheel installed. Needs libswiftlet.so (tools/build-lib.sh), the models of tools/setup.sh and the OCR
# samples in $SWIFTLET_OCR_SAMPLES. tools/test.sh runs this after the client tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"
export SWIFTLET_OCR_SAMPLES="${SWIFTLET_OCR_SAMPLES:-$REPO/../shared/ocr-samples}"
export SWIFTLET_MODELS="${SWIFTLET_MODELS:-$REPO/models}"

PY="$(bash tools/make-scale-venv.sh)"

# As a cluster node has it: the wheel (libswiftlet.so inside) installed in the venv, no
# SWIFTLET_LIB, no source tree on the path.
BIN="$(swift build -c release --show-bin-path)"
LIB="$BIN/libswiftlet.so"
[[ -f "$LIB" ]] || { echo "test-scale-out: $LIB is missing: run tools/build-lib.sh" >&2; exit 1; }
WHEEL="$(bash tools/build-wheel.sh --lib "$LIB" --out "$REPO/.build/wheels" | tail -1)"
"$PY" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall "$WHEEL"
unset SWIFTLET_LIB PYTHONPATH
# Ray's own telemetry and dashboard stay off: nothing here may reach the network.
export RAY_USAGE_STATS_ENABLED=0 RAY_DISABLE_DOCKER_CPU_WARNING=1

echo "== Ray Data and Spark backfills (examples/) vs one process"
"$PY" -m pytest -q -p no:cacheprovider -s examples/test_ray_backfill.py examples/test_spark_backfill.py
