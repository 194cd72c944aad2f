#!/usr/bin/env bash
# The scale-out recipe (examples/ray_backfill.py) on a local 2-CPU Ray cluster: every vector
# and every OCR line equal to one process's. Ray lives in its own venv, <repo>/.venv-scale
# (tools/make-scale-venv.sh). Needs libswiftlet.so (tools/build-lib.sh), the models of tools/setup.sh and the OCR
# samples in $SWIFTLET_OCR_SAMPLES. tools/test.sh runs this after the client tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"
export SWIFTLET_OCR_SAMPLES="${SWIFTLET_OCR_SAMPLES:-$REPO/../shared/ocr-samples}"
export SWIFTLET_MODELS="${SWIFTLET_MODELS:-$REPO/models}"

PY="$(bash tools/make-scale-venv.sh)"

BIN="$(swift build -c release --show-bin-path)"
export SWIFTLET_LIB="${SWIFTLET_LIB:-$BIN/libswiftlet.so}"
[[ -f "$SWIFTLET_LIB" ]] || { echo "test-scale-out: $SWIFTLET_LIB is missing: run tools/build-lib.sh" >&2; exit 1; }
export PYTHONPATH="$REPO/clients/python${PYTHONPATH:+:$PYTHONPATH}"
# Ray's own telemetry and dashboard stay off: nothing here may reach the network.
export RAY_USAGE_STATS_ENABLED=0 RAY_DISABLE_DOCKER_CPU_WARNING=1

echo "== Ray Data and Spark backfills (examples/) vs one process"
"$PY" -m pytest -q -p no:cacheprovider -s examples/test_ray_backfill.py examples/test_spark_backfill.py
