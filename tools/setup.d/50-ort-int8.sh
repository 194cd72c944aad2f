# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date/convert_onnx).
#
# all-MiniLM-L6-v2 and multilingual-e5-small quantized by onnxruntime itself (quantize_dynamic,
# QInt8 weights: the DynamicQuantizeLinear → MatMulInteger → Cast → Mul graphs of issue 14),
# run by Swiftlet's ONNX quantization ops through the plain --onnx route:
#   models/src/<model>/model-opset14-ort-int8.onnx   tools/quantize_ort.py of the opset-14 export
#   models/<model>-ort-int8.swl                       onnx route
# (multilingual-e5-small's opset-14 export comes from 40-e5.sh.)

for ORT_INT8_MODEL in all-MiniLM-L6-v2 multilingual-e5-small; do
    ORT_INT8_SRC="$MODELS/src/$ORT_INT8_MODEL"
    ORT_INT8_ONNX="$ORT_INT8_SRC/model-opset14-ort-int8.onnx"
    if up_to_date "$ORT_INT8_ONNX" "$ORT_INT8_SRC/model-opset14.onnx" "$TOOLS/quantize_ort.py"; then
        say "up to date: $ORT_INT8_ONNX"
    else
        say "quantizing (onnxruntime quantize_dynamic) -> $ORT_INT8_ONNX"
        "$PY" "$TOOLS/quantize_ort.py" --onnx "$ORT_INT8_SRC/model-opset14.onnx" --out "$ORT_INT8_ONNX"
    fi
    convert_onnx "$MODELS/$ORT_INT8_MODEL-ort-int8.swl" "$ORT_INT8_ONNX" "$ORT_INT8_SRC/tokenizer.json" \
        "$TOOLS/pipelines/$ORT_INT8_MODEL.json"
done
