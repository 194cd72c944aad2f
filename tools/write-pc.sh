#!/usr/bin/env bash
# Writes swiftlet.pc, the pkg-config file of libswiftlet.so, for headers in INCLUDEDIR and
# the library in LIBDIR (absolute paths). tools/install.sh writes one into an install
# prefix; tools/test-clients.sh one for the build directory (Go's `#cgo pkg-config: swiftlet`).
# Version: the ABI version of include/swiftlet.h, MAJOR.MINOR.
#
#   tools/write-pc.sh OUT.pc INCLUDEDIR LIBDIR
set -euo pipefail
[[ $# -eq 3 ]] || { echo "usage: tools/write-pc.sh OUT.pc INCLUDEDIR LIBDIR" >&2; exit 64; }
HEADER="$(dirname "${BASH_SOURCE[0]}")/../include/swiftlet.h"
abi() { sed -n "s/^#define SWIFTLET_ABI_VERSION_$1 \\([0-9][0-9]*\\)\$/\\1/p" "$HEADER"; }
MAJOR="$(abi MAJOR)" MINOR="$(abi MINOR)"
[[ -n "$MAJOR" && -n "$MINOR" ]] || { echo "write-pc: no ABI version in $HEADER" >&2; exit 1; }
mkdir -p "$(dirname "$1")"
cat > "$1" <<PC
includedir=$2
libdir=$3

Name: swiftlet
Description: Swiftlet: CPU sentence embedders, tokenizers and OCR through a C ABI
Version: $MAJOR.$MINOR
Cflags: -I\${includedir}
Libs: -L\${libdir} -lswiftlet
PC
