#!/usr/bin/env bash
# Coverage-guided fuzzing of Swiftlet's untrusted inputs with libFuzzer + AddressSanitizer
# (docs/ROBUSTNESS.md). Builds the fuzz executables in their own build path, runs each
# target on its corpus and prints executions, exec/s, coverage and crashes per target.
#
#   tools/fuzz.sh --seconds N [target...]   CI smoke: N seconds per target
#   tools/fuzz.sh --minutes M [target...]   long campaign: M minutes per target
#   tools/fuzz.sh --list                    the target names
#   --jobs J                                run J targets at a time (default 1; a campaign of
#                                           six 30-minute targets on 2 cores: --jobs 2)
#
# Targets (Fuzz/Bodies): swl tokenizer-json tokenizer-encode image cabi npy server; default all.
# Working corpora, crash artifacts and logs go to .fuzz/ (gitignored); the committed seeds
# (Fuzz/Seeds, Fuzz/Fixtures) and every committed crash input (Fuzz/Regressions) are read,
# never written. Exit status 1 when any target crashed: the input is in .fuzz/artifacts/,
# and docs/ROBUSTNESS.md says how to turn it into a regression input.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ALL_TARGETS=(swl tokenizer-json tokenizer-encode image cabi npy server)
seconds=""
jobs=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --minutes) seconds=$(( $2 * 60 )); shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        --list) printf '%s\n' "${ALL_TARGETS[@]}"; exit 0 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[[ -n "$seconds" ]] || { echo "usage: tools/fuzz.sh --seconds N | --minutes M [target...]" >&2; exit 2; }
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
    [[ " ${ALL_TARGETS[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (tools/fuzz.sh --list)" >&2; exit 2; }
done

# Build: one executable for all targets (SWIFTLET_FUZZ_TARGET picks the body at run time);
# its whole dependency graph gets coverage instrumentation and ASan (-sanitize=fuzzer,address),
# the C targets UBSan too.
# SWIFTLET_FUZZ=1 is what makes Package.swift declare the swiftlet-fuzz product.
BUILD=.build-fuzz
WORK=.fuzz
mkdir -p "$WORK/corpus" "$WORK/artifacts" "$WORK/logs"
build_start=$(date +%s)
# The log keeps SwiftPM's noise (the benchmark plugin's host tool fails to link with these
# flags and is not needed); the exit status is what counts.
if ! SWIFTLET_FUZZ=1 swift build -c release --build-path "$BUILD" \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=undefined --product swiftlet-fuzz > "$WORK/logs/build.log" 2>&1; then
    grep -E 'error:' "$WORK/logs/build.log" | tail -20 >&2
    echo "fuzz.sh: building swiftlet-fuzz failed (log: $WORK/logs/build.log)" >&2
    exit 1
fi
echo "fuzz.sh: build $(( $(date +%s) - build_start )) s"

# Extra seed directories per target, besides Fuzz/Seeds/<t> and Fuzz/Regressions/<t>.
extra_seeds() {
    case "$1" in
        swl) echo Fuzz/Fixtures/models ;;
        tokenizer-json) echo Fuzz/Fixtures/tokenizers ;;
        image) [[ -n "${SWIFTLET_OCR_SAMPLES:-}" && -d "${SWIFTLET_OCR_SAMPLES:-}" ]] && echo "$SWIFTLET_OCR_SAMPLES" ;;
        npy) echo golden/ocr-ops/conv_valid golden/ocr-ops/maxpool_2x2_indices ;;
    esac
    return 0
}

# Dictionaries per target: its own, plus image.dict for the server's image bodies.
dict_files() {
    case "$1" in
        server) echo Fuzz/Dictionaries/server.dict Fuzz/Dictionaries/image.dict ;;
        *) echo "Fuzz/Dictionaries/$1.dict" ;;
    esac
}

# Per-input limits: inputs large enough to cover every seed; a run slower than the timeout
# or allocating past the RSS limit is reported (and fails) like a crash.
max_len() {
    case "$1" in
        swl|tokenizer-json|image) echo 65536 ;;
        server) echo 16384 ;;
        *) echo 4096 ;;
    esac
}

# Runs one target; its summary line goes to $WORK/logs/<t>.summary, its status is the exit code.
run_target() {
    local t="$1"
    local corpus="$WORK/corpus/$t" artifacts="$WORK/artifacts/$t/" log="$WORK/logs/$t.log"
    mkdir -p "$corpus" "$artifacts"
    local seeds=() dict=() before new execs rate cov crashes ooms verdict rc status=0
    seeds=()
    for d in "Fuzz/Seeds/$t" "Fuzz/Regressions/$t" $(extra_seeds "$t"); do
        [[ -d "$d" ]] && seeds+=("$d")
    done
    dict=()
    local dicts=() d
    for d in $(dict_files "$t"); do [[ -f "$d" ]] && dicts+=("$d"); done
    if [[ ${#dicts[@]} -gt 0 ]]; then
        # libFuzzer reads one -dict: the target's files joined.
        mkdir -p "$WORK/dicts"; cat "${dicts[@]}" > "$WORK/dicts/$t.dict"
        dict=("-dict=$WORK/dicts/$t.dict")
    fi
    before=$(find "$artifacts" -type f | sort)
    echo "fuzz.sh: $t for ${seconds} s (corpus $corpus, seeds ${seeds[*]:-none})"
    set +e
    # No Swift backtracer: libFuzzer's own handler must see the trap, save the input and
    # print the stack (the backtracer's reader thread also trips ASan itself).
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=0:${ASAN_OPTIONS:-}" \
        SWIFTLET_FUZZ_TARGET="$t" "$BUILD/release/swiftlet-fuzz" -max_total_time="$seconds" -print_final_stats=1 -timeout=25 -rss_limit_mb=2048 \
        -max_len="$(max_len "$t")" -artifact_prefix="$artifacts" "${dict[@]}" "$corpus" "${seeds[@]}" > "$log" 2>&1
    rc=$?
    set -e
    new=$(comm -13 <(echo "$before") <(find "$artifacts" -type f | sort) | grep . || true)
    execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
    rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log" | tail -1)
    # The last status line carries the final coverage: "#N  DONE  cov: C ft: F corp: K/…".
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1 || true)
    # libFuzzer names each artifact by kind: crash-, timeout-, leak-, oom-, slow-unit-.
    crashes=$(grep -c -E '/(crash|timeout|leak)-' <<< "$new" || true)
    ooms=$(grep -c '/oom-' <<< "$new" || true)
    # A refused allocation outside the session's memory limit traps by design (the C header
    # says so); a graph asking for terabytes is that, not a new bug.
    if [[ $crashes -gt 0 ]] && grep -q 'Fatal error: out of memory' "$log"; then
        crashes=$(( crashes - 1 )); ooms=$(( ooms + 1 ))
    fi
    verdict=ok
    if [[ $crashes -gt 0 || ( $rc -ne 0 && $ooms -eq 0 ) ]]; then
        verdict="CRASH (exit $rc; see $log and $artifacts)"
        status=1
        grep -m3 -E 'ERROR: (AddressSanitizer|libFuzzer)|Fatal error|SUMMARY' "$log" | sed 's/^/    /' || true
    elif [[ $ooms -gt 0 ]]; then
        # A graph may ask for any amount of memory; reported, not failed (docs/ROBUSTNESS.md).
        verdict="stopped at an out-of-memory input ($artifacts)"
    fi
    printf '%-17s execs %-10s exec/s %-7s %-34s crashes %s ooms %s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-cov: ?}" "$crashes" "$ooms" "$verdict" > "$WORK/logs/$t.summary"
    return $status
}

status=0
running=0
for t in "${targets[@]}"; do
    rm -f "$WORK/logs/$t.summary"
    run_target "$t" &
    running=$(( running + 1 ))
    if [[ $running -ge $jobs ]]; then
        wait -n || status=1
        running=$(( running - 1 ))
    fi
done
while [[ $running -gt 0 ]]; do
    wait -n || status=1
    running=$(( running - 1 ))
done

echo "fuzz.sh: results (${seconds} s per target, $jobs at a time)"
for t in "${targets[@]}"; do
    printf '  %s' "$(cat "$WORK/logs/$t.summary" 2>/dev/null || echo "$t: no result (see $WORK/logs/$t.log)")"; echo
done
exit $status
