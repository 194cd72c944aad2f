#!/usr/bin/env bash
# Installs into a temporary prefix (tools/install.sh) and builds the C and Go examples
# against it only: compiler and linker flags from pkg-config (PKG_CONFIG_PATH = the
# prefix's lib/pkgconfig, no CGO_* flags), the library found at run time through
# LD_LIBRARY_PATH = the prefix's lib. Both must print the same lines, with RapidOCR's
# text for the sample image; the installed CLI must run.
#
#   tools/test-install.sh [--lib PATH] [--bin PATH]     (passed on to tools/install.sh)
# Needs the models of tools/setup.sh and $SWIFTLET_OCR_SAMPLES; tools/test-clients.sh runs it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"
MODELS="${SWIFTLET_MODELS:-$REPO/models}"
SAMPLES="${SWIFTLET_OCR_SAMPLES:-$REPO/../shared/ocr-samples}"
PY="${SWIFTLET_VENV:-$REPO/.venv}/bin/python"
WORK="$(mktemp -d /tmp/swiftlet-install-test.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
PREFIX="$WORK/prefix"

bash tools/install.sh --prefix "$PREFIX" "$@"
MAJOR="$(sed -n 's/^#define SWIFTLET_ABI_VERSION_MAJOR \([0-9][0-9]*\)$/\1/p' include/swiftlet.h)"
MINOR="$(sed -n 's/^#define SWIFTLET_ABI_VERSION_MINOR \([0-9][0-9]*\)$/\1/p' include/swiftlet.h)"
[[ "$(readlink "$PREFIX/lib/libswiftlet.so")" == "libswiftlet.so.$MAJOR" ]] || { echo "test-install: lib/libswiftlet.so is not a link to libswiftlet.so.$MAJOR" >&2; exit 1; }

export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
unset CGO_CFLAGS CGO_LDFLAGS CPATH LIBRARY_PATH LD_LIBRARY_PATH
[[ "$(pkg-config --modversion swiftlet)" == "$MAJOR.$MINOR" ]] || { echo "test-install: pkg-config --modversion swiftlet is not $MAJOR.$MINOR" >&2; exit 1; }
echo "test-install: pkg-config swiftlet: $(pkg-config --cflags --libs swiftlet)"

ARGS=("$MODELS/all-MiniLM-L6-v2.swl" "$MODELS/ppocrv4-det.swl" "$MODELS/ppocrv4-rec.swl" "$MODELS/ppocr-cls-v2.swl" "$SAMPLES/ch_doc_server.png")
# shellcheck disable=SC2046  # pkg-config's output is meant to split into flags
cc -std=c99 -Wall -Wextra -Werror clients/c/example.c -o "$WORK/example-c" $(pkg-config --cflags --libs swiftlet)
(
    cd clients/go
    # A cache of its own: go's build cache does not key a cgo package on pkg-config's
    # output, so a shared one hands back a package linked for an earlier (deleted) prefix.
    export GOCACHE="$WORK/go-cache" GOPATH="${GOPATH:-$REPO/.build/gopath}" GOPROXY=off GOFLAGS=-mod=mod
    go build -o "$WORK/example-go" ./example
)
# Each program records the versioned soname, and the loader finds it in the prefix.
# (Outputs are captured first: `grep -q` closing a pipe early fails it under pipefail.)
for exe in example-c example-go; do
    dynamic="$(readelf -d "$WORK/$exe")"
    grep -qF "Shared library: [libswiftlet.so.$MAJOR]" <<< "$dynamic" || { echo "test-install: $exe does not need libswiftlet.so.$MAJOR" >&2; exit 1; }
    loaded="$(LD_LIBRARY_PATH="$PREFIX/lib" ldd "$WORK/$exe")"
    grep -qF "libswiftlet.so.$MAJOR => $PREFIX/lib/libswiftlet.so.$MAJOR" <<< "$loaded" || { echo "test-install: $exe does not load the prefix's library:" >&2; echo "$loaded" >&2; exit 1; }
done
LD_LIBRARY_PATH="$PREFIX/lib" "$WORK/example-c" "${ARGS[@]}" > "$WORK/c.txt"
LD_LIBRARY_PATH="$PREFIX/lib" "$WORK/example-go" "${ARGS[@]}" > "$WORK/go.txt"
cat "$WORK/c.txt"
cmp "$WORK/c.txt" "$WORK/go.txt"
WANT="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["lines"][0]["text"])' golden/ocr/pipeline/ch_doc_server.png.json)"
grep -qF " $WANT " "$WORK/c.txt" || { echo "test-install: the examples did not read '$WANT'" >&2; exit 1; }
grep -q '^embedding: 384 floats' "$WORK/c.txt" || { echo "test-install: no embedding line" >&2; exit 1; }
"$PREFIX/bin/swiftlet" --version
echo "test-install: C and Go examples built and ran against $PREFIX through pkg-config"
