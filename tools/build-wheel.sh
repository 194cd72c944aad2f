#!/usr/bin/env bash
# Builds the swiftlet Python wheel (clients/python) with libswiftlet.so bundled inside it.
#
#   tools/build-wheel.sh [--lib PATH] [--out DIR]
#     --lib  the library to bundle (default .build/release/libswiftlet.so, from tools/build-lib.sh)
#     --out  where the wheel goes (default .build/wheels); prints the wheel's path last
#
# Tag py3-none-linux_x86_64: the package is pure Python over ctypes (any Python 3.9+), but
# the bundled library is x86-64 Linux code. Not manylinux: the library needs OpenBLAS,
# libpng and libjpeg from the system, which the manylinux policies do not allow a wheel to
# assume; the package checks for them at import and names the apt package if one is missing.
# It also needs glibc >= 2.35 (the newest GLIBC_ symbol version it uses; printed below).
# Builds offline with the venv's setuptools (>= 70.1 writes wheels itself).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"
LIB="$REPO/.build/release/libswiftlet.so"
OUT="$REPO/.build/wheels"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --lib) LIB="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        *) echo "usage: tools/build-wheel.sh [--lib PATH] [--out DIR]" >&2; exit 64 ;;
    esac
done
PY="${SWIFTLET_VENV:-$REPO/.venv}/bin/python"
[[ -f "$LIB" ]] || { echo "build-wheel: $LIB is missing: run tools/build-lib.sh (or pass --lib)" >&2; exit 1; }
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

# Build from a copy, so the source tree gets no build/, *.egg-info or bundled library.
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp clients/python/pyproject.toml clients/python/README.md "$STAGE/"
mkdir -p "$STAGE/swiftlet/lib"
cp clients/python/swiftlet/*.py clients/python/swiftlet/py.typed "$STAGE/swiftlet/"
cp "$LIB" "$STAGE/swiftlet/lib/libswiftlet.so"

rm -f "$OUT"/swiftlet-*.whl
(cd "$STAGE" && "$PY" -c '
import sys
from setuptools import build_meta
name = build_meta.build_wheel(sys.argv[1], config_settings={"--build-option": ["--plat-name", "linux_x86_64"]})
print(name)
' "$OUT" > "$STAGE/wheel-name" 2> "$STAGE/build.log") || { cat "$STAGE/build.log" >&2; exit 1; }
WHEEL="$OUT/$(tail -n 1 "$STAGE/wheel-name")"
GLIBC="$(objdump -T "$LIB" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)"
echo "build-wheel: bundled $LIB ($(du -h "$LIB" | cut -f1)); needs ${GLIBC/_/ }+, libopenblas.so.0, libpng16.so.16, libjpeg.so.62" >&2
echo "$WHEEL"
