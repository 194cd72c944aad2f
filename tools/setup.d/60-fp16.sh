# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date/convert_onnx).
#
# all-MiniLM-L6-v2 exported by torch in float16 (model.half(): float16 weights, activations
# and output; issue 14 item 5), converted with the plain --onnx route, which computes the
# float16 graph in float32 (tools/swiftlet_tools/convert/onnx_float16.py); --fp16 stores the
# float16-born weights as float16 again (lossless, half the file):
#   models/src/all-MiniLM-L6-v2/model-opset14-fp16.onnx   tools/export_onnx.py --fp16 --attn eager
#   models/all-MiniLM-L6-v2-fp16-onnx.swl                  onnx route
# Eager attention: with transformers' default sdpa, torch's fp16 CPU trace leaves most of the
# graph in float32, which would not test a float16 graph.

FP16_SRC="$MODELS/src/all-MiniLM-L6-v2"
FP16_ONNX="$FP16_SRC/model-opset14-fp16.onnx"
if up_to_date "$FP16_ONNX" "$FP16_SRC/model.safetensors" "$FP16_SRC/config.json" "$TOOLS/export_onnx.py"; then
    say "up to date: $FP16_ONNX"
else
    say "exporting float16 ONNX (torch model.half()) -> $FP16_ONNX"
    "$PY" "$TOOLS/export_onnx.py" --hf-dir "$FP16_SRC" --opset 14 --fp16 --attn eager --out "$FP16_ONNX"
fi

convert_onnx "$MODELS/all-MiniLM-L6-v2-fp16-onnx.swl" "$FP16_ONNX" "$FP16_SRC/tokenizer.json" \
    "$TOOLS/pipelines/all-MiniLM-L6-v2.json" --fp16
