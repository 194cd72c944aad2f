#!/usr/bin/env bash
# Builds libswiftlet.so and runs the C ABI's client tests against it:
#   the library's dependencies and exported symbols, the header as C99 and C++,
#   the C tests (natively over the whole golden corpus and OCR reference runs, then
#   under valgrind: no memory errors, no leaks), the examples of the README and
#   docs/C-ABI.md in C, Python and Go, the Python ctypes tests (pytest) and the Go cgo
#   tests (go test -race); then the same Python tests against the wheel installed in a
#   fresh venv (tools/test-wheel.sh) and the C and Go examples built against an install
#   prefix through pkg-config (tools/test-install.sh). tools/test.sh runs this after the
#   Swift tests.
# Needs the models of tools/setup.sh, the packages of tools/install-deps.sh and the OCR
# sample images in $SWIFTLET_OCR_SAMPLES (default ../shared/ocr-samples; missing = failure).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"

bash tools/build-lib.sh
swift build -c release --product swiftlet   # the CLI, whose OCR JSON the Python tests compare with
BIN="$(swift build -c release --show-bin-path)"
LIB="$BIN/libswiftlet.so"
OUT="$REPO/.build/clients"
MODELS="${SWIFTLET_MODELS:-$REPO/models}"
PY="${SWIFTLET_VENV:-$REPO/.venv}/bin/python"
export SWIFTLET_OCR_SAMPLES="${SWIFTLET_OCR_SAMPLES:-$REPO/../shared/ocr-samples}"
[[ -d "$SWIFTLET_OCR_SAMPLES" ]] || { echo "test-clients: SWIFTLET_OCR_SAMPLES=$SWIFTLET_OCR_SAMPLES is not a directory (the OCR sample images)" >&2; exit 1; }
SAMPLES="$SWIFTLET_OCR_SAMPLES"
mkdir -p "$OUT"
# Each section prints the previous one's wall time, so a slow CI log shows where it went.
SECTION_T0=0 SECTION_NAME="build (libswiftlet.so, the CLI, fixtures)"  # from the script's start
section() {
    echo "test-clients: $(( SECONDS - SECTION_T0 ))s  $SECTION_NAME" >&2
    SECTION_T0=$SECONDS SECTION_NAME="$1"
    echo "== $1"
}
GRAPH="$OUT/graph.swl"
# The Go binding finds header and library through pkg-config: a swiftlet.pc for this tree.
bash tools/write-pc.sh "$OUT/pkgconfig/swiftlet.pc" "$REPO/include" "$BIN"
PYTHONPATH="$REPO/tools" python3 clients/fixtures/make_graph_swl.py "$GRAPH"

section "libswiftlet.so: dependencies and exports"
python3 clients/c/check_library.py "$LIB" include/swiftlet.h
python3 clients/check_examples.py "$REPO"

section "C"
STRICT=(-Wall -Wextra -Werror -pedantic)
gcc -std=c99 "${STRICT[@]}" -Iinclude -c clients/c/header_check.c -o "$OUT/header_check.o"
g++ -x c++ -std=c++11 "${STRICT[@]}" -Iinclude -c clients/c/header_check.c -o "$OUT/header_check_cxx.o"
LINK=(-L"$BIN" -lswiftlet -Wl,-rpath,"$BIN")
gcc -std=c99 "${STRICT[@]}" -O1 -g -Iinclude clients/c/test_swiftlet.c clients/c/golden_io.c -o "$OUT/test_swiftlet" "${LINK[@]}" -lpthread -lm
gcc -std=c99 "${STRICT[@]}" -O1 -g -Iinclude clients/c/test_ocr.c clients/c/golden_io.c -o "$OUT/test_ocr" "${LINK[@]}" -lpthread -lm -lpng16
gcc -std=c99 "${STRICT[@]}" -O1 -g -Iinclude clients/c/test_clip.c clients/c/golden_io.c -o "$OUT/test_clip" "${LINK[@]}" -lm
gcc -std=c99 "${STRICT[@]}" -Iinclude clients/c/example.c -o "$OUT/example" "${LINK[@]}"
"$OUT/test_swiftlet" "$MODELS" golden "$GRAPH"
"$OUT/test_ocr" "$MODELS" golden "$SAMPLES"
"$OUT/test_clip" "$MODELS" golden "$SAMPLES"

section "examples (README / docs/C-ABI.md): C, Python, Go"
EXAMPLE_ARGS=("$MODELS/all-MiniLM-L6-v2.swl" "$MODELS/ppocrv4-det.swl" "$MODELS/ppocrv4-rec.swl" "$MODELS/ppocr-cls-v2.swl" "$SAMPLES/ch_doc_server.png")
"$OUT/example" "${EXAMPLE_ARGS[@]}" > "$OUT/example-c.txt"
SWIFTLET_LIB="$LIB" "$PY" clients/python/example.py "${EXAMPLE_ARGS[@]}" > "$OUT/example-python.txt"
(
    cd clients/go
    export PKG_CONFIG_PATH="$OUT/pkgconfig" CGO_LDFLAGS="-Wl,-rpath,$BIN"
    export GOCACHE="${GOCACHE:-$REPO/.build/go-cache}" GOPATH="${GOPATH:-$REPO/.build/gopath}" GOPROXY=off GOFLAGS=-mod=mod
    go run ./example "${EXAMPLE_ARGS[@]}" > "$OUT/example-go.txt"
)
cat "$OUT/example-c.txt"
# The three print the same lines, and the OCR line is RapidOCR's text for the image.
cmp "$OUT/example-c.txt" "$OUT/example-python.txt"
cmp "$OUT/example-c.txt" "$OUT/example-go.txt"
WANT="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["lines"][0]["text"])' golden/ocr/pipeline/ch_doc_server.png.json)"
grep -qF " $WANT " "$OUT/example-c.txt" || { echo "test-clients: the examples did not read '$WANT'" >&2; exit 1; }

section "C under valgrind (every call and error path, first corpus texts)"
# Leaks that count: definitely and indirectly lost. "Still reachable" blocks are the
# Swift runtime's process-lifetime caches (type metadata, the handle table), freed by exit.
valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect \
    "$OUT/test_swiftlet" "$MODELS" golden "$GRAPH" --quick
section "C OCR under valgrind (every call and error path; one recognised line: ~30 s under valgrind)"
valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect \
    "$OUT/test_ocr" "$MODELS" golden "$SAMPLES" --quick

section "C CLIP under valgrind (every call and error path; four texts and one golden image)"
valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect \
    "$OUT/test_clip" "$MODELS" golden "$SAMPLES" --quick

section "Python"
SWIFTLET_LIB="$LIB" SWIFTLET_MODELS="$MODELS" SWIFTLET_CLI="$BIN/swiftlet" "$PY" -m pytest -q -p no:cacheprovider clients/python

section "Go"
(
    cd clients/go
    export PKG_CONFIG_PATH="$OUT/pkgconfig" CGO_LDFLAGS="-Wl,-rpath,$BIN"
    export GOCACHE="${GOCACHE:-$REPO/.build/go-cache}" GOPATH="${GOPATH:-$REPO/.build/gopath}" GOPROXY=off GOFLAGS=-mod=mod
    # The cgo binding and its example; the pure-Go sidecar package has its own script
    # (tools/test-go-sidecar.sh, run from tools/test-server.sh against the static binary).
    go vet ./swiftlet/... ./example/...
    # -race: the race detector watches the Go side (8 goroutines on one handle); cgo
    # calls into the library are outside its view.
    SWIFTLET_MODELS="$MODELS" go test -race -count=1 ./swiftlet/... ./example/...
)

section "Python wheel: installed into a fresh venv, the tests above against the package"
SWIFTLET_MODELS="$MODELS" SWIFTLET_CLI="$BIN/swiftlet" bash tools/test-wheel.sh --lib "$LIB"

section "install prefix: C and Go examples built through pkg-config against it only"
SWIFTLET_MODELS="$MODELS" bash tools/test-install.sh --lib "$LIB" --bin "$BIN/swiftlet"
echo "test-clients: $(( SECONDS - SECTION_T0 ))s  $SECTION_NAME" >&2
echo "test-clients: all client tests passed"
