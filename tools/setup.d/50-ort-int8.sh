# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date).
#
# all-MiniLM-L6-v2 (and multilingual-e5-small, below) quantized by onnxruntime itself (quantize_dynamic, QInt8 weights: the
# DynamicQuantizeLinear → MatMulInteger → Cast → Mul graphs of issue 14), run by Swiftlet's
# ONNX quantization ops through the plain --onnx route:
#   models/src/all-MiniLM-L6-v2/model-opset14-ort-int8.onnx   tools/quantize_ort.py of the opset-14 export
#   models/all-MiniLM-L6-v2-ort-int8.swl                       onnx route

ORT_INT8_SRC="$MODELS/src/all-MiniLM-L6-v2"
ORT_INT8_ONNX="$ORT_INT8_SRC/model-opset14-ort-int8.onnx"
if up_to_date "$ORT_INT8_ONNX" "$ORT_INT8_SRC/model-opset14.onnx" "$TOOLS/quantize_ort.py"; then
    say "up to date: $ORT_INT8_ONNX"
else
    say "quantizing (onnxruntime quantize_dynamic) -> $ORT_INT8_ONNX"
    "$PY" "$TOOLS/quantize_ort.py" --onnx "$ORT_INT8_SRC/model-opset14.onnx" --out "$ORT_INT8_ONNX"
fi

out="$MODELS/all-MiniLM-L6-v2-ort-int8.swl"
if up_to_date "$out" "$ORT_INT8_ONNX" "$ORT_INT8_SRC/tokenizer.json" "$TOOLS/pipelines/all-MiniLM-L6-v2.json" "${CONVERTER[@]}"; then
    say "up to date: $out"
else
    say "converting $ORT_INT8_ONNX -> $out"
    "$PY" "$CONVERT" --onnx "$ORT_INT8_ONNX" --tokenizer "$ORT_INT8_SRC/tokenizer.json" \
        --pipeline "$TOOLS/pipelines/all-MiniLM-L6-v2.json" --out "$out"
fi

# multilingual-e5-small the same way (its opset-14 export comes from 40-e5.sh):
#   models/src/multilingual-e5-small/model-opset14-ort-int8.onnx   tools/quantize_ort.py
#   models/multilingual-e5-small-ort-int8.swl                       onnx route
E5_ORT_SRC="$MODELS/src/multilingual-e5-small"
E5_ORT_ONNX="$E5_ORT_SRC/model-opset14-ort-int8.onnx"
if up_to_date "$E5_ORT_ONNX" "$E5_ORT_SRC/model-opset14.onnx" "$TOOLS/quantize_ort.py"; then
    say "up to date: $E5_ORT_ONNX"
else
    say "quantizing (onnxruntime quantize_dynamic) -> $E5_ORT_ONNX"
    "$PY" "$TOOLS/quantize_ort.py" --onnx "$E5_ORT_SRC/model-opset14.onnx" --out "$E5_ORT_ONNX"
fi

out="$MODELS/multilingual-e5-small-ort-int8.swl"
if up_to_date "$out" "$E5_ORT_ONNX" "$E5_ORT_SRC/tokenizer.json" "$TOOLS/pipelines/multilingual-e5-small.json" "${CONVERTER[@]}"; then
    say "up to date: $out"
else
    say "converting $E5_ORT_ONNX -> $out"
    "$PY" "$CONVERT" --onnx "$E5_ORT_ONNX" --tokenizer "$E5_ORT_SRC/tokenizer.json" \
        --pipeline "$TOOLS/pipelines/multilingual-e5-small.json" --out "$out"
fi
