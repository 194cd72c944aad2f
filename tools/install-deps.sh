#!/usr/bin/env bash
# System packages Swiftlet builds against (Debian/Ubuntu). Installs only what is missing.
# gcc, g++, valgrind, golang-go and pkg-config build and check the C ABI clients (tools/test-clients.sh).
# --fonts adds fonts-dejavu-core and fonts-noto-cjk, needed only to re-render the synthetic OCR
# corpus (tools/golden.py ocr-corpus); the tests read the committed PNGs, so CI skips them.
set -euo pipefail
pkgs=(libopenblas-dev libpng-dev libjpeg-dev python3-venv gcc g++ valgrind golang-go pkg-config)
[[ "${1:-}" == "--fonts" ]] && pkgs+=(fonts-dejavu-core fonts-noto-cjk)
need=()
for pkg in "${pkgs[@]}"; do
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
