# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date).
#
# CLIP through the --onnx route (issue 18: "--onnx for the two towers exported separately"), on
# the same RANDOM-weight checkpoints as 65-clip.sh (seed 0; no CLIP weights are reachable here),
# so the ONNX-route files are tested against the same torch goldens as the hf-dir ones.
# tools/export_clip_onnx.py exports transformers' CLIPTextModelWithProjection (input_ids ->
# text_embeds) and CLIPVisionModelWithProjection (pixel_values -> image_embeds) from each
# checkpoint, opset 14, each file checked against torch by onnxruntime (1e-4) before it is kept:
#   models/src/clip-tiny-random-onnx/{text,vision}.onnx
#   models/src/clip-vit-b32-random-onnx/{text,vision}.onnx
#   models/clip-tiny-random-onnx.swl      --onnx text.onnx --onnx-vision vision.onnx --config-dir (tokenizer,
#   models/clip-vit-b32-random-onnx.swl   preprocessing and context length from the checkpoint directory)
# Real towers exported the same way convert with the same command (docs/CONVERT.md).

CLIP_EXPORT=("$TOOLS/export_clip_onnx.py" "$TOOLS/swiftlet_tools/export/clip_towers.py"
             "$TOOLS/swiftlet_tools/export/torch_onnx.py")
for shape in tiny vit-b32; do
    src="$MODELS/src/clip-$shape-random"
    towers="$MODELS/src/clip-$shape-random-onnx"
    text="$towers/text.onnx"
    vision="$towers/vision.onnx"
    if up_to_date "$text" "$src/config.json" "$src/model.safetensors" "${CLIP_EXPORT[@]}" \
            && up_to_date "$vision" "$src/config.json" "$src/model.safetensors" "${CLIP_EXPORT[@]}"; then
        say "up to date: $towers"
    else
        say "exporting the CLIP towers ($shape shape, RANDOM weights) to ONNX -> $towers"
        mkdir -p "$towers"
        "$PY" "$TOOLS/export_clip_onnx.py" --hf-dir "$src" --text-out "$text" --vision-out "$vision" --opset 14 \
            || die "exporting $src to ONNX failed"
    fi
    out="$MODELS/clip-$shape-random-onnx.swl"
    if up_to_date "$out" "$text" "$vision" "$src/config.json" "$src/tokenizer.json" "$src/preprocessor_config.json" \
            "${CONVERTER[@]}"; then
        say "up to date: $out"
    else
        say "converting $towers (onnx, two towers) -> $out"
        "$PY" "$CONVERT" --onnx "$text" --onnx-vision "$vision" --config-dir "$src" --out "$out"
    fi
done
