#!/usr/bin/env python3
"""How open_clip's own tokenizer (SimpleTokenizer, open-clip-torch==3.3.0) compares with the
transformers ids in golden/clip-tokenizer/tokens.jsonl, on the same corpus.

    .venv/bin/python golden/clip-reference/compare_open_clip.py --wheel open_clip_torch-3.3.0-py3-none-any.whl \
        [--path DIR_WITH_FTFY]

open_clip is not installed in the project venv (it would pull timm and more); its
tokenizer.py is loaded from the wheel, with ftfy (which it needs) from --path. Writes
golden/clip-tokenizer/open_clip_agreement.json: how many texts get identical ids, and for the
others the index, both id lists, and why they differ is left to the reader (open_clip runs
ftfy.fix_text and html.unescape before its own whitespace/lower-case cleanup, which HF's
tokenizer.json does not).
"""
import argparse
import importlib.util
import json
import os
import sys
import tempfile
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", required=True)
    ap.add_argument("--path", action="append", default=[])
    args = ap.parse_args()
    sys.path[:0] = args.path + [os.path.join(REPO, "golden", "clip-reference")]
    from make_golden import corpus_texts
    tmp = tempfile.mkdtemp()
    with zipfile.ZipFile(args.wheel) as z:
        z.extract("open_clip/tokenizer.py", tmp)
        z.extract("open_clip/bpe_simple_vocab_16e6.txt.gz", tmp)
    spec = importlib.util.spec_from_file_location("oc_tokenizer", os.path.join(tmp, "open_clip", "tokenizer.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    tok = mod.SimpleTokenizer(os.path.join(tmp, "open_clip", "bpe_simple_vocab_16e6.txt.gz"))
    with open(os.path.join(REPO, "golden", "clip-tokenizer", "tokens.jsonl")) as f:
        hf = [json.loads(line)["ids"] for line in f]
    texts = corpus_texts()
    assert len(texts) == len(hf)
    differing = []
    for i, (t, want) in enumerate(zip(texts, hf)):
        row = tok([t])[0].tolist()  # [77], zero padded (0 is also "!"), EOS forced at 77 on truncation
        ids = row[:row.index(49407) + 1]
        if ids != want:
            differing.append({"index": i, "open_clip": ids, "transformers": want})
    out = {"texts": len(texts), "identical": len(texts) - len(differing), "differing": differing}
    with open(os.path.join(REPO, "golden", "clip-tokenizer", "open_clip_agreement.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"open_clip vs transformers: {out['identical']}/{len(texts)} identical", file=sys.stderr)


if __name__ == "__main__":
    main()
