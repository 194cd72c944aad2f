#!/usr/bin/env bash
# The DocC build of the public Swift API must be warning-free: a broken ``Symbol`` link, a
# missing article or a malformed doc comment fails CI here instead of rotting silently.
# Output goes to .build/docs (not committed); open it with `swift package
# preview-documentation --target Swiftlet` instead when writing docs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# --warnings-as-errors is passed through to `docc convert` (a broken ``Symbol`` link exits 1);
# the grep also fails on compiler warnings from the debug build that extracts the symbol
# graphs, which docc never sees.
if ! swift package --allow-writing-to-directory .build/docs generate-documentation \
        --target Swiftlet --target SwiftletTokenizers \
        --output-path .build/docs --warnings-as-errors 2>&1 | tee "$log"; then
    echo "check-docs: the documentation build failed (see above)" >&2
    exit 1
fi
if grep -E "(warning|error):" "$log" >/dev/null; then
    echo "check-docs: the documentation build printed warnings:" >&2
    grep -E "(warning|error):" "$log" >&2
    exit 1
fi
echo "check-docs: Swiftlet and SwiftletTokenizers documentation built without warnings"
