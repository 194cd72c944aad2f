#!/usr/bin/env bash
# System packages Swiftlet builds against (Debian/Ubuntu). Installs only what is missing.
# gcc, g++, valgrind and golang-go build and check the C ABI clients (tools/test-clients.sh).
# fonts-dejavu-core and fonts-noto-cjk render the synthetic OCR corpus (tools/render_ocr_corpus.py).
set -euo pipefail
need=()
for pkg in libopenblas-dev libpng-dev libjpeg-dev python3-venv gcc g++ valgrind golang-go fonts-dejavu-core fonts-noto-cjk; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [[ ${#need[@]} -eq 0 ]]; then exit 0; fi
if [[ "$(id -u)" != 0 ]]; then
    echo "install-deps: missing packages: ${need[*]} (run as root or: sudo apt-get install ${need[*]})" >&2
    exit 1
fi
echo "install-deps: apt-get install ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
