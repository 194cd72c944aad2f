#!/usr/bin/env bash
# Builds the swiftlet wheel around a libswiftlet.so, installs it into a fresh venv (no
# system site-packages) and runs the Python client tests against the installed package,
# from a copy of the tests outside the source tree, with SWIFTLET_LIB unset: what they
# import is the wheel's package and the library bundled in it.
#
#   tools/test-wheel.sh [--lib PATH]    default .build/release/libswiftlet.so
#
# tools/test-clients.sh runs it on the library it just built. The venv gets the test
# dependencies (numpy, pytest, pillow, tokenizers) from PyPI or pip's cache, at the
# versions of the project venv; SWIFTLET_MODELS, SWIFTLET_CLI and SWIFTLET_OCR_SAMPLES
# are passed through as for the source-tree tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"
LIB="$REPO/.build/release/libswiftlet.so"
[[ "${1:-}" == "--lib" ]] && { LIB="$2"; shift 2; }
[[ $# -eq 0 ]] || { echo "usage: tools/test-wheel.sh [--lib PATH]" >&2; exit 64; }
PROJECT_PY="${SWIFTLET_VENV:-$REPO/.venv}/bin/python"

WORK="$(mktemp -d /tmp/swiftlet-wheel-test.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
WHEEL="$(bash tools/build-wheel.sh --lib "$LIB" --out "$WORK/dist")"
echo "== wheel: $(basename "$WHEEL") ($(du -h "$WHEEL" | cut -f1))"

# The project venv's interpreter (same Python), but a new, empty environment.
BASE="$("$PROJECT_PY" -c 'import sys; print(sys._base_executable)')"
"$BASE" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
PINS=()
for pkg in numpy pytest pillow tokenizers; do
    PINS+=("$pkg==$("$PROJECT_PY" -c 'import sys; from importlib.metadata import version; print(version(sys.argv[1]))' "$pkg")")
done
"$VPY" -m pip install -q --disable-pip-version-check "${PINS[@]}"
"$VPY" -m pip install -q --disable-pip-version-check --no-index "$WHEEL"

# The tests, copied out of the tree; they find golden files through SWIFTLET_REPO.
mkdir "$WORK/tests"
cp clients/python/conftest.py clients/python/test_*.py "$WORK/tests/"
cd "$WORK"
unset SWIFTLET_LIB PYTHONPATH
export SWIFTLET_REPO="$REPO"
"$VPY" - "$WORK/venv" <<'PYEOF'
import sys
from pathlib import Path
import swiftlet
venv = Path(sys.argv[1]).resolve()
pkg = Path(swiftlet.__file__).resolve().parent
assert venv in pkg.parents, f"swiftlet imported from {pkg}, not from the venv {venv}"
assert swiftlet.library_path() == str(pkg / "lib" / "libswiftlet.so"), swiftlet.library_path()
print(f"test-wheel: swiftlet {swiftlet.__version__} from {pkg}, library {swiftlet.library_path()}")
PYEOF
"$VPY" -m pytest -q -p no:cacheprovider tests
echo "test-wheel: the installed wheel passed the Python tests"
