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
    # Linked from the ordinary release build's objects (nothing compiled twice: a separate
    # `swift build --static-swift-stdlib` scratch path recompiled the whole package, ~6
    # minutes of CI), with swiftc -static-stdlib and the link flags SwiftPM itself uses
    # for that build. Objects compiled without -static-stdlib name only their direct
    # libraries; an empty Foundation + Dispatch client compiled with -static-stdlib
    # carries the static archives those need (as in tools/build-lib.sh).
    swift build -c release --product swiftlet
    BIN="$(swift build -c release --show-bin-path)"
    LIST="$BIN/swiftlet.product/Objects.LinkFileList"
    [[ -s "$LIST" ]] || { echo "build-static: $LIST is missing; did SwiftPM's layout change?" >&2; exit 1; }
    mkdir -p "$SCRATCH"
    DEPS_SRC="$SCRATCH/static-deps.swift"
    printf 'import Foundation\nimport Dispatch\nfunc _swiftletStaticDeps() -> Int { URL(fileURLWithPath: "/").path.count + Int(DispatchTime.now().uptimeNanoseconds & 1) }\n' > "$DEPS_SRC"
    swiftc -parse-as-library -static-stdlib -module-name SwiftletStaticDeps -c "$DEPS_SRC" -o "$SCRATCH/static-deps.o"
    # libFoundationEssentials' mktemp warning is the toolchain's, not ours.
    swiftc -L "$BIN" -o "$SCRATCH/swiftlet.unstripped" -module-name swiftlet -static-stdlib -emit-executable \
        -Xlinker --gc-sections -Xlinker --defsym -Xlinker main=swiftlet_main \
        "@$LIST" "$SCRATCH/static-deps.o" -ljpeg 2> >(grep -v "mktemp" >&2)
    strip -o "$OUT" "$SCRATCH/swiftlet.unstripped"
    rm -f "$SCRATCH/swiftlet.unstripped"
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
