#!/usr/bin/env bash
# The pure-Go sidecar client and supervisor (clients/go/sidecar) against the real
# `swiftlet serve`: built, vetted and tested with CGO_ENABLED=0, which is how the daemons
# that embed it are built. Needs the swiftlet binary ($SWIFTLET_BIN, default
# .build/release/swiftlet — this script does not build it), the models of tools/setup.sh
# ($SWIFTLET_MODELS) and the OCR sample images ($SWIFTLET_OCR_SAMPLES, default
# ../shared/ocr-samples); anything missing fails the tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"
export SWIFTLET_BIN="${SWIFTLET_BIN:-$REPO/.build/release/swiftlet}"
export SWIFTLET_MODELS="${SWIFTLET_MODELS:-$REPO/models}"
export GOCACHE="${GOCACHE:-$REPO/.build/go-cache}" GOPATH="${GOPATH:-$REPO/.build/gopath}" GOPROXY=off GOFLAGS=-mod=mod
export CGO_ENABLED=0

cd clients/go
echo "== go build (CGO_ENABLED=0: pure Go)"
go build ./sidecar/...
# The package must not pull in the cgo binding next to it.
if go list -deps ./sidecar/... | grep -qx 'swiftlet.dev/clients/go/swiftlet'; then
    echo "test-go-sidecar: clients/go/sidecar depends on the cgo package swiftlet.dev/clients/go/swiftlet" >&2
    exit 1
fi
echo "== go vet"
go vet ./sidecar/...
echo "== go test (SWIFTLET_BIN=$SWIFTLET_BIN)"
LOG="$REPO/.build/go-sidecar-test.log"
mkdir -p "$REPO/.build"
# The whole -v log on failure (server stderr, supervisor events); the verdicts otherwise.
if ! go test -count=1 -v ./sidecar/... > "$LOG" 2>&1; then
    cat "$LOG"
    echo "test-go-sidecar: FAILED (log: $LOG)" >&2
    exit 1
fi
grep -E '^(--- |ok |PASS)' "$LOG"
echo "test-go-sidecar: passed"
