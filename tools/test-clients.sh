#!/usr/bin/env bash
# Builds libswiftlet.so and runs the C ABI's client tests against it:
#   the library's dependencies and exported symbols, the header as C99 and C++,
#   the C test (natively over the whole golden corpus, then under valgrind: no memory
#   errors, no leaks), the C example of docs/C-ABI.md, the Python ctypes tests (pytest)
#   and the Go cgo tests (go test). tools/test.sh runs this after the Swift tests.
# Needs the models of tools/setup.sh and the packages of tools/install-deps.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"

bash tools/build-lib.sh
BIN="$(swift build -c release --show-bin-path)"
LIB="$BIN/libswiftlet.so"
OUT="$REPO/.build/clients"
MODELS="${SWIFTLET_MODELS:-$REPO/models}"
PY="${SWIFTLET_VENV:-$REPO/.venv}/bin/python"
mkdir -p "$OUT"
GRAPH="$OUT/graph.swl"
python3 clients/fixtures/make_graph_swl.py "$GRAPH"

echo "== libswiftlet.so: dependencies and exports"
python3 clients/c/check_library.py "$LIB" include/swiftlet.h

echo "== C"
STRICT=(-Wall -Wextra -Werror -pedantic)
gcc -std=c99 "${STRICT[@]}" -Iinclude -c clients/c/header_check.c -o "$OUT/header_check.o"
g++ -x c++ -std=c++11 "${STRICT[@]}" -Iinclude -c clients/c/header_check.c -o "$OUT/header_check_cxx.o"
LINK=(-L"$BIN" -lswiftlet -Wl,-rpath,"$BIN")
gcc -std=c99 "${STRICT[@]}" -O1 -g -Iinclude clients/c/test_swiftlet.c clients/c/golden_io.c -o "$OUT/test_swiftlet" "${LINK[@]}" -lpthread -lm
gcc -std=c99 "${STRICT[@]}" -Iinclude clients/c/example.c -o "$OUT/example" "${LINK[@]}"
"$OUT/test_swiftlet" "$MODELS" golden "$GRAPH"
"$OUT/example" "$MODELS/all-MiniLM-L6-v2.swl"

echo "== C under valgrind (every call and error path, first corpus texts)"
# Leaks that count: definitely and indirectly lost. "Still reachable" blocks are the
# Swift runtime's process-lifetime caches (type metadata, the handle table), freed by exit.
valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect \
    "$OUT/test_swiftlet" "$MODELS" golden "$GRAPH" --quick

echo "== Python"
SWIFTLET_LIB="$LIB" SWIFTLET_MODELS="$MODELS" "$PY" -m pytest -q -p no:cacheprovider clients/python

echo "== Go"
(
    cd clients/go
    export CGO_CFLAGS="-I$REPO/include" CGO_LDFLAGS="-L$BIN -Wl,-rpath,$BIN"
    export GOCACHE="${GOCACHE:-$REPO/.build/go-cache}" GOPATH="${GOPATH:-$REPO/.build/gopath}" GOPROXY=off GOFLAGS=-mod=mod
    go vet ./...
    SWIFTLET_MODELS="$MODELS" go test -count=1 ./...
)
echo "test-clients: all client tests passed"
