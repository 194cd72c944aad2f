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
# OCR: a real photo from ../shared/ocr-samples when present, else an image the project
# rendered itself (golden/ocr/synthetic, committed), so the demo shows OCR on any clone.
samples="${SWIFTLET_OCR_SAMPLES:-../shared/ocr-samples}"
image="golden/ocr/synthetic/010.png"
[[ -f "$samples/ch_en_num.jpg" ]] && image="$samples/ch_en_num.jpg"
.build/release/swiftlet ocr "$image"
# The same models through the C ABI (libswiftlet.so, docs/C-ABI.md).
bash tools/build-lib.sh
gcc -std=c99 -Iinclude clients/c/example.c -o .build/c-abi-example -L.build/release -lswiftlet -Wl,-rpath,"$PWD/.build/release"
m="${SWIFTLET_MODELS:-models}"
.build/c-abi-example "$m/all-MiniLM-L6-v2.swl" "$m/ppocrv5-det.swl" "$m/ppocrv5-rec.swl" "$m/ppocrv5-cls.swl" "$image"
