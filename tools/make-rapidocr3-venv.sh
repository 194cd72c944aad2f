#!/usr/bin/env bash
# Makes (or remakes when the pins change) <repo>/.venv-rapidocr3: RapidOCR 3.10.0, the
# reference golden/ppocrv6 is made with (tools/golden.py ppocrv6), pinned in
# tools/requirements.d/rapidocr3.venv and kept out of the main .venv, where RapidOCR 1.4.4
# (rapidocr-onnxruntime) is the reference of golden/ocr. Prints the venv's python.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV="${SWIFTLET_RAPIDOCR3_VENV:-$PWD/.venv-rapidocr3}"
PINS="$PWD/tools/requirements.d/rapidocr3.venv"
if [[ ! -x "$VENV/bin/python" ]] || ! cmp -s "$PINS" "$VENV/.pins"; then
    echo "== making $VENV (rapidocr==3.10.0, pinned in $PINS)" >&2
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$PINS" >&2
    cp "$PINS" "$VENV/.pins"
fi
echo "$VENV/bin/python"
