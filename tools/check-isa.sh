#!/usr/bin/env bash
# Fails when AVX-512 instructions appear outside the SwiftletAVX512 and SwiftletVNNI modules
# in a built binary. Only those modules are compiled for x86-64-v4 and they run only after CPUID says
# the CPU supports them; an AVX-512 instruction anywhere else (a generic specialization
# merged across modules, say) would crash every CPU without AVX-512.
#
#   tools/check-isa.sh [BINARY…]     default: .build/release/swiftlet
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ $# -gt 0 ]] || set -- .build/release/swiftlet
status=0
for bin in "$@"; do
    [[ -f "$bin" ]] || { echo "check-isa: $bin does not exist" >&2; exit 1; }
    # Functions (by symbol) containing zmm registers or AVX-512 opmask registers.
    offenders=$(objdump -d --no-show-raw-insn "$bin" | awk '
        /^[0-9a-f]+ <.*>:$/ { fn = $2; next }
        /%zmm|%k[1-7]/ { if (!(fn in seen)) { seen[fn] = 1; print fn } }' |
        grep -v -e '^<\$s14SwiftletAVX512' -e '^<\$s12SwiftletVNNI' || true)
    inside=$(objdump -d --no-show-raw-insn "$bin" | grep -c '%zmm' || true)
    if [[ -n "$offenders" ]]; then
        echo "check-isa: $bin: AVX-512 instructions outside SwiftletAVX512/SwiftletVNNI in:" >&2
        echo "$offenders" | head -20 >&2
        status=1
    else
        echo "check-isa: $bin: AVX-512 only inside SwiftletAVX512 and SwiftletVNNI ($inside zmm instructions)"
    fi
done
exit $status
