#!/usr/bin/env bash
# Builds libswiftlet.so, the C ABI library (include/swiftlet.h), self-contained:
# the Swift runtime and Dispatch are linked in statically, and only the swiftlet_*
# functions are exported. Needs only OpenBLAS, libpng and libjpeg at run time.
# No Foundation: one FoundationEssentials symbol drags ~7.5 MB of it (and of the Swift
# libraries it uses) into the library, so the code it links uses the C library instead
# (Sources/SwiftletTokenizers/System/SystemSupport.swift) and this script refuses objects
# that reference Foundation.
#
#   tools/build-lib.sh [OUT]      default OUT: .build/release/libswiftlet.so
#
# The soname is libswiftlet.so.MAJOR (SWIFTLET_ABI_VERSION_MAJOR of the header), so programs
# record the ABI they were linked against; a libswiftlet.so.MAJOR symlink next to OUT lets
# them run from the build directory (tools/install.sh lays out an install prefix).
#
# It reuses the object files of the ordinary release build (`swift build -c release`
# compiles them; nothing is compiled twice) and links them with swiftc -static-stdlib,
# which SwiftPM cannot do for a single product. The object list is SwiftPM's own
# link file list for the SwiftletC product.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

swift build -c release --product SwiftletC
BIN="$(swift build -c release --show-bin-path)"
LIST="$BIN/SwiftletC.product/Objects.LinkFileList"
OUT="${1:-$BIN/libswiftlet.so}"
MAJOR="$(sed -n 's/^#define SWIFTLET_ABI_VERSION_MAJOR \([0-9][0-9]*\)$/\1/p' include/swiftlet.h)"
[[ -n "$MAJOR" ]] || { echo "build-lib: no SWIFTLET_ABI_VERSION_MAJOR in include/swiftlet.h" >&2; exit 1; }
[[ -s "$LIST" ]] || { echo "build-lib: $LIST is missing; did SwiftPM's layout change?" >&2; exit 1; }
while read -r obj; do
    [[ -f "$obj" ]] || { echo "build-lib: $LIST names $obj, which does not exist" >&2; exit 1; }
done < "$LIST"

# Foundation stays out (see the top): an object that references a Foundation symbol
# (Data, URL, FileManager, ProcessInfo, String(data:encoding:), ...) is an error here, with
# the symbol named, rather than 7.5 MB more library. Public conveniences taking Foundation
# types are @_alwaysEmitIntoClient, so they are compiled into their callers, not into these.
FOUNDATION_REFS="$(while read -r obj; do
    nm -u "$obj" | awk -v o="$(basename "$obj")" '$2 ~ /Foundation/ { print o ": " $2 }'
done < "$LIST")"
if [[ -n "$FOUNDATION_REFS" ]]; then
    echo "build-lib: these objects use Foundation, which the library must not link:" >&2
    swift demangle --compact <<< "$FOUNDATION_REFS" >&2
    exit 1
fi
# _StringProcessing (String's firstRange(of:), replacing(_:with:), ranges(of:), Regex, ...)
# costs 1.2 MB with the _RegexParser it needs; a note, not an error.
STRING_PROCESSING_REFS="$(while read -r obj; do
    nm -u "$obj" | awk -v o="$(basename "$obj")" '$2 ~ /17_StringProcessing/ { print o ": " $2 }'
done < "$LIST")"
if [[ -n "$STRING_PROCESSING_REFS" ]]; then
    echo "build-lib: note: these uses of _StringProcessing add ~1.2 MB to the library:" >&2
    swift demangle --compact <<< "$STRING_PROCESSING_REFS" >&2
fi

# Objects compiled without -static-stdlib name only their direct libraries (Dispatch,
# ...), not the archives those need when linked statically (BlocksRuntime, ...). An empty
# Dispatch client compiled with -static-stdlib carries the full list for this toolchain
# in its autolink entries; linking it in lets swiftc pull the right archives, in the
# right order, without naming any here.
DEPS_SRC="$BIN/libswiftlet-static-deps.swift"
DEPS_OBJ="$BIN/libswiftlet-static-deps.o"
printf 'import Dispatch\nfunc _swiftletStaticDeps() -> UInt64 { DispatchTime.now().uptimeNanoseconds }\n' > "$DEPS_SRC"
swiftc -parse-as-library -static-stdlib -module-name SwiftletStaticDeps -c "$DEPS_SRC" -o "$DEPS_OBJ"

# SWIFTLET_LIB_STRIP=0 keeps the symbol table (readable valgrind and gdb stacks).
STRIP=(-Xlinker -s)
[[ "${SWIFTLET_LIB_STRIP:-1}" == 0 ]] && STRIP=()

# -z defs: every symbol must resolve now, so a missing library is a build error rather
# than a failure in someone's program at load time.
swiftc -emit-library -static-stdlib -o "$OUT.tmp" "@$LIST" "$DEPS_OBJ" \
    -lopenblas -lpng16 -ljpeg \
    -Xlinker --version-script="$PWD/tools/libswiftlet.map" \
    -Xlinker -soname="libswiftlet.so.$MAJOR" \
    -Xlinker -z -Xlinker defs \
    -Xlinker --gc-sections \
    "${STRIP[@]}"
mv "$OUT.tmp" "$OUT"
[[ "$(basename "$OUT")" == "libswiftlet.so.$MAJOR" ]] || ln -sfn "$(basename "$OUT")" "$(dirname "$OUT")/libswiftlet.so.$MAJOR"
echo "build-lib: $OUT ($(du -h "$OUT" | cut -f1))"
