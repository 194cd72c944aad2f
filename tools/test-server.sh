#!/usr/bin/env bash
# `swiftlet serve` tests (Tests/ServerTests, pytest) against the self-contained static
# binary that tools/build-static.sh builds and checks: real processes on temporary Unix
# sockets and ephemeral loopback ports, the official openai and ollama Python clients,
# prometheus_client's parser. Needs the models of tools/setup.sh and the OCR samples.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"
PY="${SWIFTLET_VENV:-$REPO/.venv}/bin/python"
export SWIFTLET_OCR_SAMPLES="${SWIFTLET_OCR_SAMPLES:-$REPO/../shared/ocr-samples}"
bash tools/build-static.sh
export SWIFTLET_BIN="$REPO/.build-static/swiftlet"
"$PY" -m pytest -q -p no:cacheprovider Tests/ServerTests
bash tools/test-go-sidecar.sh   # pure-Go client + supervisor (CGO_ENABLED=0) against the same binary
