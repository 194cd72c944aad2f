#!/usr/bin/env bash
# One command from a fresh clone to the main job: install, convert the default models,
# build, embed a few sentences with all-MiniLM-L6-v2 and OCR a sample image with
# PP-OCRv5 (one JSON object per line).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/install-deps.sh
bash tools/setup.sh
swift build -c release
.build/release/swiftlet embed --model all-MiniLM-L6-v2 \
    "Swiftlet runs sentence embedders on the CPU." \
    "A pure-Swift inference engine with a C ABI." \
    "The weather is lovely today." | cut -c1-120
samples="${SWIFTLET_OCR_SAMPLES:-../shared/ocr-samples}"
if [[ -f "$samples/ch_en_num.jpg" ]]; then
    .build/release/swiftlet ocr "$samples/ch_en_num.jpg"
else
    echo "demo: no OCR sample image at $samples (set SWIFTLET_OCR_SAMPLES); skipping the OCR demo" >&2
fi
# The same model through the C ABI (libswiftlet.so, docs/C-ABI.md).
bash tools/build-lib.sh
gcc -std=c99 -Iinclude clients/c/example.c -o .build/c-abi-example -L.build/release -lswiftlet -Wl,-rpath,"$PWD/.build/release"
.build/c-abi-example "${SWIFTLET_MODELS:-models}/all-MiniLM-L6-v2.swl"
