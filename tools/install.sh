#!/usr/bin/env bash
# Installs Swiftlet for C, Go and other FFI users under a prefix:
#   PREFIX/include/swiftlet.h
#   PREFIX/lib/libswiftlet.so.MAJOR     (soname libswiftlet.so.MAJOR, from tools/build-lib.sh)
#   PREFIX/lib/libswiftlet.so -> libswiftlet.so.MAJOR
#   PREFIX/lib/pkgconfig/swiftlet.pc    (cc app.c $(pkg-config --cflags --libs swiftlet))
#   PREFIX/bin/swiftlet                 (the CLI)
#
#   tools/install.sh --prefix DIR [--lib PATH] [--bin PATH]
#     --lib  default .build/release/libswiftlet.so (tools/build-lib.sh)
#     --bin  default .build-static/swiftlet (tools/build-static.sh: runs without a Swift
#            toolchain) if present, else .build/release/swiftlet
# MAJOR is SWIFTLET_ABI_VERSION_MAJOR of include/swiftlet.h. Outside the loader's default
# paths, add PREFIX/lib to /etc/ld.so.conf.d (then ldconfig), LD_LIBRARY_PATH or an rpath.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
usage() { echo "usage: tools/install.sh --prefix DIR [--lib PATH] [--bin PATH]" >&2; exit 64; }
PREFIX="" LIB=".build/release/libswiftlet.so" BIN=""
while [[ $# -gt 0 ]]; do
    [[ $# -ge 2 ]] || usage
    case "$1" in
        --prefix) PREFIX="$2" ;;
        --lib) LIB="$2" ;;
        --bin) BIN="$2" ;;
        *) usage ;;
    esac
    shift 2
done
[[ -n "$PREFIX" ]] || usage
if [[ -z "$BIN" ]]; then
    BIN=.build/release/swiftlet
    [[ -x .build-static/swiftlet ]] && BIN=.build-static/swiftlet
fi
[[ -f "$LIB" ]] || { echo "install: $LIB is missing: run swift build -c release && tools/build-lib.sh" >&2; exit 1; }
[[ -x "$BIN" ]] || { echo "install: $BIN is missing: run swift build -c release (or tools/build-static.sh)" >&2; exit 1; }
MAJOR="$(sed -n 's/^#define SWIFTLET_ABI_VERSION_MAJOR \([0-9][0-9]*\)$/\1/p' include/swiftlet.h)"
SONAME="libswiftlet.so.$MAJOR"
# A library linked before the soname carried the major version would make programs
# record a name this layout does not provide.
GOT="$(readelf -d "$LIB" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
[[ "$GOT" == "$SONAME" ]] || { echo "install: $LIB has soname '$GOT', not $SONAME: rebuild it with tools/build-lib.sh" >&2; exit 1; }

mkdir -p "$PREFIX"
PREFIX="$(cd "$PREFIX" && pwd)"
install -D -m 644 include/swiftlet.h "$PREFIX/include/swiftlet.h"
install -D -m 755 "$LIB" "$PREFIX/lib/$SONAME"
ln -sfn "$SONAME" "$PREFIX/lib/libswiftlet.so"
bash tools/write-pc.sh "$PREFIX/lib/pkgconfig/swiftlet.pc" "$PREFIX/include" "$PREFIX/lib"
install -D -m 755 "$BIN" "$PREFIX/bin/swiftlet"
echo "install: $PREFIX/{include/swiftlet.h,lib/$SONAME,lib/libswiftlet.so,lib/pkgconfig/swiftlet.pc,bin/swiftlet}"
