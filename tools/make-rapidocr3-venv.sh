#!/usr/bin/env bash
# Makes (or remakes when the pins change) <repo>/.venv-rapidocr3: RapidOCR 3.10.0, the
# reference golden/ppocrv6 is made with (tools/golden.py ppocrv6), pinned in
# tools/requirements.d/rapidocr3.venv and kept out of the main .venv, where RapidOCR 1.4.4
# (rapidocr-onnxruntime) is the reference of golden/ocr. Prints the venv's python.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/pinned-venv.sh
pinned_venv "${SWIFTLET_RAPIDOCR3_VENV:-$PWD/.venv-rapidocr3}" "$PWD/tools/requirements.d/rapidocr3.venv" "rapidocr==3.10.0"
