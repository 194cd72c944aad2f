# shellcheck shell=bash
# Sourced by the make-*-venv.sh scripts: pinned_venv VENV PINS LABEL makes VENV from the pins
# file (or remakes it when the pins change; the copy in VENV/.pins says what it was made
# from) and prints its python. Progress goes to stderr, so callers can use "$(...)".
pinned_venv() {
    local venv="$1" pins="$2" label="$3"
    if [[ ! -x "$venv/bin/python" ]] || ! cmp -s "$pins" "$venv/.pins"; then
        echo "== making $venv ($label, pinned in $pins)" >&2
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q --disable-pip-version-check -r "$pins" >&2
        cp "$pins" "$venv/.pins"
    fi
    echo "$venv/bin/python"
}
