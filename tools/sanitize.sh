#!/usr/bin/env bash
# The test suite under the sanitizers (docs/ROBUSTNESS.md#sanitizers), each in its own build
# path so no normal build ever sees the flags:
#
#   tools/sanitize.sh address   AddressSanitizer + UndefinedBehaviorSanitizer: the unit tier
#                               (SwiftletUnitTests, every fuzz regression input included) and
#                               the C ABI parity tests (.build-asan)
#   tools/sanitize.sh thread    ThreadSanitizer: the worker pool, the threaded ops and the
#                               sharing soaks (8 threads on one Embedder / OCR / Session, Swift
#                               API and C ABI) at 50 calls per thread (.build-tsan)
#   tools/sanitize.sh           both
#
# Release builds (-O) with the sanitizer on: the unit tier's numeric kernels are ~1000× slower
# unoptimized. UBSan instruments the C targets (swiftc has no -sanitize=undefined: Swift code
# traps on overflow, out-of-bounds indexing and bad unwraps in every build, which is what UBSan
# adds to C; its unchecked pointer code is ASan's and TSan's business). SWIFTLET_SANITIZE=1 makes Package.swift leave out the server, the CLI and the
# benchmarks (and the packages only they need), which halves each build. A report fails the
# run: ASan/UBSan/TSan abort on their first finding (halt_on_error), and XCTest fails on any
# test failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

kinds=("$@")
[[ ${#kinds[@]} -gt 0 ]] || kinds=(address thread)
export SWIFTLET_SANITIZE=1
# No Swift backtracer: the sanitizer prints the report (the backtracer's reader thread also
# trips TSan itself).
export SWIFT_BACKTRACE=enable=no

for kind in "${kinds[@]}"; do
    start=$(date +%s)
    case "$kind" in
        address)
            # detect_leaks=0: Swift's runtime metadata caches are never freed by design;
            # LeakSanitizer would report them on every test binary.
            ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1:${ASAN_OPTIONS:-}" \
            UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}" \
                swift test -c release --build-path .build-asan --sanitize=address -Xcc -fsanitize=undefined \
                    --filter 'SwiftletUnitTests|SwiftletCTests.ABIParityTests'
            ;;
        thread)
            SWIFTLET_SOAK_CALLS=50 TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:${TSAN_OPTIONS:-}" \
                swift test -c release --build-path .build-tsan --sanitize=thread \
                    --filter 'WorkerPoolTests|ThreadedOpsTests|SoakTests.test.*SharedByEightThreads|ABISoakTests|OCRConcurrencyTests'
            ;;
        *) echo "sanitize.sh: unknown sanitizer '$kind' (address | thread)" >&2; exit 2 ;;
    esac
    echo "sanitize.sh: $kind: passed in $(( $(date +%s) - start )) s"
done
