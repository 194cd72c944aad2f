# Tokenizer parity fixtures (sourced by tools/setup.sh): real SentencePiece-family
# tokenizer.json files under $MODELS/src/<name>/tokenizer.json.
#   tokenlearn-static-model  Unigram, XLM-R charsmap (pip package tokenlearn-static-model)
#   mon-tokenizer            Unigram with byte fallback (pip package mon-tokenizer)
#   spm-botchan-unigram, spm-botchan-bpe, spm-kyoto-unigram
#                            sentencepiece 0.2.3 test models (sdist from PyPI), converted
#                            by tools/spm_to_tokenizer_json.py

copy_if_changed() {
    local from="$1" to="$2"
    [[ -f "$from" ]] || die "missing $from"
    mkdir -p "$(dirname "$to")"
    if [[ "$FORCE" == 1 || ! -f "$to" ]] || ! cmp -s "$from" "$to"; then
        cp "$from" "$to"
        say "copied $to"
    else
        say "up to date: $to"
    fi
}

TOKLEARN_DIR="$("$PY" -c 'import importlib.util, os; s = importlib.util.find_spec("static_model"); print(os.path.dirname(s.origin))')"
copy_if_changed "$TOKLEARN_DIR/model/tokenizer.json" "$MODELS/src/tokenlearn-static-model/tokenizer.json"
MON_DIR="$("$PY" -c 'import importlib.util, os; s = importlib.util.find_spec("mon_tokenizer"); print(os.path.dirname(s.origin))')"
copy_if_changed "$MON_DIR/data/mon_tokenizer.json" "$MODELS/src/mon-tokenizer/tokenizer.json"

SPM_VERSION=0.2.3
SPM_CACHE="$MODELS/src/.sentencepiece-$SPM_VERSION"
if [[ ! -d "$SPM_CACHE/sentencepiece-$SPM_VERSION/test" ]]; then
    mkdir -p "$SPM_CACHE"
    say "downloading the sentencepiece $SPM_VERSION source distribution"
    "$PY" -m pip download --disable-pip-version-check -q --no-deps --no-binary :all: --no-build-isolation \
        -d "$SPM_CACHE" "sentencepiece==$SPM_VERSION"
    tar -xzf "$SPM_CACHE/sentencepiece-$SPM_VERSION.tar.gz" -C "$SPM_CACHE"
fi
for pair in botchan_en_unigram_1000:spm-botchan-unigram botchan_en_bpe_1000:spm-botchan-bpe kyoto_ja_unigram_8000:spm-kyoto-unigram; do
    model="$SPM_CACHE/sentencepiece-$SPM_VERSION/test/${pair%%:*}.model"
    out="$MODELS/src/${pair##*:}/tokenizer.json"
    if up_to_date "$out" "$model" "$TOOLS/spm_to_tokenizer_json.py"; then
        say "up to date: $out"
    else
        mkdir -p "$(dirname "$out")"
        "$PY" "$TOOLS/spm_to_tokenizer_json.py" "$model" "$out"
    fi
done

# Precomputed Unigram vocabularies (what tools/convert.py stores in a .swl), for the
# blob tests: models/src/<name>/tokenizer.unigram next to its tokenizer.json.
for name in tokenlearn-static-model mon-tokenizer spm-kyoto-unigram spm-botchan-unigram; do
    src="$MODELS/src/$name/tokenizer.json"
    out="$MODELS/src/$name/tokenizer.unigram"
    if up_to_date "$out" "$src" "$TOOLS/tokenizer_blob.py" "$TOOLS/swiftlet_tools/tokenizer_blob.py"; then
        say "up to date: $out"
    else
        "$PY" "$TOOLS/tokenizer_blob.py" "$src" "$out"
    fi
done
