# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date).
#
# CLIP reference models with RANDOM weights (fixed seed; no CLIP weights are reachable here),
# in the Hugging Face CLIPModel layout, with CLIP's real tokenizer built from
# open-clip-torch==3.3.0's bpe_simple_vocab_16e6.txt.gz (tools/build_clip.py):
#   models/src/wheels-clip/open_clip_torch-3.3.0-py3-none-any.whl   (pip download, not installed)
#   models/src/clip-vit-b32-random/    ViT-B/32 shape (transformers' CLIPConfig defaults), seed 0
#   models/src/clip-tiny-random/       2 small layers per tower, same vocabulary/geometry, seed 0
#   models/clip-vit-b32-random.swl     hf-dir route, both towers in one graph
#   models/clip-tiny-random.swl        hf-dir route
# A real checkpoint in the same layout converts with the same command:
#   python tools/convert.py --hf-dir DIR --out clip.swl

OPEN_CLIP_VERSION="3.3.0"
CLIP_WHEELS="$MODELS/src/wheels-clip"
CLIP_WHEEL="$CLIP_WHEELS/open_clip_torch-$OPEN_CLIP_VERSION-py3-none-any.whl"
CLIP_BUILD_DEPS=("$TOOLS/build_clip.py" "$TOOLS/swiftlet_tools/clip_build.py")
if [[ ! -f "$CLIP_WHEEL" ]]; then
    say "downloading open-clip-torch==$OPEN_CLIP_VERSION (for CLIP's vocabulary and merges)"
    mkdir -p "$CLIP_WHEELS"
    "$PY" -m pip download --disable-pip-version-check --quiet --no-deps --only-binary :all: \
        "open-clip-torch==$OPEN_CLIP_VERSION" -d "$CLIP_WHEELS" || die "pip download open-clip-torch==$OPEN_CLIP_VERSION failed"
    [[ -f "$CLIP_WHEEL" ]] || die "pip did not leave $CLIP_WHEEL"
fi

for shape in tiny vit-b32; do
    src="$MODELS/src/clip-$shape-random"
    if up_to_date "$src/model.safetensors" "$CLIP_WHEEL" "${CLIP_BUILD_DEPS[@]}"; then
        say "up to date: $src"
    else
        say "building CLIP ($shape shape, RANDOM weights, seed 0) -> $src"
        "$PY" "$TOOLS/build_clip.py" --wheel "$CLIP_WHEEL" --shape "$shape" --seed 0 --out "$src"
    fi
    out="$MODELS/clip-$shape-random.swl"
    if up_to_date "$out" "$src/config.json" "$src/model.safetensors" "$src/tokenizer.json" \
            "$src/preprocessor_config.json" "${CONVERTER[@]}"; then
        say "up to date: $out"
    else
        say "converting $src (hf-dir) -> $out"
        "$PY" "$CONVERT" --hf-dir "$src" --out "$out"
    fi
done
