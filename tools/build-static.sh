#!/usr/bin/env bash
# The self-contained `swiftlet` binary: Swift runtime and Foundation linked in statically,
# stripped, at .build-static/swiftlet. Then checks that it needs no Swift toolchain:
# `ldd` lists no libswift*/libFoundation*, and it embeds a text identically to the
# regular build with /opt/swift hidden (a private mount namespace; skipped with a note
# where unshare is not permitted, the ldd check still applies).
#
#   tools/build-static.sh [--check-only]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"
SCRATCH="$REPO/.build-static"
OUT="$SCRATCH/swiftlet"
MODELS="${SWIFTLET_MODELS:-$REPO/models}"

if [[ "${1:-}" != "--check-only" ]]; then
    # Its own scratch path: the static flags would otherwise rebuild .build/release.
    swift build -c release --product swiftlet --static-swift-stdlib --scratch-path "$SCRATCH"
    strip -o "$OUT" "$SCRATCH/release/swiftlet"
fi
[[ -x "$OUT" ]] || { echo "build-static: $OUT missing" >&2; exit 1; }

echo "== static swiftlet: $(du -h "$OUT" | cut -f1) ($(stat -c %s "$OUT") bytes)"
deps="$(ldd "$OUT")"
echo "$deps" | sed 's/^/   /'
if grep -Eq 'libswift|libFoundation|libdispatch|libBlocksRuntime|/opt/swift' <<<"$deps"; then
    echo "build-static: the binary still links the Swift runtime dynamically" >&2
    exit 1
fi

# Same vectors as the regular build, run from a directory of its own without the toolchain.
MODEL="$MODELS/all-MiniLM-L6-v2.swl"
[[ -f "$MODEL" ]] || { echo "build-static: $MODEL missing (tools/setup.sh)" >&2; exit 1; }
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
cp "$OUT" "$MODEL" "$DIR/"
REF="$("$REPO/.build/release/swiftlet" embed --model "$MODEL" "static binary check")"
run() { (cd "$DIR" && env -i PATH=/usr/bin:/bin ./swiftlet embed --model ./all-MiniLM-L6-v2.swl "static binary check"); }
if unshare --mount true 2>/dev/null; then
    mkdir -p "$DIR/empty"
    GOT="$(unshare --mount bash -c "mount --bind '$DIR/empty' /opt/swift && cd '$DIR' && env -i PATH=/usr/bin:/bin ./swiftlet embed --model ./all-MiniLM-L6-v2.swl 'static binary check'")"
    echo "== ran with /opt/swift hidden"
else
    GOT="$(run)"
    echo "== note: unshare not permitted here; ran with a clean environment only"
fi
[[ "$GOT" == "$REF" ]] || { echo "build-static: static binary's vector differs from the regular build's" >&2; exit 1; }
echo "== static binary OK: same embedding as .build/release/swiftlet"
