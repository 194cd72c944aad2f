# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date).
#
# The cross-encoder through the --onnx route (issue 18 item 2: "converter from the HF layout and
# ONNX"), on the RANDOMLY INITIALISED cross-encoder of 80-cross-encoder.sh, so the ONNX-route
# file is tested against the same torch golden as the hf-dir one.
# tools/export_cross_encoder_onnx.py exports BertForSequenceClassification (input_ids,
# attention_mask, token_type_ids -> logits; no sigmoid in the graph), opset 14, checked against
# torch by onnxruntime (1e-4); --config-dir gives the same "reranker" pipeline as --hf-dir
# (sigmoid from config.json's sentence-transformers activation_fn, tokenizer.json, max_length):
#   models/src/cross-encoder-random-minilm-onnx/model.onnx
#   models/cross-encoder-random-minilm-onnx.swl
# A real cross-encoder exported to ONNX converts with the same command (docs/CONVERT.md).

CE_SRC="$MODELS/src/cross-encoder-random-minilm"   # (80-cross-encoder.sh builds it)
CE_ONNX_DIR="$MODELS/src/cross-encoder-random-minilm-onnx"
CE_ONNX="$CE_ONNX_DIR/model.onnx"
CE_EXPORT=("$TOOLS/export_cross_encoder_onnx.py" "$TOOLS/swiftlet_tools/export/cross_encoder.py"
           "$TOOLS/swiftlet_tools/export/torch_onnx.py")
if up_to_date "$CE_ONNX" "$CE_SRC/config.json" "$CE_SRC/model.safetensors" "${CE_EXPORT[@]}"; then
    say "up to date: $CE_ONNX"
else
    say "exporting the random-weight cross-encoder to ONNX -> $CE_ONNX"
    mkdir -p "$CE_ONNX_DIR"
    "$PY" "$TOOLS/export_cross_encoder_onnx.py" --hf-dir "$CE_SRC" --out "$CE_ONNX" --opset 14 \
        || die "exporting $CE_SRC to ONNX failed"
fi

out="$MODELS/cross-encoder-random-minilm-onnx.swl"
if up_to_date "$out" "$CE_ONNX" "$CE_SRC/config.json" "$CE_SRC/tokenizer.json" "$CE_SRC/tokenizer_config.json" \
        "${CONVERTER[@]}"; then
    say "up to date: $out"
else
    say "converting $CE_ONNX (onnx, --config-dir $CE_SRC -> reranker) -> $out"
    "$PY" "$CONVERT" --onnx "$CE_ONNX" --config-dir "$CE_SRC" --out "$out"
fi
