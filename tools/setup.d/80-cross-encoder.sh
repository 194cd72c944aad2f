# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date).
#
# Cross-encoder reranking (issue 18 item 2) on RANDOMLY INITIALISED weights: no real
# cross-encoder checkpoint is on PyPI, so tools/build_cross_encoder.py makes transformers'
# BertForSequenceClassification (one label, sentence-transformers' Sigmoid activation) at
# all-MiniLM-L6-v2's shape with torch.manual_seed(18), with all-MiniLM-L6-v2's real tokenizer.
# A real checkpoint converts the same way: tools/convert.py --hf-dir DIR --out M.swl.
#   models/src/cross-encoder-random-minilm/     config.json, model.safetensors, tokenizer files
#   models/cross-encoder-random-minilm.swl      hf-dir route (pipeline kind "reranker")

CE_SRC="$MODELS/src/cross-encoder-random-minilm"
CE_MINILM="$MODELS/src/all-MiniLM-L6-v2"
CE_BUILD=("$TOOLS/build_cross_encoder.py" "$TOOLS/swiftlet_tools/cross_encoder_build.py")
if up_to_date "$CE_SRC/model.safetensors" "$CE_MINILM/config.json" "$CE_MINILM/tokenizer.json" "${CE_BUILD[@]}"; then
    say "up to date: $CE_SRC"
else
    say "building the random-weight cross-encoder -> $CE_SRC"
    "$PY" "$TOOLS/build_cross_encoder.py" --minilm "$CE_MINILM" --out "$CE_SRC"
fi

out="$MODELS/cross-encoder-random-minilm.swl"
if up_to_date "$out" "$CE_SRC/config.json" "$CE_SRC/model.safetensors" "$CE_SRC/tokenizer.json" "${CONVERTER[@]}"; then
    say "up to date: $out"
else
    say "converting $CE_SRC (hf-dir, BertForSequenceClassification -> reranker) -> $out"
    "$PY" "$CONVERT" --hf-dir "$CE_SRC" --out "$out"
fi
